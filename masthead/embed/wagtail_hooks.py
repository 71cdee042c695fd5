"""Settings > Embedding websites (the model's translated plural): the allowed sites, for administrators."""

from __future__ import annotations

from typing import Any

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from masthead.embed.forms import EmbedSiteForm
from masthead.embed.models import EmbedSite


class EmbedSiteViewSet(ModelViewSet):
    model = EmbedSite
    name = "embed_sites"
    icon = "globe"
    add_to_settings_menu = True
    list_display = ["name", "origins", "comments_mode", "created_at"]
    search_fields = ["name", "origins"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update: bool = False) -> Any:
        return EmbedSiteForm


embed_sites = EmbedSiteViewSet()


@hooks.register("register_admin_viewset")
def register_viewset() -> EmbedSiteViewSet:
    return embed_sites
