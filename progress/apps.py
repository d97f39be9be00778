from django.apps import AppConfig


class ProgressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "progress"
    verbose_name = "ความก้าวหน้าการเรียน"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from officers.models import OfficerProfile
        from progress.certificates import receivers as _certificates  # noqa: F401
        from progress.receivers import on_attempt_graded, on_profile_saved
        from quizzes.signals import attempt_graded

        post_save.connect(
            on_profile_saved, sender=OfficerProfile, dispatch_uid="progress.profile_saved"
        )
        # quizzes (a lower app) announces graded attempts; certificates are issued on
        # progress.signals.course_completed (progress.certificates.receivers).
        attempt_graded.connect(on_attempt_graded, dispatch_uid="progress.attempt_graded")
