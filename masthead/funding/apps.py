from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "masthead.funding"
    label = "funding"
    default_auto_field = "django.db.models.BigAutoField"
