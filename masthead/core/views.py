"""Site-wide error pages that say what was wrong with the request."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a `BadRequest` raised by Masthead carries a message for the reader (e.g. a query
    parameter that is not a whole number); other 400s (Django's SuspiciousOperation) say nothing more."""
    message = str(exception) if type(exception) is BadRequest else ""
    return render(request, "400.html", {"message": message}, status=400)
