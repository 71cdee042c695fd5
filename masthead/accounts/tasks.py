"""Account emails, sent by the task worker after the sign-up transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task


@task()
def send_verification_email(user_id: int, base_url: str) -> None:
    from masthead.accounts.tokens import verification_token

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or user.email_verified:
        return
    link = base_url.rstrip("/") + reverse("accounts:verify", args=[verification_token(user)])
    send_mail(
        f"Confirm your email for {settings.SITE_NAME}",
        f"Hello {user.public_name},\n\nPlease confirm your email address by opening this link "
        f"(valid for three days):\n\n{link}\n\nIf you did not sign up, ignore this message.\n",
        None,
        [user.email],
    )


@task()
def send_existing_account_notice(user_id: int, base_url: str) -> None:
    """Someone signed up with an address that already has an account: tell its owner, not the visitor."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return
    login = base_url.rstrip("/") + reverse("accounts:login")
    send_mail(
        f"Someone tried to sign up to {settings.SITE_NAME} with your email",
        f"Hello {user.public_name},\n\nSomeone (perhaps you) tried to create an account with this "
        f"address, which already has one. To comment, sign in here:\n\n{login}\n\n"
        "If it was not you, you can ignore this message; nothing was changed.\n",
        None,
        [user.email],
    )
