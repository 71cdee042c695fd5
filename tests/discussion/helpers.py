"""Client helpers: same-origin JSON calls with the CSRF cookie and header, as discussion.js makes them."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


class Reader:
    """A browser: its own cookies (guest identity, CSRF) and its own address."""

    def __init__(self, ip: str = "192.0.2.10", **extra: Any) -> None:
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ip, **extra)
        self.token = ""

    def me(self, thread_id: int) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/threads/{thread_id}/me")
        assert response.status_code == 200, response.content
        self.token = (
            response.cookies["csrftoken"].value if "csrftoken" in response.cookies else self.token
        )
        return response.json()

    def _send(
        self, method: str, path: str, data: Any = None, raw: bytes | str | None = None
    ) -> Any:
        body = raw if raw is not None else json.dumps(data if data is not None else {})
        return getattr(self.client, method)(
            path, body, content_type="application/json", HTTP_X_CSRFTOKEN=self.token
        )

    def post(self, path: str, data: Any = None, raw: bytes | str | None = None) -> Any:
        return self._send("post", path, data, raw)

    def patch(self, path: str, data: Any = None) -> Any:
        return self._send("patch", path, data)

    def put(self, path: str, data: Any = None) -> Any:
        return self._send("put", path, data)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, HTTP_X_CSRFTOKEN=self.token)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params)

    def comment(self, thread_id: int, body: str = "A comment.", **fields: Any) -> Any:
        if not self.token:
            self.me(thread_id)
        fields.setdefault("name", "Ada")
        fields.setdefault("email", "ada@example.com")
        return self.post(f"/api/v1/threads/{thread_id}/comments", {"body": body, **fields})


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:500])
    data = response.json()
    assert data["error"] == code, data
    assert set(data) == {"error", "message", "fields"}
    return data
