"""One rule says who moderates: the moderation.moderate_comments permission, asked through
core.actors.can_moderate by discussion's actions and moderation's alike."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.core.errors import ApiError, ErrorCode
from tests.helpers import user_actor


def _user_with(username: str, app_label: str, codename: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", "pw-long-enough"
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return get_user_model().objects.get(pk=user.pk)  # a fresh permission cache


@pytest.mark.django_db
def test_the_moderation_permission_alone_moderates_in_discussion_too(
    a_thread: Any, post: Any
) -> None:
    from masthead.discussion import actions as discussion
    from masthead.moderation import actions as moderation

    actor = user_actor(_user_with("desk", "moderation", "moderate_comments"))
    comment = post("A comment to pin.")
    assert moderation.set_thread_closed(actor, a_thread, True).is_closed
    assert discussion.set_pinned(actor, comment, True).is_pinned
    assert discussion.edit_comment(actor, comment, "Trimmed by the desk.").body == (
        "Trimmed by the desk."
    )


@pytest.mark.django_db
def test_changing_comments_in_the_admin_is_not_moderating(a_thread: Any, post: Any) -> None:
    from masthead.discussion import actions as discussion
    from masthead.moderation import actions as moderation

    actor = user_actor(_user_with("clerk", "discussion", "change_comment"))
    comment = post("Not the clerk's to hide.")
    for attempt in (
        lambda: discussion.set_thread_closed(actor, a_thread, True),
        lambda: discussion.set_pinned(actor, comment, True),
        lambda: moderation.remove_comment(actor, comment, "no"),
    ):
        with pytest.raises(ApiError) as refused:
            attempt()
        assert refused.value.code == ErrorCode.FORBIDDEN


@pytest.mark.django_db
def test_groups_that_could_change_comments_keep_moderating_after_the_migration() -> None:
    import importlib

    from django.contrib.auth.models import Group, Permission
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from masthead.core.actors import Actor, can_moderate

    migration = importlib.import_module(
        "masthead.moderation.migrations.0006_one_moderator_permission"
    )
    desk = Group.objects.create(name="Night desk")
    desk.permissions.add(
        Permission.objects.get(content_type__app_label="discussion", codename="change_comment")
    )
    member_of_desk = _user_with("night", "wagtailadmin", "access_admin")
    member_of_desk.groups.add(desk)
    one_user = _user_with("solo", "discussion", "change_comment")
    # A historical registry, as `migrate` passes (of today's schema, which the test database has),
    # never the live one: a live app that loses its models module is skipped by every later
    # post_migrate, so the flushes of the transactional tests after this one recreate nothing.
    apps = MigrationLoader(connection).project_state().apps
    migration.grant_moderate_to_comment_editors(apps, None)
    from django.contrib.auth import get_user_model

    for user in (member_of_desk, one_user):
        fresh = get_user_model().objects.get(pk=user.pk)
        assert can_moderate(Actor.for_user(fresh))
