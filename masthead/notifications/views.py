"""Pages behind the links in emails (confirm, unsubscribe), the no-JS subscribe form, my subscriptions.

Links in emails only show a page on GET (mail scanners follow links); the button POSTs. Unsubscribe
also takes the RFC 8058 one-click POST from mail clients, so that one view is exempt from CSRF: its
signed token is the authorisation.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from masthead.accounts.guest import read_guest, write_guest
from masthead.core.actors import Actor, actor_from_request
from masthead.core.errors import ApiError
from masthead.core.inputs import parse_id
from masthead.core.ratelimit import enforce
from masthead.discussion.models import Thread
from masthead.discussion.queries import visible_thread
from masthead.notifications import actions
from masthead.notifications.conf import setting
from masthead.notifications.models import EmailAddress, Subscription
from masthead.notifications.queries import mask_email
from masthead.notifications.tokens import (
    InvalidToken,
    matches,
    read_confirm_token,
    read_unsubscribe_token,
)

NO_STORE = "no-store, private"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, f"notifications/{template}", context, status=status)
    response["Cache-Control"] = NO_STORE
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


def _invalid_link(request: HttpRequest, error: str) -> HttpResponse:
    return _page(request, "link_invalid.html", {"reason": error}, status=400)


def _article_path(thread: Thread | None) -> str:
    """The article's own path, for the 'back to the article' link (never a client-supplied URL)."""
    url = thread.page.get_url() if thread is not None and thread.page is not None else None
    return url if url and url.startswith("/") and not url.startswith("//") else "/"


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        address_id, digest = read_confirm_token(token)
    except InvalidToken as error:
        return _invalid_link(request, str(error))
    address = EmailAddress.objects.filter(pk=address_id).first()
    if address is None or not matches(address.email, digest):
        return _invalid_link(request, "The link is not valid.")
    pending = list(
        Subscription.objects.filter(address=address, confirmed_at__isnull=True).select_related(
            "thread__page"
        )[:20]
    )
    context = {"masked_email": mask_email(address.email), "pending": pending}
    if request.method == "POST":
        actions.confirm_address(address)
        first = pending[0].thread if pending else None
        response = _page(
            request, "confirmed.html", {**context, "article_path": _article_path(first)}
        )
        # This browser proved it reads the address: its later subscriptions of it need no mail, and
        # moderation trusts it with the address's history (accounts.guest).
        write_guest(response, read_guest(request).confirming(address.email))
        return response
    return _page(request, "confirm.html", context)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        target, digest = read_unsubscribe_token(token)
    except InvalidToken as error:
        return _invalid_link(request, str(error))
    address = EmailAddress.objects.filter(pk=target.address_id).first()
    if address is None or not matches(address.email, digest):
        return _invalid_link(request, "The link is not valid.")
    thread = (
        Thread.objects.select_related("page").filter(pk=target.thread_id).first()
        if target.thread_id is not None
        else None
    )
    context = {
        "masked_email": mask_email(address.email),
        "thread": thread,
        "everything": target.thread_id is None,
        "article_path": _article_path(thread),
    }
    if request.method == "POST":
        actions.unsubscribe(target)
        return _page(request, "unsubscribed.html", context)
    return _page(request, "unsubscribe.html", context)


@csrf_exempt
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    """The form under the discussion without JavaScript. Cached pages carry no CSRF token, so this acts
    as a guest whoever is signed in: the address always needs confirming, and the answer never says
    whether it was already subscribed."""
    try:
        thread = visible_thread(parse_id(request.POST.get("thread"), name="thread"))
    except ApiError as error:
        message = "This discussion does not exist." if error.status == 404 else error.message
        return _page(request, "subscribe_done.html", {"error": message}, error.status)
    context: dict[str, Any] = {"article_path": _article_path(thread), "thread": thread}
    try:
        enforce(
            "subscribe",
            actor_from_request(request).ip_hash,
            str(setting("NOTIFICATIONS_SUBSCRIBE_RATE")),
        )
        kind = request.POST.get("kind") or "replies"
        actions.subscribe(Actor(), thread, email=request.POST.get("email", ""), kind=kind)
    except ApiError as error:
        return _page(
            request, "subscribe_done.html", {**context, "error": error.message}, error.status
        )
    return _page(request, "subscribe_done.html", context, status=202)


def _login_url() -> str:
    try:
        return reverse(settings.LOGIN_URL)
    except NoReverseMatch:
        return "/admin/login/"


def my_subscriptions(request: HttpRequest) -> HttpResponse:
    """The old address of the subscriptions list, which is now part of the reader's page."""
    return HttpResponseRedirect(reverse("account:home") + "#subscriptions", status=301)


@require_POST
def delete_subscription(request: HttpRequest, subscription_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("account:home"), _login_url())
    try:
        actions.delete_subscription(actor_from_request(request), subscription_id)
    except ApiError as error:
        return _page(request, "subscribe_done.html", {"error": error.message}, error.status)
    return HttpResponseRedirect(reverse("account:home") + "#subscriptions")
