"""Moderation in the Wagtail admin: a "Moderation" menu (queue, rule lists, bans, audit log, API tokens)."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from masthead.core.actors import MODERATE_PERMISSION
from masthead.moderation import admin_urls
from masthead.moderation.models import Ban, DomainRule, WordRule


class PermissionMenuItem(MenuItem):
    def __init__(
        self,
        *args: Any,
        permission: str = MODERATE_PERMISSION,
        superuser: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission
        self.superuser = superuser

    def is_shown(self, request: Any) -> bool:
        if self.superuser:
            return bool(request.user.is_superuser)
        return bool(request.user.has_perm(self.permission))


class WordRuleViewSet(ModelViewSet):
    model = WordRule
    name = "moderation_words"
    icon = "pilcrow"
    menu_label = "Word rules"
    add_to_admin_menu = False
    form_fields = ["kind", "pattern", "is_regex", "note", "is_enabled"]
    list_display = ["pattern", "kind", "is_regex", "is_enabled", "note"]
    list_filter = ["kind", "is_enabled"]
    search_fields = ["pattern", "note"]
    copy_view_enabled = False


class DomainRuleViewSet(ModelViewSet):
    model = DomainRule
    name = "moderation_domains"
    icon = "link"
    menu_label = "Domain rules"
    add_to_admin_menu = False
    form_fields = ["domain", "kind", "note"]
    list_display = ["domain", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["domain", "note"]
    copy_view_enabled = False


class BanViewSet(ModelViewSet):
    model = Ban
    name = "moderation_bans"
    icon = "lock"
    menu_label = "Bans and blocks"
    add_to_admin_menu = False
    form_fields = ["kind", "value", "mode", "reason", "expires_at"]
    list_display = ["value", "kind", "mode", "reason", "expires_at", "created_at"]
    list_filter = ["kind", "mode"]
    search_fields = ["value", "reason"]
    copy_view_enabled = False


word_rules = WordRuleViewSet()
domain_rules = DomainRuleViewSet()
bans = BanViewSet()


@hooks.register("register_admin_viewset")
def register_viewsets() -> list[ModelViewSet]:
    return [word_rules, domain_rules, bans]


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("moderation/", include(admin_urls, namespace="moderation_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu() -> SubmenuMenuItem:
    menu = Menu(
        items=[
            PermissionMenuItem(
                "Queue", reverse_lazy("moderation_admin:queue"), icon_name="tasks", order=10
            ),
            PermissionMenuItem(
                "Word rules",
                reverse_lazy("moderation_words:index"),
                icon_name="pilcrow",
                order=20,
                permission="moderation.view_wordrule",
            ),
            PermissionMenuItem(
                "Domain rules",
                reverse_lazy("moderation_domains:index"),
                icon_name="link",
                order=30,
                permission="moderation.view_domainrule",
            ),
            PermissionMenuItem(
                "Bans and blocks",
                reverse_lazy("moderation_bans:index"),
                icon_name="lock",
                order=40,
                permission="moderation.view_ban",
            ),
            PermissionMenuItem(
                "Audit log",
                reverse_lazy("moderation_admin:audit"),
                icon_name="history",
                order=50,
                superuser=True,
            ),
            PermissionMenuItem(
                "API tokens", reverse_lazy("moderation_admin:tokens"), icon_name="key", order=60
            ),
        ]
    )
    return ModerationMenuItem("Moderation", menu, icon_name="tasks", order=250)


class ModerationMenuItem(SubmenuMenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(MODERATE_PERMISSION))
