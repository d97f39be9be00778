import importlib

from django.apps import AppConfig


class ProgressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "progress"
    verbose_name = "ความก้าวหน้าการเรียน"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from officers.models import OfficerProfile
        from progress.notifications import receivers as notification_receivers  # noqa: F401
        from progress.receivers import on_attempt_graded, on_profile_saved

        post_save.connect(
            on_profile_saved, sender=OfficerProfile, dispatch_uid="progress.profile_saved"
        )

        # quizzes (a lower app) announces graded attempts; the signal may not exist yet.
        try:
            quiz_signals = importlib.import_module("quizzes.signals")
        except ImportError:
            return
        attempt_graded = getattr(quiz_signals, "attempt_graded", None)
        if attempt_graded is not None:
            attempt_graded.connect(on_attempt_graded, dispatch_uid="progress.attempt_graded")
