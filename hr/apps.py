from django.apps import AppConfig


class HrConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hr"
    verbose_name = "งานบุคคล"

    def ready(self) -> None:
        # Certificates are issued on progress.signals.course_completed; the receiver lives
        # in progress.certificates (owned with hr) and is connected here so that
        # progress/apps.py need not change.
        from progress.certificates import receivers  # noqa: F401
