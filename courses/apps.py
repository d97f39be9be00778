from django.apps import AppConfig


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = "หลักสูตรและบทเรียน"

    def ready(self):
        from common import thai_slugs

        from . import signals

        signals.connect()
        thai_slugs.install()
