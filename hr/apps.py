from django.apps import AppConfig


class HrConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hr"
    verbose_name = "งานบุคคล"

    def ready(self) -> None:
        from . import receivers as _audit_receivers  # noqa: F401
