from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "common"
    verbose_name = "Common utilities (Thai dates)"

    def ready(self) -> None:
        from .sites import follow_base_url

        # After wagtailcore's own migrations have made the default Site.
        post_migrate.connect(follow_base_url, dispatch_uid="common.sites.follow_base_url")
