"""A guest's data by email: the public request form, and the signed link it mails.

The form answers the same whatever the address (no enumeration) and sends the link by a task after
the response's work is done. The link's page shows what is stored and offers Download and Erase as
CSRF-checked POSTs; it carries no referrer onward (the token is in its URL).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from masthead.accounts import privacy
from masthead.accounts.models import PrivacyRequestSource
from masthead.accounts.privacy_mail import send_address_link
from masthead.accounts.privacy_tokens import read_address_token
from masthead.core import ratelimit
from masthead.core.actors import actor_from_request
from masthead.core.clientip import client_ip, hash_ip
from masthead.core.errors import ApiError
from masthead.core.on_commit import enqueue_on_commit
from masthead.discussion.privacy import Author, comments_of
from masthead.notifications.actions import normalise_email


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, f"accounts/{template}", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_link(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, "privacy_request.html", {})
    typed = request.POST.get("email", "")[:300]
    try:
        email = normalise_email(typed)
        ratelimit.enforce("privacy-link-ip", hash_ip(client_ip(request)), "10/h")
    except ApiError as error:
        return _page(
            request,
            "privacy_request.html",
            {"error": error.message, "email": typed},
            status=error.status,
        )
    # Per address too, silently: the answer must not change with how often an address was asked for.
    if ratelimit.hit("privacy-link-email", privacy.subject_of_email(email), "3/h") is None:
        enqueue_on_commit(send_address_link, email, request.build_absolute_uri("/"))
    return _page(request, "privacy_request.html", {"sent_to": email})


def _link_email(token: str) -> str | None:
    found = read_address_token(token)
    if found is None:
        return None
    email, erasures = found
    return email if privacy.erasures_of(email) == erasures else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    email = _link_email(token)
    if email is None:
        return _page(
            request,
            "message.html",
            {
                "title": _("This link has expired"),
                "message": _(
                    "The link is not valid, has expired or was used to erase the data. "
                    "Ask for a new one if you need it."
                ),
            },
            status=400,
        )
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "export":
        data = privacy.export_address(actor_from_request(request), email, PrivacyRequestSource.LINK)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="my-comment-data.json"'
        return response
    if action == "erase":
        if request.POST.get("confirm") != "on":
            return _page(
                request,
                "privacy_link.html",
                {
                    "email": email,
                    "count": comments_of(Author(emails=(email,))).count(),
                    "error": _("Tick the box to confirm the erasure."),
                },
                status=400,
            )
        counts = privacy.erase_address(
            actor_from_request(request), email, PrivacyRequestSource.LINK
        )
        return _page(request, "privacy_erased.html", {"counts": counts})
    return _page(
        request,
        "privacy_link.html",
        {"email": email, "count": comments_of(Author(emails=(email,))).count()},
    )
