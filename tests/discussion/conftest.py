"""Discussion fixtures: threads, guests and readers set up through real actions."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.cache import cache

from masthead.core.actors import Actor
from masthead.core.clientip import hash_ip

_addresses = itertools.count(10)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rate-limit windows and page versions live in the (per-process, local-memory) cache."""
    cache.clear()
    yield
    cache.clear()


def guest_actor(name: str = "guest", ip: str | None = None) -> Actor:
    ip = ip or f"198.51.100.{next(_addresses) % 250 + 1}"
    return Actor(guest_key=f"key-{name}", ip=ip, ip_hash=hash_ip(ip))


def user_actor(user: Any, ip: str = "203.0.113.7") -> Actor:
    return Actor(user=user, ip=ip, ip_hash=hash_ip(ip))


@pytest.fixture
def a_guest() -> Actor:
    return guest_actor("ada")


@pytest.fixture
def another_guest() -> Actor:
    return guest_actor("bob")


@pytest.fixture
def a_reader(db: Any) -> Any:
    from tests.conftest import a_verified_user

    return a_verified_user(
        "reader", "reader@example.com", "correct horse battery", display_name="Rea Der"
    )


@pytest.fixture
def a_moderator(a_staff_user: Any) -> Actor:
    return user_actor(a_staff_user, ip="203.0.113.99")


def comment_input(body: str = "A thoughtful comment.", **kwargs: Any) -> Any:
    from masthead.discussion.inputs import CommentInput

    kwargs.setdefault("name", "Ada")
    kwargs.setdefault("email", "ada@example.com")
    return CommentInput(body=body, **kwargs)
