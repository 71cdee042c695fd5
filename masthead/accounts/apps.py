from django.apps import AppConfig, apps


class AccountsConfig(AppConfig):
    name = "masthead.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.accounts.profile import supporters_changed
        from masthead.funding.signals import supporter_changed

        supporter_changed.connect(supporters_changed, dispatch_uid="accounts-supporters")
        if apps.is_installed("allauth.account"):
            from allauth.account.signals import email_confirmed

            from masthead.accounts.profile import address_verified

            email_confirmed.connect(address_verified, dispatch_uid="accounts-address-verified")

        from masthead.accounts.reserved_names import watch_owners

        watch_owners()
        from masthead.accounts import receivers  # noqa: F401 - connects the signal receivers
