"""Draining the outbox: claim due notifications, send one email per subscriber and thread, record it.

Each group of rows is claimed (pending -> sending, stamped with the message's Message-ID) before the
SMTP transaction and marked sent right after it, each in its own short commit; a second worker never
sends a claimed row. Temporary failures (server down, 4xx) put the rows back with a back-off; a 5xx
refusal of the recipient marks the address as failing and stops mail to it. A worker killed between
claim and record leaves at most one in-flight message per SMTP connection "sending"; after
NOTIFICATIONS_CLAIM_TIMEOUT they are marked "uncertain" and not sent again (each notification is sent
at most once).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import smtplib
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import connection
from django.utils import timezone, translation

from masthead.core.language import email_language
from masthead.discussion.models import Comment
from masthead.notifications import emails, hooks
from masthead.notifications.conf import seconds, setting
from masthead.notifications.models import (
    EmailAddress,
    Notification,
    NotificationReason,
    NotificationStatus,
)

logger = logging.getLogger("masthead.notifications")
ADDRESS_BATCH = 200
# Addresses that need no quoting or encoding in a header; others take Django's full path.
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
S = NotificationStatus


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0
    uncertain: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "errors": self.errors[:5]}


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


def backoff(attempts: int) -> timedelta:
    base = int(setting("NOTIFICATIONS_RETRY_BASE"))  # type: ignore[call-overload]
    cap = int(setting("NOTIFICATIONS_RETRY_CAP"))  # type: ignore[call-overload]
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def give_up_stale_claims(now: datetime) -> int:
    """Rows a worker claimed and never recorded: possibly sent, so never retried."""
    return Notification.objects.filter(
        status=S.SENDING, claimed_at__lt=now - seconds("NOTIFICATIONS_CLAIM_TIMEOUT")
    ).update(status=S.UNCERTAIN, last_error="worker stopped while sending")


def due(now: datetime) -> Any:
    return Notification.objects.filter(status=S.PENDING, send_after__lte=now)


def _classify(error: Exception) -> Exception:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return PermanentFailure(f"{codes[0]} recipient refused")
        return TemporaryFailure(f"{codes[0] if codes else '?'} recipient deferred")
    if isinstance(error, smtplib.SMTPDataError | smtplib.SMTPResponseException):
        code = getattr(error, "smtp_code", 0)
        if isinstance(error, smtplib.SMTPDataError) and code >= 500:
            return PermanentFailure(f"{code} message refused")
        return TemporaryFailure(f"{code} {type(error).__name__}")
    return TemporaryFailure(f"{type(error).__name__}: {error}"[:300])


class _Sender:
    """One SMTP connection, opened on first use and reused for the whole run."""

    def __init__(self) -> None:
        self.connection: Any = None
        self.senders: dict[str, str] = {}

    def _open(self) -> Any:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
        return self.connection

    @property
    def speaks_smtp(self) -> bool:
        """True for Django's SMTP backend: prepared bytes can go straight to its connection."""
        return isinstance(get_connection(), SmtpBackend)

    def send(self, message: Any) -> None:
        try:
            message.connection = self._open()
            if self.connection.send_messages([message]) != 1:
                raise TemporaryFailure("the backend did not send the message")
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _classify(error) from error

    def send_raw(self, from_email: str, to: str, raw: bytes) -> None:
        """What SMTP EmailBackend._send does, with bytes serialised once for the whole fan-out."""
        try:
            backend = self._open()
            if backend.connection is None:
                raise TemporaryFailure("no SMTP connection")
            if from_email not in self.senders:
                self.senders[from_email] = sanitize_address(from_email, settings.DEFAULT_CHARSET)
            # Only PLAIN_ADDRESS recipients take this path.
            backend.connection.sendmail(self.senders[from_email], [to], raw)
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise _classify(error) from error

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(Exception):  # a broken connection is being dropped anyway
                self.connection.close()
            self.connection = None


class _Cache:
    """Comments and pages seen in this run (a big fan-out is one comment for many subscribers)."""

    def __init__(self) -> None:
        self.comments: dict[int, Any] = {}
        self.prepared: dict[tuple[Any, ...], emails.PreparedMessage | None] = {}

    def prepared_for(
        self, rows: list[Notification], lock: threading.Lock
    ) -> emails.PreparedMessage | None:
        # Rendered in the active language (the recipient's): one copy per language.
        key = (
            translation.get_language(),
            rows[0].thread_id,
            *((row.comment_id, row.reason) for row in rows),
        )
        with lock:
            if key in self.prepared:
                return self.prepared[key]
        prepared = self._prepare(rows)
        with lock:
            if len(self.prepared) >= 256:
                self.prepared.clear()  # memory stays flat whatever the fan-out
            self.prepared[key] = prepared
        return prepared

    def _prepare(self, rows: list[Notification]) -> emails.PreparedMessage | None:
        first = self.comments[rows[0].comment_id]
        items = [
            emails.comment_item(
                self.comments[row.comment_id],
                first.thread.page,
                row.reason == NotificationReason.REPLY,
            )
            for row in rows
        ]
        return emails.prepare_comments_email(first.thread.page, first.thread_id, items)

    def load(self, comment_ids: set[int]) -> None:
        missing = comment_ids - self.comments.keys()
        if missing:
            for comment in Comment.objects.filter(pk__in=missing).select_related("thread__page"):
                self.comments[comment.pk] = comment


def _group_key(row: Notification) -> tuple[int, bool, int]:
    moderation = row.reason == NotificationReason.MODERATION
    return (row.address_id, moderation, 0 if moderation else row.thread_id)


def _still_relevant(row: Notification, comment: Any) -> bool:
    if comment is None:
        return False
    wanted = "pending" if row.reason == NotificationReason.MODERATION else "approved"
    return bool(comment.status == wanted)


def _build(address: EmailAddress, rows: list[Notification], cache: _Cache, msgid: str) -> Any:
    first = cache.comments[rows[0].comment_id]
    if rows[0].reason == NotificationReason.MODERATION:
        items = []
        queue_url = ""
        for comment in (cache.comments[row.comment_id] for row in rows):
            item = emails.comment_item(comment, comment.thread.page, False)
            links = hooks.moderation_links(comment, address.user)
            item.approve_url = str(links.get("approve", ""))
            item.remove_url = str(links.get("remove", ""))
            queue_url = str(links.get("queue", queue_url))
            items.append(item)
        return emails.moderation_email(address, items, msgid, queue_url)
    items = [
        emails.comment_item(
            cache.comments[row.comment_id],
            first.thread.page,
            row.reason == NotificationReason.REPLY,
        )
        for row in rows
    ]
    return emails.comments_email(address, first.thread.page, first.thread_id, items, msgid)


def _update(assignments: str, ids: list[int], status: str, params: list[Any]) -> int:
    """UPDATE rows `ids` still in `status`: the two writes per message, kept off the ORM's hot path."""
    table = Notification._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    sql = f"UPDATE {table} SET {assignments} WHERE id IN ({marks}) AND status = %s"  # noqa: S608 - fixed names
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids, status])
        return int(cursor.rowcount)


def _when(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _claim(ids: list[int], msgid: str, now: datetime) -> list[int]:
    claimed = _update(
        "status = %s, claimed_at = %s, message_id = %s",
        ids,
        S.PENDING,
        [S.SENDING, _when(now), msgid],
    )
    if claimed == len(ids):
        return ids
    return list(
        Notification.objects.filter(message_id=msgid, status=S.SENDING).values_list("pk", flat=True)
    )


def deliver_due(now: datetime | None = None, max_messages: int | None = None) -> DeliveryReport:
    """Send everything due at `now` (default: the current time); safe to run in several workers.

    Outside a transaction, NOTIFICATIONS_SMTP_CONNECTIONS threads send in parallel (each with its own
    SMTP and database connection), so one worker overlaps the SMTP round trips; inside one (a test, or a
    caller's atomic block) everything runs in the calling thread and sees its uncommitted rows.
    """
    now = now or timezone.now()
    report = DeliveryReport(uncertain=give_up_stale_claims(now))
    parallel = 1 if connection.in_atomic_block else int(setting("NOTIFICATIONS_SMTP_CONNECTIONS"))  # type: ignore[call-overload]
    run = _Run(now, report, max(1, parallel))
    last_address = 0
    try:
        while not run.stopped.is_set():
            address_ids = list(
                due(now)
                .filter(address_id__gt=last_address)
                .order_by("address_id")
                .values_list("address_id", flat=True)
                .distinct()[:ADDRESS_BATCH]
            )
            if not address_ids:
                break
            last_address = address_ids[-1]
            addresses = EmailAddress.objects.in_bulk(address_ids)
            rows = list(
                due(now)
                .filter(address_id__in=address_ids)
                .only("id", "address_id", "comment_id", "thread_id", "reason", "attempts")
                .order_by("address_id", "id")
            )
            run.cache.load({row.comment_id for row in rows})
            groups: dict[tuple[int, bool, int], list[Notification]] = defaultdict(list)
            for row in rows:
                groups[_group_key(row)].append(row)
            for (address_id, _, _), members in groups.items():
                address = addresses[address_id]
                comments = run.cache.comments
                live = [r for r in members if _still_relevant(r, comments.get(r.comment_id))]
                dead = [r.pk for r in members if r not in live]
                if not address.is_mailable:
                    dead, live = [r.pk for r in members], []
                if dead:
                    run.count(
                        "skipped",
                        Notification.objects.filter(pk__in=dead, status=S.PENDING).update(
                            status=S.SKIPPED, last_error="no longer relevant"
                        ),
                    )
                if live:
                    run.submit(address, live)
                if run.stopped.is_set() or (
                    max_messages is not None and report.sent >= max_messages
                ):
                    break
            if max_messages is not None and report.sent >= max_messages:
                break
    finally:
        run.finish()
    return report


class _Run:
    """One drain: the due groups go to the sender threads (or are sent in place when parallel is 1)."""

    def __init__(self, now: datetime, report: DeliveryReport, parallel: int) -> None:
        self.now = now
        self.report = report
        self.parallel = parallel
        self.cache = _Cache()
        self.max_attempts = int(setting("NOTIFICATIONS_MAX_ATTEMPTS"))  # type: ignore[call-overload]
        self.raw_smtp = _Sender().speaks_smtp
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.queue: queue.Queue[tuple[EmailAddress, list[Notification]] | None] = queue.Queue(
            maxsize=parallel * 4
        )
        self.sender = _Sender() if parallel == 1 else None
        self.threads = [
            threading.Thread(target=self._work, name=f"notify-smtp-{n}", daemon=True)
            for n in range(parallel if parallel > 1 else 0)
        ]
        for thread in self.threads:
            thread.start()

    def count(self, field_name: str, amount: int) -> None:
        with self.lock:
            setattr(self.report, field_name, getattr(self.report, field_name) + amount)

    def submit(self, address: EmailAddress, rows: list[Notification]) -> None:
        if self.sender is not None:
            self._deliver(self.sender, address, rows)
        else:
            self.queue.put((address, rows))

    def finish(self) -> None:
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if self.sender is not None:
            self.sender.close()

    def _work(self) -> None:
        sender = _Sender()
        try:
            while (item := self.queue.get()) is not None:
                if not self.stopped.is_set():
                    self._deliver(sender, *item)
        finally:
            sender.close()
            connection.close()  # this thread's own database connection

    def _send(
        self, sender: _Sender, address: EmailAddress, live: list[Notification], msgid: str
    ) -> None:
        prepared = (
            self.cache.prepared_for(live, self.lock)
            if self.raw_smtp
            and live[0].reason != NotificationReason.MODERATION
            and PLAIN_ADDRESS.fullmatch(address.email)
            else None
        )
        if prepared is not None:
            raw = prepared.for_address(address, msgid)
            sender.send_raw(prepared.from_email, address.email, raw)
        else:
            sender.send(_build(address, live, self.cache, msgid))

    def _deliver(self, sender: _Sender, address: EmailAddress, live: list[Notification]) -> None:
        now = self.now
        msgid = emails.message_id()
        claimed = set(_claim([r.pk for r in live], msgid, now))
        live = [r for r in live if r.pk in claimed]
        if not live:
            return
        try:
            with translation.override(email_language(address.language)):
                self._send(sender, address, live, msgid)
        except PermanentFailure as error:
            Notification.objects.filter(message_id=msgid, status=S.SENDING).update(
                status=S.FAILED, last_error=str(error)
            )
            EmailAddress.objects.filter(pk=address.pk).update(
                failed_at=now, failure=str(error)[:300]
            )
            self.count("failed", len(live))
            return
        except TemporaryFailure as error:
            with self.lock:
                _defer(live, msgid, str(error), now, self.max_attempts, self.report)
                self.report.errors.append(str(error))
            self.stopped.set()  # the server is unwell: leave the rest for the retry
            return
        _update(
            "status = %s, sent_at = %s",
            [r.pk for r in live],
            S.SENDING,
            [S.SENT, _when(timezone.now())],
        )
        self.count("sent", len(live))


def _defer(
    rows: list[Notification],
    msgid: str,
    error: str,
    now: datetime,
    max_attempts: int,
    report: DeliveryReport,
) -> None:
    attempts = max(row.attempts for row in rows) + 1
    if attempts >= max_attempts:
        report.failed += Notification.objects.filter(message_id=msgid, status=S.SENDING).update(
            status=S.FAILED, attempts=attempts, last_error=f"gave up: {error}"[:300]
        )
        return
    report.deferred += Notification.objects.filter(message_id=msgid, status=S.SENDING).update(
        status=S.PENDING,
        attempts=attempts,
        send_after=now + backoff(attempts),
        last_error=error[:300],
        claimed_at=None,
        message_id="",
    )
