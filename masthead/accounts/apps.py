from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "masthead.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.accounts.profile import supporters_changed
        from masthead.funding.signals import supporter_changed

        supporter_changed.connect(supporters_changed, dispatch_uid="accounts-supporters")
