"""Fixtures of the embed tests: an allowed website and the requests its pages send."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

HOST = "https://other.example"
SSO_SECRET = "a-host-site-secret-of-more-than-32-characters"


@pytest.fixture(autouse=True)
def _fresh_allowed_sites() -> Iterator[None]:
    """Sites saved in a test's transaction are bumped on commit, which a rolled-back test never
    reaches: each test starts and ends with the process's copy of the list forgotten."""
    from masthead.embed.queries import forget_cached_sites

    forget_cached_sites()
    yield
    forget_cached_sites()


@pytest.fixture
def an_allowed_site(db: Any) -> Any:
    from masthead.core.actors import Actor
    from masthead.embed import actions
    from masthead.embed.queries import forget_cached_sites

    site = actions.add_site(
        Actor.system(), f"{HOST}\nhttps://www.other.example", name="Other", sso_secret=SSO_SECRET
    )
    forget_cached_sites()
    return site


class HostPage:
    """What a page on an allowed website sends: its Origin, and once it has one, its bearer token."""

    def __init__(self, client: Any, origin: str = HOST, ip: str = "198.51.100.7") -> None:
        self.client = client
        self.origin = origin
        self.ip = ip
        self.token = ""

    def headers(self, **extra: str) -> dict[str, str]:
        headers = {"HTTP_ORIGIN": self.origin, "REMOTE_ADDR": self.ip, **extra}
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return headers

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, **self.headers())

    def send(self, method: str, path: str, data: Any = None) -> Any:
        import json

        return getattr(self.client, method)(
            path,
            data=json.dumps(data) if data is not None else None,
            content_type="application/json",
            **self.headers(),
        )

    def start_session(self, **body: Any) -> Any:
        response = self.send("post", "/api/v1/embed/session", body)
        if response.status_code == 200:
            self.token = response.json()["token"]
        return response

    def discussion(self, url: str = f"{HOST}/2026/12/story/", **params: Any) -> Any:
        return self.get("/api/v1/embed/threads", url=url, **params)


@pytest.fixture
def host_page(client: Any, an_allowed_site: Any) -> HostPage:
    from django.test import Client

    return HostPage(Client(enforce_csrf_checks=True))
