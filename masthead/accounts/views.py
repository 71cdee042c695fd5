"""Sign-up, login, logout and email verification pages for readers.

`next` parameters are followed only when they are a same-site path (never another host or scheme).
Verification links show a page on GET and act on POST, because mail scanners follow links.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from django.contrib.auth import authenticate, get_user_model, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from masthead.accounts import actions
from masthead.accounts.forms import LoginForm, SignUpForm
from masthead.accounts.tokens import user_for_token
from masthead.core import ratelimit
from masthead.core.clientip import client_ip, hash_ip
from masthead.core.errors import ApiError


def safe_next(request: HttpRequest, default: str = "/") -> str:
    """The `next` target when it is a plain path on this site; anything else gives `default`.

    Checked as sent and URL-decoded once and twice: one leading slash (not `//` or `/\\`), no scheme
    or colon in the path, no backslashes or control characters.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target or len(target) > 1000:
        return default
    for candidate in (target, unquote(target), unquote(unquote(target))):
        path = candidate.split("?", 1)[0]
        if (
            not candidate.startswith("/")
            or candidate.startswith(("//", "/\\"))
            or ":" in path
            or any(char in candidate for char in "\\\r\n\t\x00")
        ):
            return default
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=False):
        return default
    return target


def _limited(request: HttpRequest, scope: str, rate: str) -> HttpResponse | None:
    try:
        ratelimit.enforce(scope, hash_ip(client_ip(request)), rate)
    except ApiError as error:
        response = render(
            request,
            "accounts/message.html",
            {"title": "Please wait", "message": error.message},
            status=429,
        )
        response["Retry-After"] = error.headers.get("Retry-After", "60")
        return response
    return None


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        refused = _limited(request, "signup", "10/h")
        if refused is not None:
            return refused
        if form.is_valid():
            actions.sign_up(
                form.cleaned_data["display_name"],
                form.cleaned_data["email"],
                form.cleaned_data["password"],
                request.build_absolute_uri("/"),
            )
            # The same answer whether or not the address already had an account (no enumeration);
            # a new account signs in once its email is confirmed.
            return render(
                request,
                "accounts/message.html",
                {
                    "title": "Check your email",
                    "message": f"We sent a message to {form.cleaned_data['email']}. "
                    "Open the link in it to finish, then sign in to comment under your profile.",
                    "next": safe_next(request),
                },
            )
    return render(
        request,
        "accounts/sign_up.html",
        {"form": form, "next": safe_next(request, "")},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def log_in(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST":
        refused = _limited(request, "login", "10/m")
        if refused is not None:
            return refused
        if form.is_valid():
            email = form.cleaned_data["email"].strip()
            account: Any = get_user_model().objects.filter(email__iexact=email).first()
            user = authenticate(
                request,
                username=account.get_username() if account is not None else email,
                password=form.cleaned_data["password"],
            )
            if user is not None:
                login(request, user)
                return HttpResponseRedirect(safe_next(request))
        error = "That email and password do not match an account."
    return render(
        request,
        "accounts/login.html",
        {"form": form, "error": error, "next": safe_next(request, "")},
        status=400 if error else 200,
    )


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(safe_next(request))


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_token(token)
    if user is None:
        return render(
            request,
            "accounts/message.html",
            {
                "title": "This link has expired",
                "message": "The confirmation link is invalid or has expired. Sign in to get a new one.",
            },
            status=400,
        )
    if request.method == "POST":
        actions.verify_email(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return render(
            request,
            "accounts/message.html",
            {"title": "Email confirmed", "message": "Thank you, your email address is confirmed."},
        )
    return render(request, "accounts/verify.html", {"token": token})
