"""Pages of the discussion outside the JSON API: an external page's thread on a page of its own, the
no-JavaScript comment form, permalinks, avatars.

The form post is CSRF-exempt because the cached article page carries no token; instead it accepts only
same-origin posts (the Origin header, or the Referer when a browser sends no Origin) and it redirects
only to the thread's own page (or the translation sharing its thread that the reader wrote from),
looked up in the database; an external page's thread goes back to its page here (`thread_page`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from masthead.accounts.guest import read_guest, write_guest
from masthead.core.actors import actor_from_request
from masthead.core.errors import ApiError, ErrorCode
from masthead.core.inputs import MAX_ID, parse_optional_int
from masthead.discussion import actions, queries
from masthead.discussion.avatars import avatar_svg
from masthead.discussion.inputs import CommentInput
from masthead.discussion.models import CommentStatus, Thread
from masthead.discussion.policy import Policy, thread_policy
from masthead.discussion.templatetags.discussion_tags import region_context
from masthead.discussion.translations import page_written_from

MAX_FORM_BYTES = 64 * 1024


def is_same_origin(request: HttpRequest) -> bool:
    source = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER") or ""
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return parts.scheme in ("http", "https") and parts.netloc == request.get_host()


@dataclass(frozen=True)
class ThreadPageLink:
    """An external page's thread where templates expect its page (`page.url`, `page.full_url`): its
    page here, `thread_page`."""

    url: str
    full_url: str


def _thread_page_link(request: HttpRequest, thread: Thread) -> ThreadPageLink:
    path = reverse("discussion:thread_page", args=[thread.pk])
    return ThreadPageLink(url=path, full_url=request.build_absolute_uri(path))


def _page_written_from(request: HttpRequest, thread: Thread) -> Any:
    """The thread's page, or the translation sharing its thread that the reader wrote from; for an
    external page's thread (no article here), its page on this site."""
    if thread.page is None:
        return _thread_page_link(request, thread)
    return page_written_from(thread.page, request.META.get("HTTP_REFERER", ""))


def _error_page(
    request: HttpRequest, thread: Thread, error: ApiError, data: CommentInput
) -> HttpResponse:
    response = render(
        request,
        "discussion/form_error.html",
        {
            "thread": thread,
            "page": _page_written_from(request, thread),
            "error": error,
            "data": data,
        },
        status=error.status,
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


@csrf_exempt
@require_POST
def post_form(request: HttpRequest, thread_id: int) -> HttpResponse:
    """The comment form without JavaScript: post, then go back to the new comment (303)."""
    try:
        thread = queries.visible_thread(thread_id)
    except ApiError as error:
        raise Http404(error.message) from error
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_FORM_BYTES:
            raise ApiError(ErrorCode.TOO_LARGE, _("The comment form was too large."), 413)
    except ValueError:
        pass
    form = request.POST
    data = CommentInput(
        body=form.get("body", ""),
        name=form.get("name", ""),
        email=form.get("email", ""),
        website=form.get("website", ""),
        notify=form.get("notify") or None,
        honeypot=form.get("homepage_url", ""),
    )
    guest = read_guest(request)
    if not request.user.is_authenticated:
        guest = guest.with_key()
    actor = actor_from_request(request, guest_key=guest.key, confirmed_email=guest.confirmed_email)
    try:
        if not is_same_origin(request):
            raise ApiError(
                ErrorCode.CSRF_FAILED, _("Please post comments from the article page."), 403
            )
        data.parent_id = parse_optional_int(
            form.get("parent_id"), name="parent_id", minimum=1, maximum=MAX_ID - 1
        )
        comment = actions.post_comment(actor, thread, data)
    except ApiError as error:
        return _error_page(request, thread, error, data)
    # Never off-site: an external page's thread goes back to its page here, not to the external URL.
    page_url = _page_written_from(request, thread).url or "/"
    if comment.status == CommentStatus.APPROVED:
        target = f"{page_url}?comment={comment.pk}#comment-{comment.pk}"
    else:
        target = f"{page_url}?posted=pending#comments"
    response = HttpResponseRedirect(target, status=303)
    if not actor.is_authenticated:
        write_guest(
            response,
            guest.remembering(comment.author_name, comment.author_email, comment.author_website),
        )
    return response


def _shown_thread(thread_id: int) -> tuple[Thread, Policy]:
    """`queries.readable_thread` with every field of the thread (an external one's title and URL): a
    thread readers may see whose discussion is not hidden, with its policy (cached); else a 404."""
    try:
        thread = queries.visible_thread(thread_id)
    except ApiError as error:
        raise Http404(error.message) from error
    policy = thread_policy(thread)
    if policy.is_hidden:
        raise Http404(queries.NOT_VISIBLE_MESSAGE)
    return thread, policy


def _story_link(url: str) -> tuple[str, str] | None:
    """(URL, host) of an external page's story, for http(s) URLs only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url, parts.netloc


@require_safe
def thread_page(request: HttpRequest, thread_id: int) -> HttpResponse:
    """/discussion/t/<id>/: an external page's discussion on a page of its own (indexable, the same
    region as under an article); an article's thread redirects to the article's comments."""
    thread, policy = _shown_thread(thread_id)
    if not thread.is_external:
        article_url = thread.display_url
        if not article_url:
            raise Http404(queries.NOT_VISIBLE_MESSAGE)
        return HttpResponseRedirect(f"{article_url}#comments")
    here = _thread_page_link(request, thread)
    story = _story_link(thread.url)
    return render(
        request,
        "discussion/thread_page.html",
        {
            **region_context(request.GET, thread, policy),
            "here": here,
            "story_url": story[0] if story else "",
            "story_host": story[1] if story else "",
        },
    )


@require_safe
def permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    """/discussion/comments/<id>/ -> the article page opened at that comment."""
    try:
        comment = queries.visible_comment(comment_id, statuses=queries.VISIBLE)
    except ApiError as error:
        raise Http404(error.message) from error
    # An external page's thread (imported by its URL) lives on that page: its canonical http(s) URL.
    page_url = comment.thread.display_url or "/"
    return HttpResponseRedirect(f"{page_url}?comment={comment.pk}#comment-{comment.pk}")


@require_safe
@cache_control(max_age=86400 * 30, public=True, immutable=True)
def avatar(request: HttpRequest, seed: str) -> HttpResponse:
    svg = avatar_svg(seed, request.GET.get("i", "?")[:8], request.GET.get("c", "")[:2])
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
