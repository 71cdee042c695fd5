from django.apps import AppConfig


class MigrationConfig(AppConfig):
    name = "masthead.migration"
    label = "migration"
    verbose_name = "Imports and exports"
    default_auto_field = "django.db.models.BigAutoField"
