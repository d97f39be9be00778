"""Create the demo content and accounts; safe to run again (idempotent)."""

import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Each app seeds its own part, in this order; a step whose module or function does
# not exist is skipped. Reference data (tool topics, provisions) comes before the
# quiz banks that are tagged with it, and quizzes before the lessons that show them.
SEED_STEPS = [
    ("officers.demo", "seed"),
    ("media_pipeline.demo", "seed"),
    ("courses.demo", "seed_reference_data"),
    ("quizzes.demo", "seed"),
    ("courses.demo", "seed"),
    ("progress.demo", "seed"),
    ("hr.demo", "seed"),
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
        for module_name, function_name in SEED_STEPS:
            if importlib.util.find_spec(module_name) is None:
                continue
            step = getattr(importlib.import_module(module_name), function_name, None)
            if step is not None:
                step(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
