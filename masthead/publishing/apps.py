from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "masthead.publishing"
    label = "publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masthead.core import fastpath
        from masthead.publishing import signals
        from masthead.publishing.caching import cached_response_for_path

        signals.connect()
        fastpath.register(cached_response_for_path)
