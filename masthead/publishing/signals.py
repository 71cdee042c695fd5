"""Invalidation of cached reader pages: any publishing change bumps ("publishing", "") on commit.

Publishing, unpublishing, deleting or moving a page, and editing an author, an image or a document,
can change what the home page, section pages and articles show, so all of them are missed next time.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from masthead.core import cache_versions
from masthead.publishing.models import Author
from masthead.publishing.page_cache import forget_route_now


def bump_publishing(**kwargs: Any) -> None:
    cache_versions.bump("publishing", "")


def page_changed(instance: Any = None, **kwargs: Any) -> None:
    if instance is not None:
        forget_route_now(instance.url)
    bump_publishing()


def connect() -> None:
    page_published.connect(page_changed, dispatch_uid="masthead.publishing.published")
    page_unpublished.connect(page_changed, dispatch_uid="masthead.publishing.unpublished")
    post_page_move.connect(bump_publishing, dispatch_uid="masthead.publishing.moved")
    for model in (Page, Author, Image, Document, Site, PageViewRestriction):
        label = model._meta.label_lower
        post_delete.connect(
            bump_publishing, sender=model, dispatch_uid=f"masthead.publishing.del.{label}"
        )
        if model is not Page:  # Page saves include drafts; publishing is signalled separately.
            post_save.connect(
                bump_publishing, sender=model, dispatch_uid=f"masthead.publishing.save.{label}"
            )
