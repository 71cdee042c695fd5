"""Reader data in the Wagtail admin: export or erase everything stored with an email address, on a
reader's request (comments, subscriptions, donations), through the same actions as the reader's
own page and the guest's signed link. Personal data appears here only for staff allowed to act."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masthead.accounts import privacy
from masthead.accounts.models import PrivacyRequestSource
from masthead.accounts.queries import users_with_verified_email
from masthead.core.actors import Actor, actor_from_request
from masthead.core.errors import ApiError
from masthead.discussion.privacy import Author, comments_of

PERMISSION = "accounts.add_privacyrequest"
T = TypeVar("T")


def _require_permission(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def reader_data(request: HttpRequest) -> HttpResponse:
    """Look an address up; its JSON export is a POST (audited), so a link cannot trigger it."""
    _require_permission(request)
    email = request.GET.get("email", "").strip()[:254]
    context: dict[str, Any] = {"email": email}
    if email:
        context["comments"] = comments_of(Author(emails=(email,))).order_by("-created_at")[:50]
        context["accounts"] = users_with_verified_email([email])
    return render(request, "accounts/admin/reader_data.html", context)


def _act_on_posted_address(
    request: HttpRequest,
    act: Callable[[Actor, str, str], T],
    respond: Callable[[HttpRequest, T], HttpResponse],
) -> HttpResponse:
    """Export and erase alike: staff only, the posted address, the staff source; a refused address
    goes back to the lookup page with its message."""
    _require_permission(request)
    try:
        result = act(
            actor_from_request(request), request.POST.get("email", ""), PrivacyRequestSource.STAFF
        )
    except ApiError as error:
        messages.error(request, error.message)
        return redirect("accounts_admin:reader_data")
    return respond(request, result)


def _download(request: HttpRequest, data: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="reader-data.json"'
    return response


def _report_erasure(request: HttpRequest, counts: dict[str, int]) -> HttpResponse:
    messages.success(
        request,
        _(
            "Erased: %(removed)d comment(s) removed, %(placeholders)d left as placeholders, "
            "%(subscriptions)d subscription(s) dropped, %(donations)d donation(s) anonymised."
        )
        % {
            "removed": counts["removed"],
            "placeholders": counts["placeholders"],
            "subscriptions": counts["subscriptions"],
            "donations": counts["donations_anonymised"],
        },
    )
    return redirect("accounts_admin:reader_data")


@require_POST
def export(request: HttpRequest) -> HttpResponse:
    return _act_on_posted_address(request, privacy.export_address, _download)


@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    return _act_on_posted_address(request, privacy.erase_address, _report_erasure)
