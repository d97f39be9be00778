from django.apps import AppConfig


class OfficersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "officers"
    verbose_name = "เจ้าหน้าที่และหน่วยงาน"

    def ready(self) -> None:
        from . import sessions

        sessions.connect()
