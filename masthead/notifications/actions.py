"""The only writers of notification state: subscribe, confirm, unsubscribe, and the outbox fan-out.

Every public action runs in one transaction (joining the caller's, e.g. the discussion's when called
from a signal receiver) and sends mail only through tasks enqueued on commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.accounts.verified import verified_email
from masthead.core.actors import Actor
from masthead.core.asked_together import Questions
from masthead.core.compiled import Param, attnames, compiled
from masthead.core.errors import ApiError, invalid, not_found
from masthead.core.language import reader_language
from masthead.core.on_commit import enqueue_on_commit
from masthead.core.text import ensure_encodable
from masthead.notifications.conf import seconds, setting
from masthead.notifications.models import (
    EmailAddress,
    Notification,
    NotificationReason,
    NotificationStatus,
    Subscription,
    SubscriptionKind,
)
from masthead.notifications.tokens import UnsubscribeRequest

if TYPE_CHECKING:
    from masthead.accounts.models import User
    from masthead.discussion.models import Comment, Thread


FANOUT_BATCH = 1000
_validate_email = EmailValidator(message="Enter a valid email address.")


def normalise_email(raw: object) -> str:
    """The address as stored (trimmed, lower-cased) or a 400 `invalid` ApiError."""
    if not isinstance(raw, str):
        raise invalid(_("Enter a valid email address."), email=_("Enter a valid email address."))
    try:
        email = ensure_encodable(raw).strip().lower()
        if len(email) > 254:
            raise ValidationError("too long")
        _validate_email(email)
    except (ValidationError, ValueError) as exc:
        raise invalid(
            _("Enter a valid email address."), email=_("Enter a valid email address.")
        ) from exc
    return email


def _trusted_user(actor: Actor, email: str) -> User | None:
    """The signed-in reader when `email` is their verified address (no confirmation needed)."""
    user = actor.user
    if user is None or not actor.is_authenticated:
        return None
    if verified_email(user) == email:
        return user
    return None


def _owner_present(actor: Actor, email: str) -> bool:
    """Whether the request comes from whoever owns `email`: the signed-in owner of that verified
    address, or the guest browser that opened its confirmation link (accounts.guest). Anyone else
    may ask, but the address itself confirms, even when it confirmed other subscriptions before."""
    if _trusted_user(actor, email) is not None:
        return True
    return actor.owns_email(email)


def subscribe(
    actor: Actor,
    thread: Thread,
    *,
    email: str,
    kind: str = SubscriptionKind.REPLIES,
    comment: Comment | None = None,
    now: datetime | None = None,
) -> Subscription:
    """Subscribe `email` to `thread` (or to replies of `comment` in it).

    A new subscription is active at once only when its owner asks: a registered reader's verified
    address, or a confirmed address from the guest browser that confirmed it. Any other request,
    for an address confirmed before too, gets (at most once per NOTIFICATIONS_CONFIRMATION_INTERVAL)
    a confirmation email, and the subscription waits for its one click. An existing subscription is
    kept, upgraded from replies to all when asked. Callers must answer the same way whatever happened
    here (no enumeration).
    """
    now = now or timezone.now()
    email = normalise_email(email)
    if kind not in SubscriptionKind.values:
        raise invalid(_("Choose replies or all."), kind=_("Choose replies or all."))
    if comment is not None and comment.thread_id != thread.pk:
        raise not_found(_("No such comment in this thread."))
    # A reader who comments again is usually subscribed already: one read, and nothing to write.
    unchanged = _unchanged_subscription(actor, thread, email, kind, comment, now)
    if unchanged is not None:
        return unchanged
    return _subscribe(actor, thread, email, kind, comment, now)


_SUBSCRIPTION_NAMES = attnames(Subscription)
_ADDRESS_NAMES = attnames(EmailAddress)
# Every comment with an email address asks this before posting (compiled once: `core/compiled.py`).
_THREAD_SUBSCRIPTION = compiled(
    lambda: (
        Subscription.objects.filter(
            address__email=Param("email", models.EmailField()),
            thread_id=Param("thread", models.BigIntegerField()),
            comment__isnull=True,
        )
        .order_by()
        .values_list(
            *_SUBSCRIPTION_NAMES,
            *(f"address__{field.name}" for field in EmailAddress._meta.concrete_fields),
        )[:1]
    )
)
_ANY_CONFIRMED = compiled(
    lambda: (
        Subscription.objects.filter(
            thread_id=Param("thread", models.BigIntegerField()), confirmed_at__isnull=False
        )
        .order_by()
        .values_list("pk")[:1]
    )
)


def _thread_subscription(email: str, thread_id: int) -> Subscription | None:
    """`email`'s subscription to every reply in the thread, with its address (one compiled read)."""
    row = _THREAD_SUBSCRIPTION.first(email=email, thread=thread_id)
    if row is None:
        return None
    split = len(_SUBSCRIPTION_NAMES)
    subscription = Subscription.from_db("default", _SUBSCRIPTION_NAMES, row[:split])
    subscription.address = EmailAddress.from_db("default", _ADDRESS_NAMES, row[split:])
    return subscription


def _unchanged_subscription(
    actor: Actor, thread: Thread, email: str, kind: str, comment: Comment | None, now: datetime
) -> Subscription | None:
    """The existing subscription when subscribing as asked would write nothing (one read)."""
    if comment is not None:
        rows = Subscription.objects.select_related("address").filter(address__email=email)
        current = rows.filter(comment=comment).first()
    else:
        current = _thread_subscription(email, thread.pk)
    if current is None or _subscribing_would_change(current, actor, email, kind, now):
        return None
    return current


def _subscribing_would_change(
    subscription: Subscription, actor: Actor, email: str, kind: str, now: datetime
) -> bool:
    """Whether `_subscribe` would write anything for this existing subscription."""
    address = subscription.address
    if _trusted_user(actor, email) is not None and (
        address.user_id is None or address.confirmed_at is None or address.opted_out_at is not None
    ):
        return True
    upgrade = kind == SubscriptionKind.ALL and subscription.kind != kind
    if subscription.comment_id is None and upgrade:
        return True
    if subscription.confirmed_at is not None:
        return False
    if address.is_mailable and _owner_present(actor, email):
        return True
    return _confirmation_due(address, now)


def _confirmation_due(address: EmailAddress, now: datetime) -> bool:
    """No confirmation email went out within the interval, and mail to the address has not failed."""
    recent = now - seconds("NOTIFICATIONS_CONFIRMATION_INTERVAL")
    return address.failed_at is None and (
        address.confirmation_sent_at is None or address.confirmation_sent_at <= recent
    )


@transaction.atomic
def _subscribe(
    actor: Actor, thread: Thread, email: str, kind: str, comment: Comment | None, now: datetime
) -> Subscription:
    language = reader_language()  # the request's language: later emails are written in it
    address, _ = EmailAddress.objects.get_or_create(
        email=email, defaults={"created_at": now, "language": language}
    )
    address = EmailAddress.objects.select_for_update().get(pk=address.pk)
    if address.language != language:
        address.language = language
        address.save(update_fields=["language"])
    trusted = _trusted_user(actor, email)
    if trusted is not None:
        changed = []
        if address.user_id is None:
            address.user = trusted
            changed.append("user")
        if address.confirmed_at is None:
            address.confirmed_at = now
            changed.append("confirmed_at")
        if address.opted_out_at is not None:
            address.opted_out_at = None
            changed.append("opted_out_at")
        if changed:
            address.save(update_fields=changed)
    # Only the owner's own request activates a subscription without a click in the mailbox.
    owner = trusted is not None or _owner_present(actor, email)
    confirmed_at = now if owner and address.confirmed_at and address.opted_out_at is None else None
    if comment is not None:
        subscription, created = Subscription.objects.get_or_create(
            address=address,
            comment=comment,
            defaults={"thread": thread, "kind": SubscriptionKind.REPLIES, "created_at": now},
        )
    else:
        subscription, created = Subscription.objects.get_or_create(
            address=address,
            thread=thread,
            comment=None,
            defaults={"kind": kind, "created_at": now},
        )
        if not created and kind == SubscriptionKind.ALL and subscription.kind != kind:
            subscription.kind = kind
            subscription.save(update_fields=["kind"])
    if subscription.confirmed_at is None and confirmed_at is not None:
        subscription.confirmed_at = confirmed_at
        subscription.save(update_fields=["confirmed_at"])
    if subscription.confirmed_at is None:
        request_confirmation(address, now=now)
    return subscription


def request_confirmation(address: EmailAddress, now: datetime | None = None) -> bool:
    """Queue one confirmation email unless one went out within the interval; True when queued."""
    from masthead.notifications.tasks import send_confirmation

    now = now or timezone.now()
    if not _confirmation_due(address, now):
        return False
    recent = now - seconds("NOTIFICATIONS_CONFIRMATION_INTERVAL")
    claimed = (
        EmailAddress.objects.filter(pk=address.pk, failed_at__isnull=True)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=recent))
        .update(confirmation_sent_at=now)
    )
    if claimed:
        queue = str(setting("NOTIFICATIONS_TASK_QUEUE"))
        enqueue_on_commit(send_confirmation.using(queue_name=queue), address.pk)
    return bool(claimed)


@transaction.atomic
def confirm_address(address: EmailAddress, now: datetime | None = None) -> int:
    """Confirm the address and every subscription waiting for it; returns how many became active."""
    now = now or timezone.now()
    EmailAddress.objects.filter(pk=address.pk).update(confirmed_at=now, opted_out_at=None)
    return Subscription.objects.filter(address=address, confirmed_at__isnull=True).update(
        confirmed_at=now
    )


@transaction.atomic
def unsubscribe(request: UnsubscribeRequest, now: datetime | None = None) -> int:
    """Remove the address's subscriptions to one thread, or all of them (then it needs confirming again).

    Notifications not yet sent for the removed subscriptions are skipped. Returns how many were removed.
    """
    now = now or timezone.now()
    subscriptions = Subscription.objects.filter(address_id=request.address_id)
    pending = Notification.objects.filter(
        address_id=request.address_id, status=NotificationStatus.PENDING
    )
    if request.thread_id is not None:
        subscriptions = subscriptions.filter(thread_id=request.thread_id)
        pending = pending.filter(thread_id=request.thread_id).exclude(
            reason=NotificationReason.MODERATION
        )
    else:
        EmailAddress.objects.filter(pk=request.address_id).update(
            opted_out_at=now, confirmed_at=None
        )
    pending.update(status=NotificationStatus.SKIPPED, last_error="unsubscribed")
    removed, _ = subscriptions.delete()
    return removed


@transaction.atomic
def delete_subscription(actor: Actor, subscription_id: int) -> None:
    """A signed-in reader removes one of their own subscriptions (404 for anyone else's)."""
    user = actor.user
    if user is None:
        raise not_found(_("No such subscription."))
    subscription = (
        Subscription.objects.filter(pk=subscription_id)
        .filter(addresses_of_user_q(user, "address__"))
        .first()
    )
    if subscription is None:
        raise not_found(_("No such subscription."))
    Notification.objects.filter(
        address_id=subscription.address_id,
        thread_id=subscription.thread_id,
        status=NotificationStatus.PENDING,
    ).exclude(reason=NotificationReason.MODERATION).update(
        status=NotificationStatus.SKIPPED, last_error="unsubscribed"
    )
    subscription.delete()


def addresses_of_user_q(user: User, prefix: str = "") -> Q:
    """The addresses a signed-in reader owns: linked to them, or their verified email."""
    q = Q(**{f"{prefix}user_id": user.pk})
    if email := verified_email(user):
        q |= Q(**{f"{prefix}email": email})
    return q


# The outbox ----------------------------------------------------------------------------------------


def _send_times(address_ids: list[int], window_rows: Any, now: datetime) -> dict[int, datetime]:
    """When each subscriber's notification may go: now, or batched into the digest of the window."""
    window = seconds("NOTIFICATIONS_DIGEST_WINDOW")
    last = dict(
        window_rows.filter(address_id__in=address_ids)
        .values("address_id")
        .annotate(last=Max("send_after"))
        .values_list("address_id", "last")
    )
    times = {}
    for address_id in address_ids:
        previous = last.get(address_id)
        if previous is None or previous + window <= now:
            times[address_id] = now
        elif previous > now:
            times[address_id] = previous  # joins the digest already waiting
        else:
            times[address_id] = previous + window
    return times


def _write_outbox(
    comment: Comment, reason: str, address_ids: list[int], window_rows: Any, now: datetime
) -> tuple[int, datetime | None]:
    """Insert one outbox row per address; an address already notified of this comment is skipped.

    Plain parameterised INSERTs (ON CONFLICT DO NOTHING works on SQLite and PostgreSQL alike): a
    fan-out to thousands of subscribers is dominated by building model instances otherwise.
    """
    times = _send_times(address_ids, window_rows, now)
    adapt = connection.ops.adapt_datetimefield_value
    adapted: dict[datetime, Any] = {}
    created = adapt(now)
    rows = []
    for address_id in address_ids:
        when = times[address_id]
        if when not in adapted:
            adapted[when] = adapt(when)
        rows.append((address_id, comment.pk, comment.thread_id, reason, adapted[when], created))
    table = Notification._meta.db_table
    sql = (
        f"INSERT INTO {table} (address_id, comment_id, thread_id, reason, send_after, created_at, "  # noqa: S608
        "status, attempts, last_error, message_id) "
        "VALUES (%s, %s, %s, %s, %s, %s, 'pending', 0, '', '') ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    earliest = min(times.values()) if times else None
    return len(rows), earliest


def _chunks(ids: Iterable[int], size: int = FANOUT_BATCH) -> Iterable[list[int]]:
    batch: list[int] = []
    for item in ids:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _author_q(comment: Comment, prefix: str = "") -> Q:
    """Addresses that belong to the author of `comment`."""
    user = comment.user if comment.user_id is not None else None
    return _person_q(comment.author_email, user, prefix)


def _person_q(email: str, user: User | None, prefix: str = "") -> Q:
    """Addresses that belong to whoever writes as `email` (and `user`, when signed in)."""
    emails = {(email or "").lower()}
    if user is not None and user.email:
        emails.add(user.email.lower())
    emails.discard("")
    q = Q(**{f"{prefix}email__in": sorted(emails)}) if emails else Q(pk__in=[])
    if user is not None:
        q |= Q(**{f"{prefix}user_id": user.pk})
    return q


def _active_subscriptions(thread_id: int, author: Q) -> Any:
    """Subscriptions in the thread that may be mailed now, leaving out the author's own."""
    return Subscription.objects.filter(
        thread_id=thread_id,
        confirmed_at__isnull=False,
        address__confirmed_at__isnull=False,
        address__failed_at__isnull=True,
        address__opted_out_at__isnull=True,
    ).exclude(author)


# Who hears of a new comment: followers of every comment in the thread, and, for a reply, whoever
# follows the parent comment or wrote it (and follows the thread).
FOLLOWERS = Q(comment__isnull=True, kind=SubscriptionKind.ALL)


def _replied_to(parent: Comment) -> Q:
    return Q(comment_id=parent.pk) | (Q(comment__isnull=True) & _author_q(parent, "address__"))


ANY_CONFIRMED = "notifications.any_confirmed"


def ask_any_confirmed(questions: Questions, thread: Thread) -> None:
    """Ask, with the other apps' reads before a post (comment_asking), whether the thread has a
    confirmed subscriber: `has_recipients` reads the answer."""
    questions.ask(ANY_CONFIRMED, _ANY_CONFIRMED, thread=thread.pk)


def has_recipients(
    thread: Thread,
    parent: Comment | None,
    email: str,
    user: User | None,
    questions: Questions | None = None,
) -> bool:
    """Whether `notify_comment` would write anything for a comment by `email`/`user` (replying to
    `parent`, or None) in `thread`. Made before the comment's transaction: one simple read for the
    usual thread with no confirmed subscriber (answered with the post's other reads when
    `questions` asked it), two otherwise."""
    asked = questions if questions is not None else Questions()
    if not asked.count(ANY_CONFIRMED, _ANY_CONFIRMED, thread=thread.pk):
        return False
    wanted = FOLLOWERS | _replied_to(parent) if parent is not None else FOLLOWERS
    active = _active_subscriptions(thread.pk, _person_q(email, user, "address__"))
    return bool(active.filter(wanted).exists())


def subscription_is_current(actor: Actor, thread: Thread, *, email: str, kind: str) -> bool:
    """Whether `subscribe` would find this thread subscription as asked and write nothing (a read;
    an address mail cannot use is not current, so `subscribe` gets to say why)."""
    try:
        email = normalise_email(email)
    except ApiError:
        return False
    return _unchanged_subscription(actor, thread, email, kind, None, timezone.now()) is not None


def notify_comment(comment: Comment, now: datetime | None = None) -> int:
    """Write the outbox rows for an approved comment, in the caller's transaction.

    Recipients: confirmed subscribers of the thread who follow every comment, and those whose comment
    (or followed comment) was replied to; never the author; one row per address (a reply wins over
    a plain follow-up). The first email to a subscriber goes at once, later ones in the window wait for
    the digest. Subscribers are streamed in batches, so memory does not grow with their number.
    """
    from masthead.notifications.tasks import schedule_delivery

    if comment.status != "approved":
        return 0
    now = now or timezone.now()
    # No savepoint inside the comment's transaction: a failure here fails the post all the same.
    with transaction.atomic(savepoint=False):
        active = _active_subscriptions(comment.thread_id, _author_q(comment, "address__"))
        window_rows = Notification.objects.filter(thread_id=comment.thread_id).exclude(
            reason=NotificationReason.MODERATION
        )
        written = 0
        earliest: datetime | None = None
        reply_ids: list[int] = []
        parent = comment.parent if comment.parent_id is not None else None
        if parent is not None:
            reply_ids = sorted(
                set(active.filter(_replied_to(parent)).values_list("address_id", flat=True))
            )
            for batch in _chunks(reply_ids):
                count, when = _write_outbox(
                    comment, NotificationReason.REPLY, batch, window_rows, now
                )
                written += count
                earliest = when if earliest is None or (when and when < earliest) else earliest
        followers = (
            active.filter(FOLLOWERS)
            .exclude(address_id__in=reply_ids)
            .order_by("address_id")
            .values_list("address_id", flat=True)
        )
        for batch in _chunks(followers.iterator(chunk_size=FANOUT_BATCH)):
            count, when = _write_outbox(
                comment, NotificationReason.COMMENT, batch, window_rows, now
            )
            written += count
            earliest = when if earliest is None or (when and when < earliest) else earliest
        if earliest is not None:
            schedule_delivery(earliest, now)
    return written


def moderators() -> Any:
    """Users who hear about the moderation queue: the "Moderators" group, else the superusers."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    in_group = users.filter(groups__name="Moderators").distinct()
    return in_group if in_group.exists() else users.filter(is_superuser=True)


def alert_moderators(comment: Comment, now: datetime | None = None) -> int:
    """Write moderator alerts for a comment waiting in the queue (batched like digests)."""
    from masthead.notifications.tasks import schedule_delivery

    if comment.status != "pending":
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        address_ids = []
        for user in moderators():
            email = user.email.lower()
            if email == (comment.author_email or "").lower() or user.pk == comment.user_id:
                continue
            address, _ = EmailAddress.objects.get_or_create(
                email=email, defaults={"user": user, "confirmed_at": now, "created_at": now}
            )
            if address.failed_at is None and address.opted_out_at is None:
                if address.confirmed_at is None:
                    EmailAddress.objects.filter(pk=address.pk).update(confirmed_at=now)
                address_ids.append(address.pk)
        if not address_ids:
            return 0
        window_rows = Notification.objects.filter(reason=NotificationReason.MODERATION)
        count, when = _write_outbox(
            comment, NotificationReason.MODERATION, address_ids, window_rows, now
        )
        if when is not None:
            schedule_delivery(when, now)
    return count
