"""An optional Akismet-compatible spam provider: one more scorer in the spam score.

Off unless `settings.MASTHEAD_AKISMET_KEY` is set; `MASTHEAD_AKISMET_URL` points it at Akismet (the
default) or any server that speaks the same protocol. New comments (not edits, not staff) are sent
to `comment-check` from the spam-score check; "true" adds the AKISMET_SPAM_SIGNAL weight to the score,
`X-akismet-pro-tip: discard` files the comment as spam. When a moderator disagrees with the
provider (approves what it called spam, or files as spam what it let through), a task reports it
after commit with `submit-ham` / `submit-spam`.

The provider never blocks or loses a comment: a failure, a timeout (AKISMET_TIMEOUT) or an answer
that is neither "true" nor "false" counts as "unavailable", is logged, and the local scorers decide
alone. The check runs before discussion's posting transaction (with the other checks, which only
read), so a slow provider holds no write lock; the timeout still bounds how long the reader waits.

A small urllib client: the `akismet` package has a fixed service URL.
"""

from __future__ import annotations

import http.client
import logging
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.core.actors import Actor, can_moderate
from masthead.core.on_commit import enqueue_on_commit
from masthead.core.outbound import fetch
from masthead.discussion.hooks import Submission
from masthead.discussion.models import Comment
from masthead.moderation.conf import setting
from masthead.moderation.models import ProviderCheck, ProviderResult

NAME = "akismet"
API_VERSION = "1.1"
USER_AGENT = "Masthead/0.1 | masthead-akismet/1"
logger = logging.getLogger("masthead.moderation")


class ProviderError(Exception):
    """The provider could not be asked, or did not answer in time."""


@dataclass(frozen=True)
class Judgement:
    result: str  # a ProviderResult value
    detail: str = ""

    @property
    def is_spam(self) -> bool:
        return self.result in (ProviderResult.SPAM, ProviderResult.DISCARD)

    def as_dict(self) -> dict[str, str]:
        found = {"name": NAME, "version": API_VERSION, "result": self.result}
        return {**found, "detail": self.detail} if self.detail else found


def is_configured() -> bool:
    return bool(getattr(settings, "MASTHEAD_AKISMET_KEY", ""))


def _post(method: str, params: dict[str, str]) -> tuple[str, Message]:
    """POST one API call; the answer's body (stripped) and headers, or ProviderError."""
    base = str(getattr(settings, "MASTHEAD_AKISMET_URL", "")).rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise ProviderError("MASTHEAD_AKISMET_URL is not an http(s) address")
    data = urlencode({"api_key": settings.MASTHEAD_AKISMET_KEY, **params}).encode()
    request = Request(  # noqa: S310 - the scheme is checked above
        f"{base}/{API_VERSION}/{method}",
        data=data,
        headers={"User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    timeout = float(setting("AKISMET_TIMEOUT"))
    try:
        body, headers = fetch(request, timeout=timeout, limit=4096)
        return body.decode("utf-8", "replace").strip(), headers
    except HTTPError as exc:
        raise ProviderError(f"HTTP {exc.code} from {method}") from exc
    except TimeoutError as exc:
        raise ProviderError(f"no answer within {timeout:g} s") from exc
    except (URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc.__class__.__name__
        raise ProviderError(f"{method} failed: {reason}") from exc


def submission_params(submission: Submission) -> dict[str, str]:
    """What comment-check is told about a submission (empty values left out)."""
    actor = submission.actor
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    page = submission.thread.page
    url = (page.url if page is not None else None) or "/"
    params = {
        "blog": base + "/",
        "user_ip": actor.ip,
        "user_agent": actor.user_agent,
        "permalink": url if url.startswith(("http://", "https://")) else base + url,
        "comment_type": "reply" if submission.parent is not None else "comment",
        "comment_author": submission.name,
        "comment_author_email": submission.email,
        "comment_author_url": submission.website,
        "comment_content": submission.body,
        "comment_date_gmt": timezone.now().isoformat(timespec="seconds"),
        "blog_lang": settings.LANGUAGE_CODE,
        "blog_charset": "UTF-8",
    }
    return {key: value for key, value in params.items() if value}


def comment_check(params: dict[str, str]) -> Judgement:
    """The provider's judgement of one comment; "unavailable" (logged) instead of any failure."""
    try:
        body, headers = _post("comment-check", params)
    except ProviderError as exc:
        logger.warning("Akismet unavailable (%s); the local scorers decide alone", exc)
        return Judgement(ProviderResult.UNAVAILABLE, str(exc)[:200])
    if body == "true":
        if (headers.get("X-akismet-pro-tip") or "").strip().lower() == "discard":
            return Judgement(ProviderResult.DISCARD, "pro-tip: discard")
        return Judgement(ProviderResult.SPAM)
    if body == "false":
        return Judgement(ProviderResult.HAM)
    hint = headers.get("X-akismet-debug-help") or headers.get("X-akismet-alert-msg") or body[:80]
    logger.warning("Akismet gave no verdict (%s); the local scorers decide alone", hint)
    return Judgement(ProviderResult.UNAVAILABLE, f"no verdict: {hint}"[:200])


def submit(kind: str, params: dict[str, str]) -> None:
    """Report a correction: kind "spam" (submit-spam) or "ham" (submit-ham). ProviderError on failure."""
    _post(f"submit-{kind}", params)


# The check runs before the comment exists; the comment_posted receiver stores the answer with it.
EXTRA_KEY = "moderation_akismet"  # in submission.extra, then in comment_posted's `prepared`


def check_submission(submission: Submission) -> Judgement | None:
    """Ask the provider about a new comment; None when it is off or not asked (edits).

    The answer and what was sent are kept in `submission.extra[EXTRA_KEY]`; moderation's
    comment_preparing receiver hands them on in `prepared`, for `record_check` to store."""
    if not is_configured() or submission.is_edit:
        return None
    params = submission_params(submission)
    judgement = comment_check(params)
    submission.extra[EXTRA_KEY] = (judgement, params)
    return judgement


def record_check(
    comment: Comment, asked: tuple[Judgement, dict[str, str]] | None
) -> ProviderCheck | None:
    """Store the provider's answer for a comment just written (discussion's comment_posted), `asked`
    being what `check_submission` kept for it (None when the provider was not asked)."""
    if asked is None:
        return None
    judgement, params = asked
    return ProviderCheck.objects.create(
        comment=comment,
        provider=NAME,
        result=judgement.result,
        detail=judgement.detail,
        params=params,
    )


def report_decision(actor: Actor, comment: Comment, new_status: str) -> None:
    """After a moderator approves or files as spam a comment the provider judged, tell the provider
    where it was wrong (submit-ham / submit-spam, in a task after commit). Agreement sends nothing."""
    if new_status not in ("spam", "approved") or actor.is_system or not can_moderate(actor):
        return
    with transaction.atomic():
        row = ProviderCheck.objects.select_for_update().filter(comment_id=comment.pk).first()
        if row is None or row.result == ProviderResult.UNAVAILABLE or not row.params:
            return
        wanted = "spam" if new_status == "spam" else "ham"
        current = row.feedback or ("spam" if row.result != ProviderResult.HAM else "ham")
        if wanted == current:
            return
        row.feedback, row.feedback_at = wanted, timezone.now()
        row.save(update_fields=["feedback", "feedback_at"])
        from masthead.moderation.tasks import submit_provider_feedback

        enqueue_on_commit(submit_provider_feedback, row.pk, wanted)


def forget_old_params() -> int:
    """Empty what was sent (it holds the raw address) once AKISMET_KEEP_DAYS have passed (the clock)."""
    cutoff = timezone.now() - timedelta(days=int(setting("AKISMET_KEEP_DAYS")))
    stale = ProviderCheck.objects.filter(checked_at__lt=cutoff).exclude(params={})
    if not stale.exists():
        return 0
    return stale.update(params={})
