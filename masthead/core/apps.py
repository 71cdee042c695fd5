from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "masthead.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import register_converter

        from masthead.core.inputs import IdConverter

        register_converter(IdConverter, "id")  # before any URLconf is read
