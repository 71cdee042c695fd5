"""Reader data (export and erasure by email) in the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from masthead.accounts import admin_views

admin_patterns = (
    [
        path("", admin_views.reader_data, name="reader_data"),
        path("export/", admin_views.export, name="export"),
        path("erase/", admin_views.erase, name="erase"),
    ],
    "accounts_admin",
)


@hooks.register("register_admin_urls")
def accounts_admin_urls() -> list[Any]:
    return [path("reader-data/", include(admin_patterns))]


class ReaderDataMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.has_perm(admin_views.PERMISSION))


@hooks.register("register_admin_menu_item")
def reader_data_menu_item() -> MenuItem:
    return ReaderDataMenuItem(
        "Reader data", reverse("accounts_admin:reader_data"), icon_name="user", order=260
    )
