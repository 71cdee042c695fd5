"""The Content-Security-Policy header (django-csp), the same from the fast path as from the stack.

The directives are `settings.CONTENT_SECURITY_POLICY` (built by `core/csp_policy.py`); a view that needs
more says so on its response (`allow_stripe`), and paths under /admin/ get the admin's policy.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from masthead.core.csp_policy import ADMIN_PREFIX, admin_policy, stripe_policy


class MastheadCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy under /admin/."""

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
