"""A saved or deleted allowed site changes who may embed: every process rereads the list (on commit)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead.core import cache_versions
from masthead.embed.models import EmbedSite
from masthead.embed.queries import VERSION


@receiver(post_save, sender=EmbedSite)
@receiver(post_delete, sender=EmbedSite)
def sites_changed(sender: Any, **kwargs: Any) -> None:
    cache_versions.bump(*VERSION)
