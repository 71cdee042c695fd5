"""Emails go out in the language the reader used when subscribing or giving."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from masthead.core.actors import Actor
from masthead.notifications import actions
from masthead.notifications.models import EmailAddress
from tests.helpers import comment_and_commit, run_on_commit_callbacks
from tests.notifications.smtp_support import SmtpSink, bodies

pytestmark = pytest.mark.django_db


def subscribe(thread: Any, email: str, accept_language: str) -> Any:
    with run_on_commit_callbacks():
        return Client(HTTP_ACCEPT_LANGUAGE=accept_language).post(
            "/api/v1/subscriptions",
            {"thread_id": thread.pk, "email": email, "kind": "all"},
            content_type="application/json",
        )


def test_the_confirmation_email_speaks_the_language_of_the_subscription(
    a_thread: Any, smtp: SmtpSink
) -> None:
    response = subscribe(a_thread, "lectora@example.org", "es-ES,es;q=0.9")
    assert response.status_code == 202
    assert response.json()["message"].startswith("Gracias.")
    assert EmailAddress.objects.get(email="lectora@example.org").language == "es"
    [message] = smtp.messages
    assert message["Subject"] == "Confirma tu correo para recibir avisos de The Courier"
    text, html = bodies(message)
    assert "Confirma y empieza a recibir avisos:" in text
    assert '<html lang="es" dir="ltr">' in html


def test_notifications_go_out_in_each_subscribers_language(a_thread: Any, smtp: SmtpSink) -> None:
    for email, language in [("reader-fr@example.org", "fr"), ("reader-ar@example.org", "ar")]:
        with translation.override(language):
            subscription = actions.subscribe(Actor(), a_thread, email=email, kind="all")
        actions.confirm_address(subscription.address)
    smtp.clear()
    comment_and_commit(a_thread, "Where is the dam?", name="Asker", email="asker@example.org")
    french = smtp.to("reader-fr@example.org")[0]
    arabic = smtp.to("reader-ar@example.org")[0]
    title = a_thread.page.title
    assert french["Subject"].strip() == f"Nouveau commentaire sur « {title} »"
    assert arabic["Subject"].strip() == f"تعليق جديد على «{title}»"
    _text, html = bodies(arabic)
    assert '<html lang="ar" dir="rtl">' in html
    assert "شارك في النقاش" in html


def test_an_address_from_before_languages_gets_the_default(a_thread: Any, smtp: SmtpSink) -> None:
    subscription = actions.subscribe(Actor(), a_thread, email="old@example.org", kind="all")
    EmailAddress.objects.filter(pk=subscription.address_id).update(language="")
    actions.confirm_address(subscription.address)
    smtp.clear()
    comment_and_commit(a_thread, "Hello.", name="Asker", email="asker@example.org")
    assert smtp.to("old@example.org")[0]["Subject"].strip().startswith("New comment on")
