"""Create the demo content and accounts; safe to run again (idempotent)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

import courses.demo
import hr.demo
import media_pipeline.demo
import officers.demo
import progress.demo
import quizzes.demo
import reference.demo

# Each app seeds its own part, in this order: reference data (tool topics, provisions)
# before the quiz banks that are tagged with it, and quizzes before the lessons that
# show them.
SEED_STEPS = [
    reference.demo.seed,
    officers.demo.seed,
    media_pipeline.demo.seed,
    quizzes.demo.seed,
    courses.demo.seed,
    progress.demo.seed,
    hr.demo.seed,
]


class Command(BaseCommand):
    help = "Create demo agencies, accounts (password demo-pass-2568) and content."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (not for production)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo ปฏิเสธการทำงานเมื่อ DEBUG ปิดอยู่ เพราะสร้างบัญชีที่มีรหัสผ่านเปิดเผย "
                    "ใช้ --force เพื่อข้ามได้บนเครื่องที่ไม่ใช่ระบบจริง"
                )
            )
        for step in SEED_STEPS:
            step(stdout=self.stdout)
        # Wagtail's reference index ("usage" tabs, which pages use a quiz or a snippet)
        # from the seeded content as a whole.
        call_command("rebuild_references_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
