from django.apps import AppConfig


class EmbedConfig(AppConfig):
    name = "masthead.embed"
    label = "embed"
    verbose_name = "Embed on other websites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail import hooks

        from masthead.core.hooks import ALLOWED_ORIGINS, THREAD_POLICY
        from masthead.embed import queries, receivers  # noqa: F401 - connects the receivers

        hooks.register(ALLOWED_ORIGINS, queries.allowed_sites)
        hooks.register(THREAD_POLICY, queries.embedded_thread_policy)
