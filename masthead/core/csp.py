"""The Content-Security-Policy header (django-csp), the same from the fast path as from the stack.

The directives are `settings.CONTENT_SECURITY_POLICY` (built by `core/csp_policy.py`); a view that needs
more says so on its response (`allow_stripe`), and paths under /admin/ get the admin's policy.
"""

from __future__ import annotations

from dataclasses import asdict
from http import HTTPStatus
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from masthead.core.csp_policy import ADMIN_PREFIX, admin_policy, stripe_policy

# What a response or a request can carry that makes its policy its own (django-csp's decorators, a
# nonce the page used); without them the policy is the same for every response of its kind.
_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt",
    "_csp_exempt_ro",
)


class MastheadCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy under /admin/.

    django-csp builds the header from the settings for every response (~70 µs, a quarter of a cached
    read's CPU on the fast path); a response with no policy of its own gets the header built once
    per kind (the admin's or the readers') for the settings in force.
    """

    # Built headers per kind of page; two threads building at once store the same thing.
    _built: dict[bool, tuple[Any, Any, Any, str, str]] = {}

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _OWN_POLICY)
            or (
                settings.DEBUG
                and response.status_code in (HTTPStatus.NOT_FOUND, HTTPStatus.INTERNAL_SERVER_ERROR)
            )
        ):
            return super().process_response(request, response)
        config = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        if (config or {}).get("EXCLUDE_URL_PREFIXES") or (report_only or {}).get(
            "EXCLUDE_URL_PREFIXES"
        ):
            return super().process_response(request, response)
        admin = request.path_info.startswith(ADMIN_PREFIX)
        media = tuple(getattr(settings, "MEDIA_ORIGINS", ()))
        built = self._built.get(admin)
        if (
            built is None
            or built[0] is not config
            or built[1] is not report_only
            or built[2] != media
        ):
            parts = self.get_policy_parts(request, response)
            parts_ro = self.get_policy_parts(request, response, report_only=True)
            built = (
                config,
                report_only,
                media,
                build_policy(**asdict(parts)),
                build_policy(**asdict(parts_ro), report_only=True),
            )
            self._built[admin] = built
        if built[3] and HEADER not in response:
            response[HEADER] = built[3]
        if built[4] and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = built[4]
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            admin = admin_policy(getattr(settings, "MEDIA_ORIGINS", ()))
            parts.replace = {**admin, **(parts.replace or {})}
        return parts


def allow_stripe(response: HttpResponseBase) -> HttpResponseBase:
    """Let this response load Stripe.js and its frames (the donation form; settings read per request,
    as tests point STRIPE_JS_URL at localstripe)."""
    response._csp_update = stripe_policy(settings.STRIPE_JS_URL)  # type: ignore[attr-defined]
    return response


def _unused_get_response(request: HttpRequest) -> HttpResponseBase:  # pragma: no cover
    raise AssertionError("The CSP middleware is only used for its response hook here.")


_for_fast_answers = MastheadCSPMiddleware(_unused_get_response)


def add_policy(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """The header the stack's middleware adds, for answers that never reach it (core.fastpath)."""
    return _for_fast_answers.process_response(request, response)
