from typing import Any

from django.apps import AppConfig


def _thread_dependency(page: Any) -> list[tuple[str, str]]:
    return [("thread", str(page.pk))]


def _create_thread_on_publish(sender: Any, instance: Any, **kwargs: Any) -> None:
    from masthead.discussion.actions import thread_for_page
    from masthead.publishing.models import ArticlePage

    if isinstance(instance, ArticlePage):
        thread_for_page(instance)


class DiscussionConfig(AppConfig):
    name = "masthead.discussion"
    label = "discussion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from masthead.core import pagecache

        pagecache.register_dependency(_thread_dependency)
        page_published.connect(
            _create_thread_on_publish, dispatch_uid="discussion-thread-on-publish"
        )
