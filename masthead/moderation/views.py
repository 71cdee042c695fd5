"""HTML views: the moderation queue in the Wagtail admin, the audit log, API tokens, one-click links.

Admin views are mounted by wagtail_hooks.register_admin_urls (admin access required) and each checks
the moderation permission itself. Every user-supplied string is escaped by the templates; comment
HTML is sanitised again before display (defence in depth for staff eyes).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from masthead.core.actors import actor_from_request, can_moderate
from masthead.core.errors import ApiError
from masthead.core.inputs import MAX_ID, parse_optional_int
from masthead.core.models import AuditEntry
from masthead.discussion.models import Thread
from masthead.moderation import actions, queries, tokens
from masthead.moderation.conf import setting
from masthead.moderation.models import BanMode

RULE_LABELS = {
    "ban": "Banned author",
    "shadow_ban": "Shadow-banned author",
    "banned_word": "Banned word",
    "suspect_word": "Suspect word",
    "rule_timeout": "Rule timed out",
    "blocked_domain": "Blocked domain",
    "suspect_domain": "Suspect domain",
    "lookalike_domain": "Look-alike domain",
    "obfuscated_link": "Disguised link",
    "link_count": "Too many links",
    "first_time_link": "Link from a new commenter",
    "first_time": "New commenter",
    "premoderation": "Pre-moderation",
    "spam_score": "Spam score",
    "reports": "Reader reports",
    "default": "No rule matched",
    "staff": "Staff comment",
}


# What a decision did, as the moderator reads it in the confirmation message.
DECISION_LABELS = {
    "approve": pgettext_lazy("moderation decision done", "Approved"),
    "remove": pgettext_lazy("moderation decision done", "Removed"),
    "spam": pgettext_lazy("moderation decision done", "Marked as spam"),
    "hold": pgettext_lazy("moderation decision done", "Held"),
    "pin": pgettext_lazy("moderation decision done", "Pinned"),
    "unpin": pgettext_lazy("moderation decision done", "Unpinned"),
    "ban": pgettext_lazy("moderation decision done", "Banned"),
    "open": pgettext_lazy("moderation decision done", "Reopened"),
    "close": pgettext_lazy("moderation decision done", "Closed"),
}


def _require_moderator(request: HttpRequest) -> Any:
    actor = actor_from_request(request)
    if not can_moderate(actor):
        raise PermissionDenied("You need the moderator permission for this.")
    return actor


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _parse_int(value: str, name: str, maximum: int = MAX_ID - 1) -> int | None:
    """An optional whole number from the queue's filters or forms; anything else is a 400 page."""
    try:
        return parse_optional_int(value, name=name, minimum=1, maximum=maximum)
    except ApiError as error:
        raise BadRequest(error.message) from error


def queue_view(request: HttpRequest, tab: str = "pending") -> HttpResponse:
    _require_moderator(request)
    if tab not in queries.TABS:
        tab = "pending"
    filters = queries.QueueFilters(
        article=_parse_int(request.GET.get("article", ""), "article"),
        author=request.GET.get("author", "")[:100],
        rule=request.GET.get("rule", "")[:40],
        since=_parse_date(request.GET.get("since", "")),
        until=_parse_date(request.GET.get("until", "")),
        query=request.GET.get("q", "")[:100],
    )
    comments = queries.queue(request, tab, filters)
    paginator = Paginator(comments, int(setting("QUEUE_PAGE_SIZE")))
    page = paginator.get_page(request.GET.get("p"))
    rows = queries.annotate_rows(list(page.object_list))
    for row in rows:
        moderation = row.moderation or {}
        row.why_rule = RULE_LABELS.get(moderation.get("rule", ""), moderation.get("rule", ""))  # type: ignore[attr-defined]
        row.address = queries.masked_address(row)  # type: ignore[attr-defined]
    articles = (
        Thread.objects.filter(pk__in=queries.site_comments(request).values("thread_id"))
        .select_related("page")
        .order_by("-created_at")[:200]
    )
    kept = {key: value for key, value in request.GET.items() if key != "p" and value}
    return render(
        request,
        "moderation/admin/queue.html",
        {
            "tab": tab,
            "tabs": [(name, count) for name, count in queries.tab_counts(request).items()],
            "rows": rows,
            "page": page,
            "filters": filters,
            "filter_query": urlencode(kept),
            "articles": articles,
            "rules": sorted(RULE_LABELS.items(), key=lambda item: item[1]),
            "ban_modes": BanMode.choices,
            "is_admin": request.user.is_superuser,
            "next_url": request.get_full_path(),
        },
    )


@require_POST
def act_view(request: HttpRequest) -> HttpResponse:
    """One decision on one or more comments (bulk), from a row button, a shortcut or the bulk bar."""
    actor = _require_moderator(request)
    decision = request.POST.get("decision", "")
    given = [_parse_int(value, "comment") for value in request.POST.getlist("comment")[:200]]
    ids = [comment_id for comment_id in given if comment_id is not None]
    reason = request.POST.get("reason", "")[:1000]
    wants_json = "application/json" in request.headers.get("Accept", "")
    done, errors = 0, []
    for comment_id in ids:
        comment = queries.comment_for_moderator(request, comment_id)
        if comment is None:
            errors.append(f"Comment {comment_id} not found.")
            continue
        try:
            if decision == "ban":
                days = _parse_int(request.POST.get("days", ""), "days", maximum=3650)
                mode = request.POST.get("mode", BanMode.BLOCK)
                actions.ban_author(actor, comment, mode=mode, reason=reason, days=days)
                if request.POST.get("also") == "spam":
                    actions.mark_spam(actor, comment, reason)
            elif decision in ("close", "open"):
                actions.set_thread_closed(actor, comment.thread, decision == "close")
            else:
                actions.decide(actor, comment, decision, reason)
            done += 1
        except ApiError as error:
            errors.append(f"Comment {comment_id}: {error.message}")
    if wants_json:
        return JsonResponse({"done": done, "errors": errors}, status=200 if not errors else 400)
    if done:
        messages.success(
            request,
            _("%(decision)s: %(count)d comment(s).")
            % {"decision": str(DECISION_LABELS.get(decision, decision)), "count": done},
        )
    for problem in errors:
        messages.error(request, problem)
    next_url = request.POST.get("next", "")
    if not next_url.startswith("/") or next_url.startswith("//") or "\\" in next_url:
        next_url = reverse("moderation_admin:queue")
    return redirect(next_url)


def audit_view(request: HttpRequest) -> HttpResponse:
    """Every moderation action (who, what, when, before/after): administrators only."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only administrators can read the audit log.")
    entries = AuditEntry.objects.select_related("actor")
    action = request.GET.get("action", "")[:64]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 100).get_page(request.GET.get("p"))
    actions_seen = (
        AuditEntry.objects.values_list("action", flat=True).distinct().order_by("action")[:100]
    )
    return render(
        request,
        "moderation/admin/audit.html",
        {"page": page, "action": action, "actions_seen": actions_seen},
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use it, so you recognise it later. Shown to you only."
    )
    days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=tokens.MAX_DAYS,
        label="Expires after (days)",
        help_text="Empty: until you revoke it.",
    )


@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    """A moderator's own API tokens (superusers see everyone's); a new one is shown once, here."""
    actor = _require_moderator(request)
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = tokens.create_api_token(
                actor, actor.user, form.cleaned_data["name"], form.cleaned_data["days"]
            )
            created = {"token": token, "raw": raw}
            form = ApiTokenForm()
        except ApiError as error:
            form.add_error(None, error.message)
    response = render(
        request,
        "moderation/admin/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": tokens.visible_tokens(actor)[:500],
            "show_owner": request.user.is_superuser,
        },
    )
    # The page may carry a plaintext token: keep it out of every cache.
    add_never_cache_headers(response)
    return response


@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = _require_moderator(request)
    token = tokens.visible_tokens(actor).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    tokens.revoke_api_token(actor, token)
    messages.success(
        request,
        _("Revoked “%(name)s” (%(prefix)s…).") % {"name": token.name, "prefix": token.prefix},
    )
    return redirect("moderation_admin:tokens")


@require_http_methods(["GET", "POST"])
def one_click_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the comment and a confirm button (so mail scanners that prefetch links change nothing);
    POST carries out the decision once."""
    try:
        row = actions.read_one_click(token)
        if request.method == "POST":
            comment = actions.use_one_click(token)
            return render(
                request,
                "moderation/one_click.html",
                {"done": True, "comment": comment, "action": row.action},
            )
    except ApiError as error:
        return render(
            request, "moderation/one_click.html", {"error": error.message}, status=error.status
        )
    return render(
        request,
        "moderation/one_click.html",
        {"row": row, "comment": row.comment, "action": row.action},
    )
