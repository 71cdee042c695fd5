"""The JSON API under /api/v1/: each app contributes a django-ninja router; errors share one shape."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from masthead.core.errors import ApiError, ErrorCode

logger = logging.getLogger("masthead.api")

api = NinjaAPI(
    title="Masthead API",
    version="1",
    urls_namespace="api",
    description="Discussion, funding and moderation for Masthead sites. Errors are "
    '`{"error": code, "message": text, "fields": {...}}`.',
)


def _error_response(request: HttpRequest, error: ApiError) -> HttpResponse:
    response = api.create_response(request, error.as_dict(), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def handle_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error_response(request, exc)


def _field_name(loc: list | tuple) -> str:
    parts = [
        str(part)
        for part in loc
        if part not in ("body", "query", "path", "payload", "data", "form")
    ]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def handle_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for item in exc.errors:
        name = _field_name(item.get("loc", ()))
        message = str(item.get("msg", "Invalid value."))
        message = message.removeprefix("Value error, ")
        fields.setdefault(name, message)
    summary = "; ".join(f"{name}: {message}" for name, message in fields.items()) or _(
        "Invalid input."
    )
    return _error_response(
        request,
        ApiError(
            ErrorCode.INVALID,
            _("Please correct the input. %(summary)s") % {"summary": summary},
            400,
            fields,
        ),
    )


@api.exception_handler(AuthenticationError)
def handle_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error_response(
        request, ApiError(ErrorCode.NOT_AUTHENTICATED, _("Please sign in first."), 401)
    )


@api.exception_handler(HttpError)
def handle_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        400: ErrorCode.INVALID,
        401: ErrorCode.NOT_AUTHENTICATED,
        403: ErrorCode.FORBIDDEN,
        404: ErrorCode.NOT_FOUND,
        405: ErrorCode.METHOD_NOT_ALLOWED,
        409: ErrorCode.CONFLICT,
        413: ErrorCode.TOO_LARGE,
        429: ErrorCode.RATE_LIMITED,
    }
    return _error_response(
        request, ApiError(codes.get(exc.status_code, ErrorCode.ERROR), str(exc), exc.status_code)
    )


@api.exception_handler(RequestDataTooBig)
def handle_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error_response(
        request, ApiError(ErrorCode.TOO_LARGE, _("The request is too large."), 413)
    )


@api.exception_handler(UnicodeError)
def handle_unicode_error(request: HttpRequest, exc: UnicodeError) -> HttpResponse:
    return _error_response(
        request,
        ApiError(ErrorCode.INVALID, _("The request contains text that cannot be decoded."), 400),
    )


def _mount_routers() -> None:
    from masthead.discussion.api import router as discussion_router
    from masthead.funding.api import router as funding_router
    from masthead.moderation.api import router as moderation_router
    from masthead.notifications.api import router as notifications_router

    api.add_router("", discussion_router)
    api.add_router("", "masthead.discussion.inline.api.router")
    api.add_router("", notifications_router)
    api.add_router("", funding_router)
    api.add_router("", moderation_router)
    api.add_router("", "masthead.migration.api.router")
    api.add_router("/embed", "masthead.embed.api.router")


_mount_routers()
