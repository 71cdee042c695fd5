"""Moderation rules as discussion checks: each takes a Submission and returns a Verdict or None.

Registered in `ModerationConfig.ready()` under the `COMMENT_CHECK` hook (core/hooks.py); discussion runs
them before the posting (or editing) write transaction (they only read) and applies the
strictest verdict. Staff bypass them.
Order of severity: rejected (bans, banned words, blocked domains) > spam (shadow bans, spam score)
> pending (suspect words, links, first-time pre-moderation) > approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from masthead.core.compiled import Param, compiled
from masthead.discussion.hooks import REJECTED, Submission, Verdict
from masthead.discussion.models import CommentStatus
from masthead.moderation import akismet, classifier
from masthead.moderation.conf import setting
from masthead.moderation.links import Link, extract_links
from masthead.moderation.normalise import fingerprint
from masthead.moderation.rules import current_rules

if TYPE_CHECKING:
    from masthead.accounts.models import User


SCORER = "masthead-spam-score"
SCORER_VERSION = "1"


@dataclass
class ScoredVerdict(Verdict):
    """A spam-score verdict that also stores what an external provider said (see akismet.py)."""

    provider: dict[str, str] | None = None


# Trust (approved and rejected counts) is kept per author key, and only read through keys the reader
# proved: a signed-in account ("user:<id>"), the signed guest cookie that posted ("guest:<key>"), and an
# address ("email:<address>") only for a browser that confirmed it by mail. A typed email is written
# to (a comment signed with it counts for that address) but never read for whoever typed it.


def author_key(
    user: User | None = None, email: str = "", guest_key: str = "", ip_hash: str = ""
) -> str:
    """The identity an author's comments are kept under: the account, else the browser, else the
    address they came from (never the email: anyone can type one)."""
    if user is not None and user.pk is not None:
        return f"user:{user.pk}"
    if guest_key:
        return f"guest:{guest_key}"
    return f"ip:{ip_hash}"


def email_key(email: str) -> str:
    return f"email:{email.strip().lower()}"


def submission_trust(submission: Submission) -> tuple[int, int]:
    """(approved, rejected) of the submission's author, read once per submission."""
    cached = submission.extra.get("moderation_trust")
    if cached is None:
        cached = author_trust(submission_author_keys(submission))
        submission.extra["moderation_trust"] = cached
    return cached


def submission_author_keys(submission: Submission) -> list[str]:
    """The keys whose history this submission may use: its account, or its guest cookie, and an
    address only when this browser confirmed it (`Actor.owns_email`)."""
    actor = submission.actor
    if actor is None:
        return []
    if actor.user is not None and actor.is_authenticated:
        return [f"user:{actor.user.pk}"]
    keys = [f"guest:{actor.guest_key}"] if actor.guest_key else []
    if submission.email and actor.owns_email(submission.email):
        keys.append(email_key(submission.email))
    return keys


def author_trust(keys: list[str]) -> tuple[int, int]:
    """(approved, rejected) for an author known under `keys` (one query): the most of each, so one
    comment counted under two keys (cookie and address) counts once."""
    from masthead.moderation.models import AuthorRecord

    if not keys:
        return (0, 0)
    rows = list(
        AuthorRecord.objects.filter(key__in=keys).values_list("approved_count", "rejected_count")
    )
    return (max((row[0] for row in rows), default=0), max((row[1] for row in rows), default=0))


def _is_exempt(submission: Submission) -> bool:
    actor = submission.actor
    return actor.is_staff


def _comment_links(submission: Submission) -> list[Link]:
    cached = submission.extra.get("moderation_links")
    if cached is None:
        cached = extract_links(submission.body)
        submission.extra["moderation_links"] = cached
    return cached


def check_bans(submission: Submission) -> Verdict | None:
    if _is_exempt(submission):
        return None
    actor = submission.actor
    user = actor.user if actor.is_authenticated else None
    bans = current_rules().active_bans(
        user_id=user.pk if user is not None else None,
        email=submission.email or (user.email if user is not None else ""),
        ip=actor.ip,
        ip_hash=actor.ip_hash,
        guest_key=actor.guest_key,
    )
    if not bans:
        return None
    blocking = [ban for ban in bans if ban.mode == "block"]
    if blocking:
        ban = blocking[0]
        return Verdict(
            status=REJECTED,
            rule="ban",
            reason=f"Ban #{ban.ban_id} on {ban.kind}: {ban.reason}".strip(": "),
            public_message="You can no longer comment on this site. If you think this is a mistake, please contact the editors.",
        )
    ban = bans[0]
    return Verdict(
        status=CommentStatus.SPAM,
        rule="shadow_ban",
        reason=f"Shadow ban #{ban.ban_id} on {ban.kind}: {ban.reason}".strip(": "),
        shadow=True,
    )


def check_words(submission: Submission) -> Verdict | None:
    if _is_exempt(submission):
        return None
    rules = current_rules()
    # U+2063 marks the join so the body is folded on its own (memoised, shared with the other checks).
    text = "\n\u2063".join(part for part in (submission.body, submission.name) if part)
    match = rules.match_words(text)
    if match is None:
        return None
    if match.kind == "timeout":
        # Fail safe: a rule that could not finish neither lets the comment through nor refuses it.
        return Verdict(
            status=CommentStatus.PENDING,
            rule="rule_timeout",
            reason=f"Rule timed out: word rule #{match.rule_id} ({match.pattern}) ran out of time",
            public_message="Your comment will appear once a moderator has reviewed it.",
        )
    if match.kind == "banned":
        return Verdict(
            status=REJECTED,
            rule="banned_word",
            reason=f"Banned word rule #{match.rule_id}: {match.pattern}",
            public_message="Your comment contains language this site does not allow. Please rephrase it.",
        )
    return Verdict(
        status=CommentStatus.PENDING,
        rule="suspect_word",
        reason=f"Suspect word rule #{match.rule_id}: {match.pattern}",
        public_message="Your comment will appear once a moderator has reviewed it.",
    )


def check_links(submission: Submission) -> Verdict | None:
    if _is_exempt(submission):
        return None
    rules = current_rules()
    links = _comment_links(submission)
    website_links = extract_links(submission.website) if submission.website else []
    for link in [*links, *website_links]:
        if rules.domain_kind(link) == "block":
            return Verdict(
                status=REJECTED,
                rule="blocked_domain",
                reason=f"Links to a blocked domain: {link.host}",
                public_message="Your comment links to a site that is not allowed here.",
            )
    counted = [link for link in links if rules.domain_kind(link) != "allow"]
    if not counted:
        return None
    held = "Your comment will appear once a moderator has reviewed it."
    for link in counted:
        if link.mixed_script:
            return Verdict(
                CommentStatus.PENDING,
                "lookalike_domain",
                f"Look-alike (mixed-script) domain: {link.host}",
                held,
            )
        if rules.domain_kind(link) == "suspect":
            return Verdict(
                CommentStatus.PENDING,
                "suspect_domain",
                f"Links to a suspect domain: {link.host}",
                held,
            )
        if link.obfuscated:
            return Verdict(
                CommentStatus.PENDING, "obfuscated_link", f"Disguised link: {link.text[:80]}", held
            )
    limit = int(setting("MAX_LINKS"))
    if len(counted) > limit:
        return Verdict(
            CommentStatus.PENDING, "link_count", f"{len(counted)} links (more than {limit})", held
        )
    approved, _ = submission_trust(submission)
    if approved == 0:
        return Verdict(
            CommentStatus.PENDING, "first_time_link", "A link from a first-time commenter", held
        )
    return None


def _premoderation(submission: Submission) -> str:
    """The page's pre-moderation mode (discussion caches the policy until anything in it changes)."""
    from masthead.discussion.policy import thread_policy

    return str(getattr(thread_policy(submission.thread), "premoderation", "") or "none")


def check_first_time(submission: Submission) -> Verdict | None:
    """`first_time` pre-moderation: hold comments until the author has earned enough trust (an edit
    of an approved comment is judged as a new one; other edits keep their status whatever this says)."""
    if _is_exempt(submission):
        return None
    if _premoderation(submission) != "first_time":  # the mode is cached; trust costs a query
        return None
    approved, rejected = submission_trust(submission)
    needed = int(setting("FIRST_TIME_APPROVALS"))
    trust = approved - 2 * rejected
    if trust >= needed:
        return None
    return Verdict(
        status=CommentStatus.PENDING,
        rule="first_time",
        reason=f"Pre-moderation of new commenters: trust {trust} of {needed} needed",
        public_message="Comments from new commenters appear once a moderator has reviewed them.",
    )


def _copies_elsewhere() -> Any:
    from masthead.moderation.models import SubmissionLog

    return (
        SubmissionLog.objects.filter(
            digest=Param("digest", models.CharField()),
            created_at__gte=Param("since", models.DateTimeField()),
        )
        .exclude(thread_id=Param("thread", models.BigIntegerField()))
        .order_by()
        .values_list("thread_id")[:5]
    )


# Every new comment asks this (compiled once: `core/compiled.py`), together with the other apps'
# reads before the post's transaction (`ask_copies_elsewhere`, core/asked_together.py).
_COPIES_ELSEWHERE = compiled(_copies_elsewhere)
COPIES_ELSEWHERE = "moderation.copies_elsewhere"


def _digest(submission: Submission) -> str:
    digest = submission.extra.get("moderation_digest")
    if digest is None:
        digest = submission.extra["moderation_digest"] = fingerprint(submission.body)
    return str(digest)


def _copies_asked(submission: Submission) -> dict[str, Any]:
    return {
        "digest": _digest(submission),
        "since": timezone.now() - timedelta(hours=int(setting("DUPLICATE_HOURS"))),
        "thread": submission.thread.pk,
    }


def ask_copies_elsewhere(submission: Submission) -> None:
    """Ask, with the other apps' reads (comment_asking), in how many other threads a new comment's
    text was posted lately; `spam_signals` reads the answer."""
    if submission.comment is None and len(submission.body) >= 20:
        submission.questions.ask(COPIES_ELSEWHERE, _COPIES_ELSEWHERE, **_copies_asked(submission))


def spam_signals(submission: Submission) -> dict[str, float]:
    """Each signal is a probability-like weight in [0, 1]; `spam_score` combines them (noisy-OR)."""
    from masthead.moderation.models import SubmissionLog

    signals: dict[str, float] = {}
    if submission.honeypot:
        signals["honeypot"] = 1.0
    seconds = submission.seconds_to_submit
    if (
        seconds is not None
        and not submission.is_edit
        and seconds < float(setting("MIN_SECONDS_TO_SUBMIT"))
    ):
        signals["fast_submit"] = 0.4
    digest = _digest(submission)
    if len(submission.body) >= 20:
        if submission.comment is None:
            # Distinct threads among the first five copies (the question's [:5]).
            threads = submission.questions.count(
                COPIES_ELSEWHERE, _COPIES_ELSEWHERE, **_copies_asked(submission)
            )
        else:
            since = timezone.now() - timedelta(hours=int(setting("DUPLICATE_HOURS")))
            copies = SubmissionLog.objects.filter(digest=digest, created_at__gte=since)
            copies = copies.exclude(thread_id=submission.thread.pk)
            copies = copies.exclude(comment_id=submission.comment.pk)
            threads = len(set(copies.values_list("thread_id", flat=True)[:5]))
        if threads:
            signals["duplicate"] = 0.6 if threads < 3 else 0.9
    links = _comment_links(submission)
    if links:
        if len(links) > int(setting("MAX_LINKS")):
            signals["many_links"] = 0.3
        if any(link.obfuscated or link.mixed_script for link in links):
            signals["disguised_link"] = 0.5
    if setting("CLASSIFIER"):
        model = classifier.active_model()
        if model is not None:
            probability = model.score(
                classifier.features(
                    submission.body, name=submission.name, website=submission.website
                )
            )
            submission.extra["moderation_classifier"] = (model.version, probability)
            if probability > 0.5:
                # A classifier is never certain on its own: cap it so only a confident model plus
                # another signal, or a very confident model, files a comment as spam.
                signals["classifier"] = round(min(probability, 0.95), 4)
    return signals


BURST_WEIGHT = 0.5


def is_burst(submission: Submission) -> bool:
    """BURST_COMMENTS or more posts from this address in the last BURST_SECONDS, counted in the
    submission log (indexed on ip_hash, created_at): a sliding window every process sees."""
    from masthead.moderation.models import SubmissionLog

    ip_hash = getattr(submission.actor, "ip_hash", "")
    if not ip_hash or submission.is_edit:
        return False
    window_start = timezone.now() - timedelta(seconds=int(setting("BURST_SECONDS")))
    limit = int(setting("BURST_COMMENTS"))
    recent = SubmissionLog.objects.filter(ip_hash=ip_hash, created_at__gte=window_start)
    return len(recent.values_list("pk", flat=True)[:limit]) >= limit


def _bucket(score: float) -> int:
    return (score >= float(setting("SPAM_PENDING_SCORE"))) + (score >= float(setting("SPAM_SCORE")))


def add_burst_signal(signals: dict[str, float], submission: Submission) -> None:
    """Add the burst signal when it can matter: when the comment is flagged anyway (so moderators see
    it among the reasons) or when it would flag it. A clean post costs no burst query."""
    score = spam_score(signals)
    with_burst = spam_score({**signals, "burst": BURST_WEIGHT})
    if (_bucket(score) or _bucket(with_burst)) and is_burst(submission):
        signals["burst"] = BURST_WEIGHT


def spam_score(signals: dict[str, float]) -> float:
    remaining = 1.0
    for weight in signals.values():
        remaining *= 1.0 - weight
    return round(1.0 - remaining, 4)


def check_spam_score(submission: Submission) -> Verdict | None:
    if _is_exempt(submission):
        return None
    signals = spam_signals(submission)
    judgement = akismet.check_submission(submission)
    if judgement is not None and judgement.is_spam:
        discard = judgement.result == "discard"
        signals["akismet"] = 1.0 if discard else float(setting("AKISMET_SPAM_SIGNAL"))
    add_burst_signal(signals, submission)
    score = spam_score(signals)
    model_info = submission.extra.get("moderation_classifier")
    version = SCORER_VERSION + (f"+nb{model_info[0]}" if model_info else "")
    detail = ", ".join(f"{name} {weight:.2f}" for name, weight in sorted(signals.items()))
    if model_info:
        detail += f"; classifier p={model_info[1]:.3f}"
    if score >= float(setting("SPAM_SCORE")):
        status = CommentStatus.SPAM
    elif score >= float(setting("SPAM_PENDING_SCORE")):
        status = CommentStatus.PENDING
    else:
        return None
    reason = f"Spam score {score:.2f} ({detail})"
    scorer = SCORER
    if judgement is not None and judgement.is_spam:
        # The provider tipped it: name it as the scorer, so moderators see who judged.
        scorer, version = akismet.NAME, akismet.API_VERSION
        reason = f"Akismet: {judgement.detail or judgement.result}; {reason}"
    elif judgement is not None and judgement.result == "unavailable":
        reason += f"; Akismet unavailable ({judgement.detail})"
    return ScoredVerdict(
        status=status,
        rule="spam_score",
        reason=reason,
        public_message="Your comment will appear once a moderator has reviewed it.",
        scorer=scorer,
        version=version,
        score=score,
        provider=judgement.as_dict() if judgement is not None else None,
    )


ALL_CHECKS = [check_bans, check_words, check_links, check_first_time, check_spam_score]
