"""How allauth fits Masthead: mail through the task queue with links from the site's base URL, the
client address as MASTHEAD_TRUSTED_PROXIES decides it, strict `next` targets, readers' names.

Configured by ACCOUNT_ADAPTER and SOCIALACCOUNT_ADAPTER (settings/base.py).
"""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest

from masthead.accounts.redirects import is_safe_next
from masthead.accounts.tasks import send_account_email
from masthead.core.clientip import client_ip
from masthead.core.on_commit import enqueue_on_commit
from masthead.core.text import UndecodableText, clean_line


def base_url() -> str:
    """The public address links in account mail start with (MASTHEAD_BASE_URL), without a slash."""
    configured = getattr(settings, "MASTHEAD_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return str(configured).rstrip("/")


def user_display(user: AbstractBaseUser) -> str:
    """ACCOUNT_USER_DISPLAY: the name shown on comments."""
    return str(getattr(user, "public_name", "") or user.get_username())


def _rebased(value: Any, request_root: str) -> Any:
    """An absolute link built from the request's host, moved onto the site's base URL."""
    if isinstance(value, str) and request_root and value.startswith(request_root):
        return base_url() + "/" + value[len(request_root) :]
    return value


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the message now (in the request) and send it from a task after commit.

        Links allauth built from the request's Host header are rebuilt on MASTHEAD_BASE_URL, so a
        forged Host cannot send a reset link elsewhere.
        """
        request = allauth_context.request
        request_root = request.build_absolute_uri("/") if request is not None else ""
        ctx: dict[str, Any] = {
            "request": request,
            "email": email,
            "site_name": settings.SITE_NAME,
            "site_url": base_url() + "/",
        }
        ctx.update(
            {
                key: _rebased(value, request_root) if key.endswith("_url") else value
                for key, value in context.items()
            }
        )
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (str(body) for body, kind in message.alternatives if kind == "text/html"), ""
            )
        enqueue_on_commit(
            send_account_email,
            to=list(message.to),
            subject=str(message.subject),
            body=str(message.body),
            html=html,
            from_email=str(message.from_email or ""),
        )

    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def get_client_ip(self, request: HttpRequest) -> str:
        # X-Forwarded-For counts only from MASTHEAD_TRUSTED_PROXIES, as everywhere else.
        return client_ip(request)

    def is_safe_url(self, url: str | None) -> bool:
        return is_safe_next(url)

    def populate_username(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        """Readers never choose or see a username; a random one fills the column, so nothing of
        the address (as allauth's default would take) ends up where names are shown."""
        if not user.get_username():
            user.username = f"reader_{secrets.token_hex(6)}"  # type: ignore[attr-defined]

    def save_user(
        self, request: HttpRequest, user: AbstractBaseUser, form: Any, commit: bool = True
    ) -> AbstractBaseUser:
        name = (getattr(form, "cleaned_data", None) or {}).get("display_name")
        if name:
            user.display_name = name  # type: ignore[attr-defined]
        return super().save_user(request, user, form, commit=commit)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        """The provider's name for the reader becomes the name on their comments."""
        user = super().populate_user(request, sociallogin, data)
        raw = (
            data.get("name")
            or " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
            or data.get("username")
            or ""
        )
        try:
            user.display_name = clean_line(str(raw))[:50]
        except UndecodableText:
            user.display_name = ""
        user.username = ""
        AccountAdapter(request).populate_username(request, user)
        return user
