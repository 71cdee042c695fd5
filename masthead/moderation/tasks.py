"""Background work of moderation (django-tasks): classifier training, statements of reasons,
corrections sent to the Akismet-compatible provider."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from masthead.core import cache_versions
from masthead.moderation import classifier
from masthead.moderation.conf import setting

logger = logging.getLogger("masthead.moderation")
TRAINING_LIMIT = 5000
MODELS_KEPT = 5


def training_documents(include_seed: bool) -> list[tuple[set[str], bool]]:
    """Moderators' decisions (spam vs approved), newest first, plus the bundled labelled set if asked."""
    from masthead.discussion.models import Comment, CommentStatus

    documents = []
    for status, is_spam in ((CommentStatus.SPAM, True), (CommentStatus.APPROVED, False)):
        rows = (
            Comment.objects.filter(status=status)
            .order_by("-created_at")
            .values_list("body", "author_website")[:TRAINING_LIMIT]
        )
        documents += [
            (classifier.features(body, website=website), is_spam) for body, website in rows
        ]
    if include_seed:
        from masthead.moderation.dataset import labelled_comments

        documents += [
            (classifier.features(body), is_spam)
            for body, is_spam in labelled_comments(2000, seed=1)
        ]
    return documents


def train_now(include_seed: bool | None = None, note: str = "") -> object:
    """Train and store a new model version right away (the task body; also used by tests and the bench)."""
    from masthead.moderation.models import ClassifierModel

    if include_seed is None:
        include_seed = bool(setting("CLASSIFIER_SEED"))
    documents = training_documents(include_seed)
    with transaction.atomic():
        last = ClassifierModel.objects.select_for_update().order_by("-version").first()
        version = (last.version if last else 0) + 1
        model = classifier.train(documents, version=version)
        row = ClassifierModel.objects.create(
            version=version,
            spam_documents=model.spam_documents,
            ham_documents=model.ham_documents,
            data=model.as_data(),
            note=note or ("decisions + bundled set" if include_seed else "decisions"),
            trained_at=timezone.now(),
        )
        stale = ClassifierModel.objects.order_by("-version").values_list("pk", flat=True)[
            MODELS_KEPT:
        ]
        ClassifierModel.objects.filter(pk__in=list(stale)).delete()
        cache_versions.bump(*classifier.CLASSIFIER_VERSION)  # on commit
    return row


@task()
def train_classifier() -> int:
    row = train_now()
    return int(row.version)  # type: ignore[attr-defined]


@task()
def send_statement_of_reasons(comment_id: int, reason: str) -> bool:
    """Tell a removed comment's author what was removed and why, and how to contest it (DSA art. 17)."""
    from masthead.discussion.models import Comment

    comment = Comment.objects.select_related("thread__page__locale").filter(pk=comment_id).first()
    if comment is None or not comment.author_email:
        return False
    with translation.override(author_language(comment)):
        return _send_statement_of_reasons(comment, reason)


def author_language(comment: Any) -> str:
    """The language to write to a comment's author in: the one their address recorded when they
    last subscribed (notifications' EmailAddress.language), else the language of the article they
    commented on (an Arabic article's reader reads Arabic), else the site's default."""
    from masthead.core.language import email_language
    from masthead.notifications.models import EmailAddress

    recorded = (
        EmailAddress.objects.filter(email=comment.author_email.lower())
        .values_list("language", flat=True)
        .first()
    )
    if not recorded and comment.thread.page is not None:
        recorded = comment.thread.page.locale.language_code
    return email_language(recorded or "")


def _send_statement_of_reasons(comment: Any, reason: str) -> bool:
    context = {
        "site_name": settings.SITE_NAME,
        "comment": comment,
        "article_title": comment.thread.display_title,
        "article_url": (
            comment.thread.url
            if comment.thread.page is None
            else settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (comment.thread.page.url or "/")
        ),
        "reason": reason or _("It breaks the site's community guidelines."),
        "automated": False,
        "contact": settings.DEFAULT_FROM_EMAIL,
    }
    text = render_to_string("moderation/email/statement_of_reasons.txt", context)
    html = render_to_string("moderation/email/statement_of_reasons.html", context)
    subject = _("Your comment on %(site)s was removed") % {"site": settings.SITE_NAME}
    message = EmailMultiAlternatives(subject, text, to=[comment.author_email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True


@task()
def submit_provider_feedback(check_id: int, kind: str) -> bool:
    """Send a moderator's correction to the provider: kind "spam" (submit-spam) or "ham" (submit-ham).

    Uses what comment-check was sent. A provider that is down loses this one correction (logged);
    it never undoes the moderator's decision.
    """
    from masthead.moderation import akismet
    from masthead.moderation.models import ProviderCheck

    row = ProviderCheck.objects.filter(pk=check_id).first()
    if row is None or not row.params or kind not in ("spam", "ham") or not akismet.is_configured():
        return False
    try:
        akismet.submit(kind, row.params)
    except akismet.ProviderError as exc:
        logger.warning("Could not send submit-%s for comment %s: %s", kind, row.comment_id, exc)
        return False
    return True
