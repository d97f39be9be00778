from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "lms_accounts"
    verbose_name = "Sign-in"
