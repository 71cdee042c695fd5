"""What every /api/v1 answer has in common, whichever layer gave it: the JSON error shape and no-store.

django-ninja renders the errors its views raise (masthead/api.py), but some refusals never reach a
view: a body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django raises RequestDataTooBig when it is read), an
unknown path under /api/v1/ (Django's 404 page), a method the path does not take (an empty 405),
an unexpected error (Django's 500 page). `ApiResponsesMiddleware` turns each into
`{"error", "message", "fields"}` with the right status, and marks every answer except the public
reads (`PUBLIC_READS`: the same for every reader) `Cache-Control: private, no-store`, so a shared
cache or the browser's back button never keeps one reader's state, token or queue for another.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from masthead.core.errors import ApiError, ErrorCode
from masthead.core.language import request_language

API_PREFIX = "/api/v1/"
# Operations whose answer is the same for every reader (served to anyone, also from the fast path).
PUBLIC_READS = frozenset(
    {
        "get_thread",
        "list_comments",
        "thread_annotations",
        "list_campaigns",
        "get_campaign",
        "openapi-json",
        "openapi-view",
    }
)
PRIVATE = "private, no-store"

_CODES = {
    400: ErrorCode.INVALID,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.TOO_LARGE,
    429: ErrorCode.RATE_LIMITED,
}


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in first."),
        403: _("You may not do that."),
        404: _("There is no such API endpoint."),
        405: _("This endpoint does not take that method."),
        413: _("The request is too large."),
        429: _("Too many requests; please wait a moment."),
    }


def error_response(error: ApiError) -> HttpResponse:
    response = HttpResponse(
        json.dumps(error.as_dict()), status=error.status, content_type="application/json"
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


def unknown_endpoint(request: HttpRequest) -> HttpResponse:
    """Every path under /api/v1/ that no endpoint takes (mounted after the API's own URLs)."""
    return error_response(ApiError(ErrorCode.NOT_FOUND, _("There is no such API endpoint."), 404))


def _too_large() -> HttpResponse:
    return error_response(ApiError(ErrorCode.TOO_LARGE, _("The request is too large."), 413))


def _is_json(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


class ApiResponsesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        # The refusals made here speak the reader's language too (core/language.py).
        with translation.override(request_language(request)):
            response = self._answer(request)
        patch_vary_headers(response, ("Accept-Language",))
        return response

    def _answer(self, request: HttpRequest) -> HttpResponseBase:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            response: HttpResponseBase = _too_large()  # before anything reads the body
        else:
            response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            response = self._as_json_error(response)
        if "Cache-Control" not in response and not self._is_public_read(request):
            response["Cache-Control"] = PRIVATE
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig) and request.path_info.startswith(API_PREFIX):
            return _too_large()
        return None

    @staticmethod
    def _is_public_read(request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)
        return (
            request.method in ("GET", "HEAD")
            and match is not None
            and match.url_name in PUBLIC_READS
        )

    @staticmethod
    def _as_json_error(response: HttpResponseBase) -> HttpResponse:
        status = response.status_code
        code = _CODES.get(status, ErrorCode.ERROR)
        message = _messages().get(
            status, _("Something went wrong on our side; please try again in a moment.")
        )
        replacement = error_response(ApiError(code, message, status))
        for header in ("Allow", "Retry-After"):
            if header in response:
                replacement[header] = response[header]
        return replacement
