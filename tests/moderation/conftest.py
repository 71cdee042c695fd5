"""Fixtures for moderation tests: a thread, moderators and non-moderators, and a poster of comments."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest

_addresses = itertools.count(10)


def guest(ip: str = "", key: str = "") -> Any:
    """A guest reader at its own address (so rate limits and duplicate checks see distinct readers)."""
    from masthead.core.actors import Actor
    from masthead.core.clientip import hash_ip

    number = next(_addresses)
    ip = ip or f"198.51.{number // 250}.{number % 250 + 1}"
    return Actor(guest_key=key or f"guest{number}", ip=ip, ip_hash=hash_ip(ip), user_agent="pytest")


def member(user: Any, ip: str = "") -> Any:
    from masthead.core.actors import Actor
    from masthead.core.clientip import hash_ip

    number = next(_addresses)
    ip = ip or f"203.0.{number // 250}.{number % 250 + 1}"
    return Actor(user=user, ip=ip, ip_hash=hash_ip(ip), user_agent="pytest")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def post(a_thread: Any) -> Callable[..., Any]:
    """post(body, actor=None, thread=None, **fields) -> Comment, through discussion's real action."""
    from masthead.discussion.actions import post_comment
    from masthead.discussion.inputs import CommentInput

    def _post(body: str, actor: Any = None, thread: Any = None, **fields: Any) -> Any:
        actor = actor or guest()
        fields.setdefault("name", "Guest Reader")  # not the a_reader account's name (reserved)
        fields.setdefault("email", f"{actor.guest_key or 'member'}@example.com")
        fields.setdefault("seconds_to_submit", 30.0)
        return post_comment(actor, thread or a_thread, CommentInput(body=body, **fields))

    return _post


def _user(username: str, **extra: Any) -> Any:
    from tests.conftest import a_verified_user

    return a_verified_user(username, f"{username}@example.com", "correct horse battery", **extra)


@pytest.fixture
def a_moderator(db: Any) -> Any:
    """A member of the Moderators group (re-made if a transactional test flushed the migration's rows)."""
    from masthead.moderation.groups import ensure_moderators_group

    user = _user("moderator")
    user.groups.add(ensure_moderators_group())
    return user


@pytest.fixture
def an_editor(db: Any) -> Any:
    """Staff with Wagtail's Editors group, but without the moderator permission."""
    from django.contrib.auth.models import Group

    user = _user("editor2", is_staff=True)
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        user.groups.add(editors)
    return user


@pytest.fixture
def a_reader(db: Any) -> Any:
    return _user("reader")


@pytest.fixture
def moderator_actor(a_moderator: Any) -> Any:
    return member(a_moderator)


@pytest.fixture
def seeded_classifier(db: Any) -> Any:
    """A model trained on a small slice of the bundled labelled set."""
    from masthead.moderation import classifier
    from masthead.moderation.dataset import labelled_comments
    from masthead.moderation.models import ClassifierModel

    model = classifier.train(
        [(classifier.features(body), is_spam) for body, is_spam in labelled_comments(300, seed=7)],
        version=1,
    )
    return ClassifierModel.objects.create(
        version=1,
        spam_documents=model.spam_documents,
        ham_documents=model.ham_documents,
        data=model.as_data(),
    )
