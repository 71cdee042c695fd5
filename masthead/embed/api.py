"""The embed's JSON API, under /api/v1/embed/ (mounted by masthead/api.py).

Every endpoint here answers only pages on an allowed website (their browser's `Origin` header is one
of an allowed site's origins): anything else is a 403 `origin_not_allowed`, the one answer such a
page may read (so the widget can say why in the console). Reads of the discussion itself (more comments, the live
stream) and writes go to discussion's own endpoints, which answer allowed origins with CORS and take
the embed's bearer token (core/cors.py, embed/middleware.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Query, Router, Schema

from masthead.core.actors import actor_from_request
from masthead.core.canonical_url import canonical_url_or_none
from masthead.core.cors import request_origin
from masthead.core.errors import ApiError, ErrorCode, ErrorOut
from masthead.discussion import queries as discussion_queries
from masthead.discussion import thread_cache
from masthead.embed import actions
from masthead.embed.queries import AllowedSite, site_for_origin
from masthead.embed.strings import embed_strings
from masthead.funding.queries import campaign_goal_bar

router = Router(tags=["embed"])
ERRORS: dict[int, Any] = dict.fromkeys((400, 403, 404, 429), ErrorOut)
MAX_COUNT_URLS = 50


def allowed_site(request: HttpRequest) -> AllowedSite:
    origin = request_origin(request)
    site = site_for_origin(origin)
    if site is None:
        raise ApiError(
            ErrorCode.ORIGIN_NOT_ALLOWED,
            _(
                "%(origin)s is not allowed to embed this site's discussion: an editor adds it "
                "under Settings > Embedding websites."
            )
            % {"origin": origin or _("This page")},
            403,
            # Readable by the refused page itself, so the embed can say why in the console.
            headers={"Access-Control-Allow-Origin": "*"},
        )
    return site


def count_label(count: int) -> str:
    return ngettext("%(counter)s comment", "%(counter)s comments", count) % {"counter": count}


# --- schemas -------------------------------------------------------------------------------------


class EmbedThreadOut(Schema):
    id: int
    url: str
    title: str
    comment_count: int
    count_label: str
    is_open: bool
    page_url: str = Field(description="The discussion's own page on the news site (no JavaScript).")


class EmbedPolicyOut(Schema):
    likes_only: bool
    email_required: bool
    max_length: int
    who_may_comment: str
    live: bool


class EmbedCommentsOut(Schema):
    count: int
    items: list[dict[str, Any]] = Field(description="Comment items, as /threads/{id}/comments.")
    next_cursor: str | None


class EmbedDiscussionOut(Schema):
    thread: EmbedThreadOut
    comments: EmbedCommentsOut
    policy: EmbedPolicyOut
    strings: dict[str, str]
    lang: str
    dir: str
    sign_in_url: str


class SessionIn(Schema):
    sso: str | None = Field(None, description="The host site's HS256 JWT {sub, name, email, exp}.")


class SessionOut(Schema):
    token: str
    expires_at: datetime
    authenticated: bool
    name: str


class CountOut(Schema):
    count: int
    label: str


class CountsOut(Schema):
    counts: dict[str, CountOut]


class EmbedCampaignOut(Schema):
    slug: str
    title: str
    raised_text: str
    goal_text: str
    zero_text: str
    half_text: str
    percent: int
    percent_text: str
    bar_percent: int
    donor_count: int
    ended: bool
    donate_url: str
    strings: dict[str, str]
    lang: str
    dir: str


def _language() -> tuple[str, str]:
    return translation.get_language() or "en", "rtl" if translation.get_language_bidi() else "ltr"


# --- discussion ----------------------------------------------------------------------------------


@router.get(
    "/threads",
    response={200: EmbedDiscussionOut, **ERRORS},
    summary="An embedding page's discussion, with its first comments (created on first visit)",
)
def embed_thread(
    request: HttpRequest, url: str, title: str = "", id: str = "", sort: str = "newest"
) -> Any:
    """Everything the embed paints first, in one answer: the thread of the page at `url` (or named
    `id` by the embedding site), its first page of comments in `sort` order, its policy, and the
    widget's words in the reader's language (`Accept-Language`)."""
    site = allowed_site(request)
    if sort not in discussion_queries.SORTS:
        raise ApiError(
            ErrorCode.INVALID, _("Sort by newest, oldest or votes."), 400, {"sort": _("Invalid.")}
        )
    actor = actor_from_request(request)
    full = actions.embedded_thread(site, url=url, title=title, key=id, ip_hash=actor.ip_hash)
    # The light read readers' pages make: hidden discussions refused, the policy as the site says.
    thread, policy = discussion_queries.readable_thread(full.pk)
    comments = thread_cache.thread_page_json(
        thread, policy, sort=sort, count=policy.page_size, cursor=None, kind=""
    )
    lang, direction = _language()
    origin = request_origin(request)
    rest = {
        "thread": {
            "id": thread.pk,
            "url": full.url,
            "title": full.display_title,
            "comment_count": thread.comment_count,
            "count_label": count_label(thread.comment_count),
            "is_open": policy.is_open and not thread.is_closed,
            "page_url": request.build_absolute_uri(
                reverse("discussion:thread_page", args=[thread.pk])
            ),
        },
        "policy": {
            "likes_only": policy.likes_only,
            "email_required": policy.email_required,
            "max_length": policy.max_length,
            "who_may_comment": policy.who_may_comment,
            "live": discussion_queries.follows_live(thread, policy),
        },
        "strings": embed_strings(),
        "lang": lang,
        "dir": direction,
        "sign_in_url": request.build_absolute_uri(reverse("embed:sign_in"))
        + "?"
        + urlencode({"origin": origin}),
    }
    body = '{"comments":' + comments + "," + json.dumps(rest, separators=(",", ":"))[1:]
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/session",
    response={200: SessionOut, **ERRORS},
    summary="A session for the embed: a guest's, or the host site's reader by SSO",
)
def embed_session(request: HttpRequest, payload: SessionIn) -> Any:
    """A bearer token for this origin (kept in the host page's storage, sent as `Authorization:
    Bearer`): a new guest, or with `sso` the host site's signed-in reader."""
    site = allowed_site(request)
    origin = request_origin(request)
    if payload.sso:
        session = actions.start_sso_session(site, origin, payload.sso)
    else:
        session = actions.start_guest_session(site, origin, actor_from_request(request).ip_hash)
    return {
        "token": session.token,
        "expires_at": session.expires_at,
        "authenticated": session.authenticated,
        "name": session.name,
    }


@router.get(
    "/counts",
    response={200: CountsOut, **ERRORS},
    summary="Comment counts of pages on the embedding site, in one request",
)
def embed_counts(
    request: HttpRequest,
    url: list[str] = Query(None, description="A page's URL; repeat for each page."),  # noqa: B008
) -> Any:
    """`?url=a&url=b...` (up to 50): each known page's count and its label ("12 comments"), keyed
    by the URL exactly as sent; pages without a discussion are left out."""
    site = allowed_site(request)
    urls = list(dict.fromkeys(url or []))
    if len(urls) > MAX_COUNT_URLS:
        raise ApiError(
            ErrorCode.INVALID,
            _("Ask for at most %(count)d pages at once.") % {"count": MAX_COUNT_URLS},
            400,
            {"url": _("Too many.")},
        )
    canonical = {
        sent: found
        for sent in urls
        if (found := canonical_url_or_none(sent, site.kept_query)) is not None
    }
    counts = discussion_queries.external_comment_counts(list(set(canonical.values())))
    result = {
        sent: {"count": counts[found], "label": count_label(counts[found])}
        for sent, found in canonical.items()
        if found in counts
    }
    return {"counts": result}


# --- funding -------------------------------------------------------------------------------------


@router.get(
    "/campaigns/{slug}",
    response={200: EmbedCampaignOut, **ERRORS},
    summary="A campaign's goal bar and donate link, for the support block",
)
def embed_campaign(request: HttpRequest, slug: str) -> Any:
    allowed_site(request)
    state = campaign_goal_bar(slug[:80])
    if state is None:
        raise ApiError(ErrorCode.NOT_FOUND, _("No such campaign."), 404)
    lang, direction = _language()
    return {
        **state,
        "donate_url": request.build_absolute_uri(state["donate_path"]),
        "strings": embed_strings(),
        "lang": lang,
        "dir": direction,
    }
