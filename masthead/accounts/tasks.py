"""Account emails (sign-up codes, password resets, sign-in codes, notices), sent by the task worker.

The adapter renders each message in the request and enqueues it here on commit, so the request
never waits on the mail server and both branches of a flow (a new address or a registered one) do
the same work in the request.
"""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_email(
    to: list[str], subject: str, body: str, html: str = "", from_email: str = ""
) -> None:
    message = EmailMultiAlternatives(subject, body, from_email or None, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
