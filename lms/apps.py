from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "LMS"

    def ready(self) -> None:
        from lms import checks  # noqa: F401  (registers the deployment checks)
