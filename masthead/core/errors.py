"""The one error type of the JSON API: `{"error": code, "message": text, "fields": {...}}`.

Clients (the page's JS, the embed, tests) branch on `error`, never on the prose in `message`.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refusal the reader can understand. `status` is the HTTP status; `fields` maps input names to messages."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields or {}
        self.headers = headers or {}

    def as_dict(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "fields": self.fields}


# Codes shared across apps; apps may add their own, documented in docs/api.md.
INVALID = "invalid"
NOT_FOUND = "not_found"
FORBIDDEN = "forbidden"
NOT_AUTHENTICATED = "not_authenticated"
CONFLICT = "conflict"
TOO_LARGE = "too_large"
RATE_LIMITED = "rate_limited"
UNAVAILABLE = "unavailable"


def invalid(message: str, **fields: str) -> ApiError:
    return ApiError(INVALID, message, 400, fields)


def not_found(message: str = "Not found.") -> ApiError:
    return ApiError(NOT_FOUND, message, 404)


def forbidden(message: str) -> ApiError:
    return ApiError(FORBIDDEN, message, 403)
