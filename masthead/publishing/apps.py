from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "masthead.publishing"
    label = "publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail import hooks

        from masthead.core.hooks import FAST_ANSWER
        from masthead.publishing import signals
        from masthead.publishing.page_cache import cached_response_for_path

        signals.connect()
        hooks.register(FAST_ANSWER, cached_response_for_path)
