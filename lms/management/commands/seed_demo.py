"""Create the demo content and accounts; safe to run again (idempotent)."""

import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Each app seeds its own part, lower apps first; an app without demo.py is skipped.
SEED_MODULES = [
    "officers.demo",
    "media_pipeline.demo",
    "quizzes.demo",
    "courses.demo",
    "progress.demo",
    "hr.demo",
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
                "seed_demo ปฏิเสธการทำงานเมื่อ DEBUG ปิดอยู่ / seed_demo refuses to run with "
                "DEBUG off: it creates accounts with a published password. Use --force to "
                "override on a non-production machine."
            )
        for name in SEED_MODULES:
            if importlib.util.find_spec(name) is None:
                continue
            importlib.import_module(name).seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
