from typing import Any

from django.apps import AppConfig


def _thread_dependency(page: Any) -> list[tuple[str, str]]:
    from masthead.discussion.translations import thread_dependencies

    return thread_dependencies(page)


def _create_thread_on_publish(sender: Any, instance: Any, **kwargs: Any) -> None:
    from masthead.discussion.actions import thread_for_page
    from masthead.publishing.models import ArticlePage

    if isinstance(instance, ArticlePage):
        thread_for_page(instance)


def _settings_changed(created: bool = False, **kwargs: Any) -> None:
    from masthead.core import cache_versions

    if created:  # made with the defaults on first use: nothing readers see has changed
        return
    cache_versions.bump("publishing", "")


class DiscussionConfig(AppConfig):
    name = "masthead.discussion"
    label = "discussion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail import hooks
        from wagtail.signals import page_published

        from masthead.core.hooks import FAST_ANSWER, PAGE_DEPENDENCIES
        from masthead.discussion import events
        from masthead.discussion.thread_cache import cached_thread_page

        events.connect()  # live events on commit (discussion/events.py)
        hooks.register(PAGE_DEPENDENCIES, _thread_dependency)
        hooks.register(FAST_ANSWER, cached_thread_page)
        # Settings show on every article (intro text, open/closed) and shape every API read.
        post_save.connect(
            _settings_changed,
            sender="discussion.DiscussionSettings",
            dispatch_uid="discussion-settings-changed",
        )
        page_published.connect(
            _create_thread_on_publish, dispatch_uid="discussion-thread-on-publish"
        )
