"""The "Moderators" group and its permissions (also created by migration 0002)."""

from __future__ import annotations

from typing import Any

PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("moderation", "moderate_comments"),
    ("discussion", "change_comment"),
    ("discussion", "view_comment"),
    ("discussion", "change_thread"),
    *[
        ("moderation", f"{action}_{model}")
        for model in ("wordrule", "domainrule", "ban")
        for action in ("add", "change", "delete", "view")
    ],
    ("moderation", "view_report"),
]


def ensure_moderators_group() -> Any:
    """Create (or complete) the group; safe to call again, e.g. after a test flushed the database."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    # After a flush the content types are re-created under new ids; cached old ids would give the
    # permissions the wrong content type, and the group would silently miss them.
    ContentType.objects.clear_cache()
    for label in ("wagtailadmin", "moderation", "discussion"):
        create_permissions(apps.get_app_config(label), verbosity=0)
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    return group
