from django.apps import AppConfig


class MediaPipelineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "media_pipeline"
    verbose_name = "คลิปวิดีโอ"

    def ready(self) -> None:
        from . import checks, handlers  # noqa: F401  (system check, signal receivers)
