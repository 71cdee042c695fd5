"""The embed's bearer token stands for the reader on /api/v1 (embed/identity.py).

A request with `Authorization: Bearer <token>` from an allowed origin is the reader the token names:
a guest (their key: their edit window and votes) or an account (a news-site reader signed in through
the first-party popup, or a host site's SSO member). Cookies play no part in it, and the token, which
no browser sends by itself, replaces the CSRF token for that request. A token that is forged,
expired, issued to another origin, or whose site has been removed is a 401 `token_invalid`, never a
quiet fall back to being someone else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext as _

from masthead.accounts.guest import GuestIdentity
from masthead.core.apiresponses import error_response
from masthead.core.cors import request_origin
from masthead.core.errors import ApiError, ErrorCode
from masthead.core.language import request_language
from masthead.embed import identity
from masthead.embed.queries import site_for_origin

API_PREFIX = "/api/v1/"
SIGN_IN_PREFIX = "/accounts/"
SIGN_IN_SESSION_KEY = "embed_sign_in"  # set by the sign-in popup (embed/views.py) for its way back
# The popup's pages keep their opener (the site's default, same-origin, would cut it off).
OPENER_POLICY = "unsafe-none"


def bearer_token(request: HttpRequest) -> str | None:
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def token_refused() -> ApiError:
    return ApiError(
        ErrorCode.TOKEN_INVALID,
        _("Your session on this website has expired or is not valid; please try again."),
        401,
    )


def embed_session(request: HttpRequest, token: str) -> identity.EmbedSession | None:
    origin = request_origin(request)
    site = site_for_origin(origin)
    session = identity.read(token, origin)
    if site is None or session is None or session.site_id != site.id:
        return None
    return session


class EmbedSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info.startswith(SIGN_IN_PREFIX):
            return self._sign_in_page(request)
        token = bearer_token(request) if request.path_info.startswith(API_PREFIX) else None
        if token is None or not identity.is_embed_token(token):
            return self.get_response(request)  # moderators' API tokens are moderation's business
        session = embed_session(request, token)
        user = None
        if session is not None and session.user_id is not None:
            user = get_user_model().objects.filter(pk=session.user_id, is_active=True).first()
            if user is None:
                session = None
        if session is None:
            with translation.override(request_language(request)):
                return error_response(token_refused())
        request.user = user if user is not None else AnonymousUser()  # type: ignore[assignment]
        request.embed_guest = GuestIdentity(key="" if user else session.guest_key)  # type: ignore[attr-defined]
        request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)

    def _sign_in_page(self, request: HttpRequest) -> HttpResponseBase:
        """A sign-in page inside the embed's popup keeps its opener (see embed/views.py)."""
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get(SIGN_IN_SESSION_KEY):
            response.headers.setdefault("Cross-Origin-Opener-Policy", OPENER_POLICY)
        return response
