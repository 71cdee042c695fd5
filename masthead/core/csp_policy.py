"""The Content-Security-Policy directives, as plain data (settings/base.py imports this module).

Reader pages carry no inline script at all (JSON data goes in `<script type="application/json">`, code
in static files), so the policy needs no nonce: a nonce inside a cached page would be the same for
every reader, and the cached bytes are all the fast path has. The donation form adds Stripe's origin
(`stripe_policy`) and the Wagtail admin gets `ADMIN_POLICY`; docs/architecture.md ("Security
headers") says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from csp.constants import NONE, SELF, UNSAFE_INLINE

ADMIN_PREFIX = "/admin/"

# Wagtail's admin sets styles inline (style attributes from its editors and choosers) and some of its
# panels run inline scripts (inline_panel.html, multiple_chooser_panel.html), so under /admin/
# (signed-in staff only) both may run inline; the other directives stay as strict as for readers.
ADMIN_POLICY: dict[str, Any] = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}


def admin_policy(media_origins: Sequence[str]) -> dict[str, Any]:
    """ADMIN_POLICY, with the uploads' origins among the images (the choosers' previews)."""
    return {**ADMIN_POLICY, "img-src": [*ADMIN_POLICY["img-src"], *media_origins]}


STRIPE_JS_ORIGIN = "https://js.stripe.com"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def reader_policy(frame_origins: list[str], media_origins: Sequence[str] = ()) -> dict[str, Any]:
    """The policy of every page outside the admin (settings.CONTENT_SECURITY_POLICY's directives);
    `media_origins`: where uploads are fetched from when not from this site (settings.MEDIA_ORIGINS)."""
    return {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https://www.gravatar.com", *media_origins],
        "media-src": [SELF, *media_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF, *frame_origins],  # video and embed providers (MASTHEAD_CSP_FRAME_SRC)
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
    }


def stripe_policy(js_url: str) -> dict[str, Any]:
    """What Stripe.js (loaded from `js_url`, settings.STRIPE_JS_URL) needs on the donation form."""
    js = origin(js_url)
    frames, api = [js], [js]
    if js == STRIPE_JS_ORIGIN:
        frames += ["https://*.js.stripe.com", "https://hooks.stripe.com"]
        api += ["https://api.stripe.com"]
    return {"script-src": [js], "frame-src": frames, "connect-src": api}
