"""The one error type of the JSON API: `{"error": code, "message": text, "fields": {...}}`.

Clients (the page's JS, the embed, tests) branch on `error`, never on the prose in `message`. Every
code is an `ErrorCode`; docs/api.md's error table lists the same codes (a test keeps them in step).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ninja import Schema


class ErrorCode(StrEnum):
    INVALID = "invalid"  # input does not validate; `fields` names the inputs
    REJECTED = "rejected"  # a moderation rule or the honeypot refused the comment
    NAME_RESERVED = "name_reserved"  # a guest name that is someone else's, or a staff word
    NOT_AUTHENTICATED = (
        "not_authenticated"  # the endpoint needs a signed-in user (or a valid token)
    )
    CSRF_FAILED = "csrf_failed"  # a write without a valid CSRF token, or a cross-origin form post
    FORBIDDEN = "forbidden"  # not yours, or not a moderator
    CLOSED = "closed"  # the thread is closed to comments and votes
    EDIT_WINDOW_CLOSED = "edit_window_closed"  # the edit (or guest delete) window has passed
    COMMENT_REMOVED = "comment_removed"  # the author tried to edit a comment a moderator removed
    OWN_COMMENT = "own_comment"  # voting on one's own comment
    REGISTRATION_REQUIRED = "registration_required"  # commenting needs a signed-in reader
    SUPPORTERS_ONLY = "supporters_only"  # commenting needs an active monthly supporter
    EMAIL_UNVERIFIED = "email_unverified"  # a signed-in reader whose address is not yet verified
    INLINE_DISABLED = "inline_disabled"  # comments on passages are off for this article
    NOT_FOUND = "not_found"  # unknown, unpublished or private object
    METHOD_NOT_ALLOWED = "method_not_allowed"  # the path exists, the HTTP method does not
    DUPLICATE = "duplicate"  # the same comment from the same reader within a minute
    CONFLICT = "conflict"  # already done (a vote, a report), or an Idempotency-Key clash
    EXPIRED = "expired"  # a link or token past its lifetime
    USED = "used"  # a one-use link already used
    TOO_LARGE = "too_large"  # a body or request over its maximum size
    RATE_LIMITED = "rate_limited"  # too many requests; Retry-After gives the seconds to wait
    CAMPAIGN_CLOSED = "campaign_closed"  # the campaign is not taking donations
    CARD_DECLINED = "card_declined"  # the payment provider declined the card
    BAD_SIGNATURE = "bad_signature"  # a webhook whose signature is missing, wrong or stale
    NOT_CONFIGURED = "not_configured"  # a webhook arrived while its secret is not set
    PROVIDER_ERROR = "provider_error"  # the payment provider failed or could not be reached
    PROCESSING_FAILED = "processing_failed"  # a stored webhook event failed to apply; it is retried
    ORIGIN_NOT_ALLOWED = "origin_not_allowed"  # an embed request from a site not allowed
    TOKEN_INVALID = "token_invalid"  # noqa: S105 - an embed session token: forged, expired, elsewhere
    SSO_INVALID = "sso_invalid"  # a host site's SSO token: bad signature, expired or incomplete
    UNAVAILABLE = "unavailable"  # the feature is not set up on this site (e.g. no payment keys)
    ERROR = "error"  # any other HTTP error raised by the framework


# The JSON error shape every endpoint answers with (the OpenAPI document lists the codes).
class ErrorOut(Schema):
    error: ErrorCode
    message: str
    fields: dict[str, str]


class ApiError(Exception):
    """A refusal the reader can understand. `status` is the HTTP status; `fields` maps input names to messages."""

    def __init__(
        self,
        code: ErrorCode,
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
        return {"error": str(self.code), "message": self.message, "fields": self.fields}


def invalid(message: str, **fields: str) -> ApiError:
    return ApiError(ErrorCode.INVALID, message, 400, fields)


def not_found(message: str = "Not found.") -> ApiError:
    return ApiError(ErrorCode.NOT_FOUND, message, 404)


def forbidden(message: str) -> ApiError:
    return ApiError(ErrorCode.FORBIDDEN, message, 403)
