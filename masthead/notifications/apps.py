from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "masthead.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect the signal receivers and register the clock's outbox sweep.
        from masthead.notifications import receivers, tasks  # noqa: F401
