"""Emails to readers of a right-to-left language read right to left (dir="rtl", borders and indents
on the start side), and a removed comment's author is told why in their own language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from masthead.core.actors import Actor
from masthead.moderation.actions import remove_comment
from masthead.notifications import actions as notifications
from tests.helpers import comment_and_commit, comment_as, guest_actor
from tests.notifications.smtp_support import SmtpSink, bodies

pytestmark = pytest.mark.django_db


def remove(comment: Any, moderator_actor: Any, capture: Any) -> None:
    with capture(execute=True):
        remove_comment(moderator_actor, comment, "Personal attack.")


def test_a_comment_removed_under_an_arabic_article_is_explained_in_arabic(
    an_arabic_article: Any,
    moderator_actor: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from masthead.discussion.actions import thread_for_page

    thread = thread_for_page(an_arabic_article)
    comment = comment_as(guest_actor(), thread, "كلام جارح", name="سامي", email="sami@example.org")
    remove(comment, moderator_actor, django_capture_on_commit_callbacks)
    (mail,) = mailoutbox
    assert mail.subject.startswith("حُذف تعليقك على ")
    html = mail.alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in html
    assert 'dir="rtl"' in html.split("<body", 1)[1][:40]
    assert "border-right:4px" in html and "border-left" not in html
    assert "Personal attack." in mail.body


def test_a_removed_comments_author_hears_in_the_language_they_subscribed_in(
    a_thread: Any, moderator_actor: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with translation.override("fr"):
        notifications.subscribe(Actor(), a_thread, email="lectrice@example.org", kind="all")
    mailoutbox.clear()
    comment = comment_as(
        guest_actor(), a_thread, "Rude words.", name="Léa", email="lectrice@example.org"
    )
    remove(comment, moderator_actor, django_capture_on_commit_callbacks)
    (mail,) = mailoutbox
    assert mail.subject.startswith("Votre commentaire sur ")
    html = mail.alternatives[0][0]
    assert '<html lang="fr" dir="ltr">' in html
    assert "border-left:4px" in html


def test_arabic_notification_emails_put_their_rules_on_the_right(
    a_thread: Any, smtp: SmtpSink
) -> None:
    with translation.override("ar"):
        subscription = notifications.subscribe(
            Actor(), a_thread, email="qari@example.org", kind="all"
        )
    notifications.confirm_address(subscription.address)
    smtp.clear()
    comment_and_commit(a_thread, "Where is the dam?", name="Asker", email="asker@example.org")
    _text, html = bodies(smtp.to("qari@example.org")[0])
    assert '<body dir="rtl"' in html
    assert "border-right:4px solid" in html and "border-left" not in html
    assert "<bdi>Asker</bdi>" in html
    assert '<p dir="auto"' in html
