"""The sign-in pages' Content-Security-Policy lets their forms lead on to the configured providers.

allauth's "Continue with ..." page is a form posting to Masthead, which redirects to the provider;
browsers check such a redirect against the page's `form-action`, which is otherwise 'self' only.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

# Where each provider's authorization page lives (the generic OpenID Connect one: its issuer's origin).
PROVIDER_ORIGINS = {
    "google": ["https://accounts.google.com"],
    "github": ["https://github.com"],
    "facebook": ["https://www.facebook.com"],
    "apple": ["https://appleid.apple.com"],
}


def provider_origins() -> list[str]:
    """The origins of the providers configured now (settings read per request)."""
    found: list[str] = []
    for name, config in (getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}) or {}).items():
        found += PROVIDER_ORIGINS.get(name, [])
        for app in config.get("APPS", []) if isinstance(config, dict) else []:
            server = str((app.get("settings") or {}).get("server_url", ""))
            parts = urlsplit(server)
            if parts.scheme in ("http", "https") and parts.netloc:
                found.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(found))


class SocialSignInCSP:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path_info.startswith("/accounts/") and (origins := provider_origins()):
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            response._csp_update = update  # type: ignore[attr-defined]
        return response
