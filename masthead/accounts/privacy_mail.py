"""Privacy emails, sent by the task worker after the request's transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_address_link(email: str, base_url: str) -> None:
    """The signed link that lets the holder of `email` download or erase its data. Sent whether or
    not anything is stored with the address, so the form's answer tells nobody anything."""
    from masthead.accounts.privacy import erasures_of
    from masthead.accounts.privacy_tokens import address_token

    link = base_url.rstrip("/") + reverse(
        "account:privacy_link", args=[address_token(email, erasures_of(email))]
    )
    send_mail(
        _("Your data at %(site)s") % {"site": settings.SITE_NAME},
        _(
            "Hello,\n\nSomeone (perhaps you) asked to see or erase what %(site)s keeps about this "
            "address: comments written with it, notification subscriptions and donations.\n\n"
            "Open this link within a day to download it or erase it:\n\n%(link)s\n\n"
            "If it was not you, ignore this message; nothing changes.\n"
        )
        % {"site": settings.SITE_NAME, "link": link},
        None,
        [email],
    )


@task()
def send_delete_link(user_id: int, base_url: str) -> None:
    """A reader without a password confirms the deletion of their account from their mailbox."""
    from masthead.accounts.privacy_tokens import delete_token

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return
    link = base_url.rstrip("/") + reverse("account:delete_confirm", args=[delete_token(user)])
    send_mail(
        _("Confirm the deletion of your %(site)s account") % {"site": settings.SITE_NAME},
        _(
            "Hello %(name)s,\n\nTo delete your account and erase your comments, votes and "
            "subscriptions, open this link within an hour while signed in:\n\n%(link)s\n\n"
            "If you did not ask for this, ignore this message; your account stays as it is.\n"
        )
        % {"name": user.public_name, "link": link},
        None,
        [user.email],
    )
