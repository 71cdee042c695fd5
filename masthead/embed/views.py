"""The embed's pages on the news site: `/embed.js` itself, the sign-in popup, and the example page.

The sign-in popup is first-party: a reader signed in on the news site (or signing in there, in the
popup) hands the embedding page a session token by `postMessage` to that page's origin only, which
must be an allowed site; so identity works with third-party cookies blocked. Pages in that popup
are served with `Cross-Origin-Opener-Policy: unsafe-none` (the site's default, same-origin, would
cut the popup off from its opener): the sign-in page sets it, and the middleware sets it on the
sign-in pages the popup passes through (embed/middleware.py).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from masthead.core.canonical_url import canonical_url_or_none
from masthead.discussion.queries import external_thread_for_key
from masthead.embed import actions
from masthead.embed.middleware import OPENER_POLICY, SIGN_IN_SESSION_KEY
from masthead.embed.origins import NotAnOrigin, normalise_origin
from masthead.embed.queries import site_for_origin, site_for_url
from masthead.funding.queries import active_campaigns

SCRIPT = Path(__file__).resolve().parent / "static" / "embed" / "embed.js"


@lru_cache(maxsize=1)
def _script() -> tuple[bytes, str]:
    body = SCRIPT.read_bytes()
    return body, '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'


@require_safe
def embed_script(request: HttpRequest) -> HttpResponseBase:
    """`/embed.js` at a URL that never changes (the host pages name it), revalidated every five
    minutes with its ETag, so a new version reaches every host page within minutes."""
    body, etag = _script() if not settings.DEBUG else (SCRIPT.read_bytes(), "")
    if etag and request.META.get("HTTP_IF_NONE_MATCH") == etag:
        response: HttpResponseBase = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    if etag:
        response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _refused(request: HttpRequest, status: int = 400) -> HttpResponse:
    response = render(request, "embed/sign_in_refused.html", status=status)
    response["Cross-Origin-Opener-Policy"] = OPENER_POLICY
    return response


@require_safe
def sign_in(request: HttpRequest) -> HttpResponse:
    """The popup: `?origin=` names the embedding page's origin (an allowed site's)."""
    try:
        origin = normalise_origin(request.GET.get("origin", ""))
    except NotAnOrigin:
        return _refused(request)
    site = site_for_origin(origin)
    if site is None:
        return _refused(request)
    if not request.user.is_authenticated:
        request.session[SIGN_IN_SESSION_KEY] = origin
        here = reverse("embed:sign_in") + "?" + urlencode({"origin": origin})
        response: HttpResponse = HttpResponseRedirect(
            reverse("account_login") + "?" + urlencode({"next": here})
        )
        response["Cross-Origin-Opener-Policy"] = OPENER_POLICY
        return response
    request.session.pop(SIGN_IN_SESSION_KEY, None)
    session = actions.start_reader_session(site, origin, request.user)
    response = render(
        request,
        "embed/sign_in.html",
        {"site": site, "origin": origin, "session": session, "user": request.user},
    )
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Opener-Policy"] = OPENER_POLICY
    return response


@require_safe
def discussion_for_url(request: HttpRequest) -> HttpResponse:
    """`/embed/discussion/?url=<page>`: the no-JavaScript link a host page puts in its `<noscript>`,
    to the discussion's own page here (302), or a 404 when that page has no discussion yet. The URL
    is spelled as its website says (the query parameters that name its pages kept)."""
    url = request.GET.get("url", "")[:2000]
    site = site_for_url(url)
    canonical = canonical_url_or_none(url, site.kept_query if site else None)
    thread = external_thread_for_key(canonical) if canonical else None
    if thread is None:
        raise Http404("No discussion is kept for this page yet.")
    return HttpResponseRedirect(reverse("discussion:thread_page", args=[thread.pk]))


def other_name(host: str) -> str:
    """The same server under its other loopback name (127.0.0.1 <-> localhost), keeping the port;
    any other host stays itself (the example is then same-origin)."""
    name, sep, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not sep:
        name, port = host, ""
    other = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}.get(name, name)
    return f"{other}:{port}" if port else other


@require_safe
def example(request: HttpRequest) -> HttpResponse:
    """The demo's embedding page: how another website shows this site's discussion, support block
    and counts. It loads embed.js from the site's other loopback name (127.0.0.1 <-> localhost), so
    in the browser it is another origin and another site, as a real embedding website is."""
    host = request.get_host()
    news = f"{request.scheme}://{other_name(host)}"
    # Its canonical address names it under "localhost" whichever name the reader typed, so both
    # names show one discussion (embed.js reads <link rel=canonical> when there is no data-url).
    page_host = host if host.partition(":")[0] != "127.0.0.1" else other_name(host)
    canonical = f"{request.scheme}://{page_host}{request.path}"
    response = render(
        request,
        "embed/example.html",
        {"news": news, "canonical": canonical, "campaign": demo_campaign_slug()},
    )
    # The page is "another website": it takes its script, API answers and avatars from the news site.
    response._csp_update = {  # type: ignore[attr-defined]
        "script-src": [news],
        "connect-src": [news],
        "img-src": [news],
    }
    return response


def demo_campaign_slug() -> str:
    campaign = active_campaigns().first()
    return campaign.slug if campaign is not None else ""
