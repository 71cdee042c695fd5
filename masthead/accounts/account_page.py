"""The reader's page, /account/: profile, comments, subscriptions, sign-in methods, their data.

Thin views: each form posts to one action (accounts.profile, accounts.privacy) and comes back here.
Every page is private (`never_cache`), every write a CSRF-checked POST.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from masthead.accounts import privacy, profile
from masthead.accounts.privacy_mail import send_delete_link
from masthead.accounts.privacy_tokens import delete_token_matches
from masthead.accounts.queries import verified_emails
from masthead.core import ratelimit
from masthead.core.errors import ApiError
from masthead.core.on_commit import enqueue_on_commit
from masthead.discussion.avatars import PALETTE, user_avatar_url
from masthead.discussion.models import Comment, CommentStatus
from masthead.funding.queries import supporter_url

COMMENTS_PER_PAGE = 20
STATUS_LABELS: dict[str, Any] = {
    CommentStatus.APPROVED: "",
    CommentStatus.PENDING: gettext_lazy("awaiting moderation"),
    CommentStatus.SPAM: gettext_lazy("hidden"),
    CommentStatus.REMOVED: gettext_lazy("removed by a moderator"),
}


def _sign_in_methods() -> list[tuple[str, str]]:
    """Links to the sign-in settings the installed account system offers (allauth's pages)."""
    found = []
    for name, label in (
        ("account_email", _("Email addresses")),
        ("account_change_password", _("Change password")),
        ("socialaccount_connections", _("Connected accounts")),
    ):
        try:
            found.append((str(label), reverse(name)))
        except NoReverseMatch:
            continue
    return found


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    from masthead.notifications.queries import subscriptions_of

    user: Any = request.user
    mine = (
        Comment.objects.filter(user=user)
        .exclude(status=CommentStatus.DELETED)
        .select_related("thread__page")
        .order_by("-created_at", "-id")
    )
    comments = Paginator(mine, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    comments.object_list = list(comments.object_list)
    for comment in comments.object_list:
        comment.status_label = STATUS_LABELS.get(comment.status, "")  # type: ignore[attr-defined]
    return {
        "account": user,
        "avatar": user_avatar_url(user, user.public_name, user.email),
        "palette": list(enumerate(PALETTE)),
        "comments": comments,
        "subscriptions": list(subscriptions_of(user)[:200]),
        "verified": verified_emails(user),
        "unclaimed": privacy.unclaimed_count(user),
        "sign_in_methods": _sign_in_methods(),
        "supporter_url": supporter_url(),
        "errors": {},
        **extra,
    }


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, f"accounts/{template}", context, status=status)


@never_cache
@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    return _page(request, "account.html", _context(request))


def _back(anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("account:home") + (f"#{anchor}" if anchor else ""))


@never_cache
@login_required
@require_POST
def save_profile(request: HttpRequest) -> HttpResponse:
    try:
        profile.update_profile(
            request.user,
            display_name=request.POST.get("display_name", "")[:200],
            avatar_colour=request.POST.get("avatar_colour", "")[:7],
            use_gravatar=request.POST.get("use_gravatar") == "on",
        )
    except ApiError as error:
        context = _context(request, errors=error.fields or {"display_name": error.message})
        context["typed_name"] = request.POST.get("display_name", "")[:200]
        return _page(request, "account.html", context, status=error.status)
    messages.success(request, _("Your profile is saved."))
    return _back("profile")


@never_cache
@login_required
@require_POST
def supporter_badge(request: HttpRequest) -> HttpResponse:
    user = profile.set_supporter_badge(request.user, request.POST.get("show") == "on")
    if user.show_supporter_badge and not user.is_supporter:
        messages.info(
            request,
            _(
                "The badge shows once a monthly donation from a verified address of yours is active."
            ),
        )
    else:
        messages.success(request, _("Saved."))
    return _back("supporter")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    """The link in the verification email lands here: a button (mail scanners follow links)."""
    if request.method == "POST":
        claimed = privacy.claim_guest_comments(request.user)
        messages.success(
            request,
            _("%(count)d earlier comment(s) are now under your name.") % {"count": claimed},
        )
        return _back("comments")
    return _page(
        request,
        "claim.html",
        {
            "unclaimed": privacy.unclaimed_count(request.user),
            "verified": verified_emails(request.user),
        },
    )


@never_cache
@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    data = privacy.export_account(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


def _deleted(request: HttpRequest) -> HttpResponse:
    logout(request)
    return _page(
        request,
        "message.html",
        {
            "title": _("Your account is deleted"),
            "message": _(
                "Your comments, votes and subscriptions are erased. Thank you for reading."
            ),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Delete my account: a confirmation step with the password, or (without one) a link by email."""
    user: Any = request.user
    has_password = user.has_usable_password()
    context: dict[str, Any] = {"has_password": has_password, "error": ""}
    if request.method == "POST":
        try:
            ratelimit.enforce("account-delete", str(user.pk), "5/h")
        except ApiError as error:
            context["error"] = error.message
            return _page(request, "delete.html", context, status=429)
        if request.POST.get("confirm") != "on":
            context["error"] = _("Tick the box to confirm that you want to delete your account.")
            return _page(request, "delete.html", context, status=400)
        if not has_password:
            enqueue_on_commit(send_delete_link, user.pk, request.build_absolute_uri("/"))
            return _page(request, "delete.html", {**context, "link_sent": True})
        if not user.check_password(request.POST.get("password", "")):
            context["error"] = _("That password is not right.")
            return _page(request, "delete.html", context, status=400)
        try:
            privacy.delete_account(user)
        except ApiError as error:
            context["error"] = error.message
            return _page(request, "delete.html", context, status=error.status)
        return _deleted(request)
    return _page(request, "delete.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed deletion link: valid for an hour, for the signed-in account it names only."""
    if not delete_token_matches(token, request.user):
        return _page(
            request,
            "message.html",
            {
                "title": _("This link has expired"),
                "message": _("The link is not valid or has expired. Ask for a new one."),
            },
            status=400,
        )
    if request.method == "POST":
        try:
            privacy.delete_account(request.user)
        except ApiError as error:
            return _page(
                request, "message.html", {"title": _("Not deleted"), "message": error.message}, 400
            )
        return _deleted(request)
    return _page(request, "delete_confirm.html", {})
