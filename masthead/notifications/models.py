"""Email addresses, subscriptions and the notification outbox.

An `EmailAddress` is a mailbox Masthead may write to once it is confirmed (guests confirm by a signed
link; registered readers with a verified email and moderators are confirmed at once). A
`Subscription` ties an address to a thread (every new comment, or replies to the address's own
comments) or to one comment (its replies). A `Notification` is one row of the outbox: one subscriber,
one comment, written in the comment's transaction, unique so nothing is mailed twice, and sent by a
worker that records what it did.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubscriptionKind(models.TextChoices):
    REPLIES = "replies", _("Replies to my comments (or to the chosen comment)")
    ALL = "all", _("Every new comment in the thread")


class EmailAddress(models.Model):
    email = models.EmailField(max_length=254, unique=True, help_text=_("Stored lower-cased."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification_addresses",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        null=True, blank=True, help_text=_("At most one confirmation email per hour.")
    )
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The mail server refused the address permanently (5xx).")
    )
    failure = models.CharField(max_length=300, blank=True)
    opted_out_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "Unsubscribed from everything: no mail (moderator alerts included) until "
            "the reader subscribes and confirms again."
        ),
    )
    # The language of the reader's last subscription; their emails are written in it.
    language = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text=_("The language the reader used when subscribing ('' is the site's default)."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "email addresses"

    def __str__(self) -> str:
        return self.email

    @property
    def is_mailable(self) -> bool:
        return (
            self.confirmed_at is not None and self.failed_at is None and self.opted_out_at is None
        )


class Subscription(models.Model):
    address = models.ForeignKey(
        EmailAddress, on_delete=models.CASCADE, related_name="subscriptions"
    )
    thread = models.ForeignKey(
        "discussion.Thread", on_delete=models.CASCADE, related_name="subscriptions"
    )
    comment = models.ForeignKey(
        "discussion.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        help_text=_("Set for a subscription to one comment's replies."),
    )
    kind = models.CharField(
        max_length=10, choices=SubscriptionKind.choices, default=SubscriptionKind.REPLIES
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Active once its address is confirmed.")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address", "thread"],
                condition=models.Q(comment__isnull=True),
                name="one_thread_subscription_per_address",
            ),
            models.UniqueConstraint(
                fields=["address", "comment"],
                condition=models.Q(comment__isnull=False),
                name="one_comment_subscription_per_address",
            ),
        ]
        indexes = [
            models.Index(fields=["thread", "kind", "confirmed_at"], name="subscription_fanout"),
        ]

    def __str__(self) -> str:
        target = f"comment {self.comment_id}" if self.comment_id else f"thread {self.thread_id}"
        return f"{self.address} → {target} ({self.kind})"


class NotificationReason(models.TextChoices):
    REPLY = "reply", _("A reply to the subscriber's comment, or to the comment they follow")
    COMMENT = "comment", _("A new comment in a thread the subscriber follows")
    MODERATION = "moderation", _("A comment waits in the moderation queue")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending: waits for its send time")
    SENDING = "sending", _("Sending: claimed by a worker")
    SENT = "sent", _("Sent: the mail server accepted it")
    FAILED = "failed", _("Failed: refused permanently, or gave up after retries")
    SKIPPED = "skipped", _("Skipped: the comment or the subscription went away first")
    UNCERTAIN = "uncertain", _("A worker stopped while sending; not retried, so never sent twice")


class Notification(models.Model):
    address = models.ForeignKey(
        EmailAddress, on_delete=models.CASCADE, related_name="notifications"
    )
    comment = models.ForeignKey(
        "discussion.Comment", on_delete=models.CASCADE, related_name="notifications"
    )
    thread = models.ForeignKey(
        "discussion.Thread", on_delete=models.CASCADE, related_name="notifications"
    )
    reason = models.CharField(max_length=10, choices=NotificationReason.choices)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    send_after = models.DateTimeField(
        default=timezone.now, help_text=_("Later than created_at when batched into a digest.")
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address", "comment", "reason"],
                condition=models.Q(reason="moderation"),
                name="one_moderation_alert_per_comment",
            ),
            models.UniqueConstraint(
                fields=["address", "comment"],
                condition=~models.Q(reason="moderation"),
                name="one_notification_per_subscriber_comment",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "send_after"], name="notification_due"),
            models.Index(fields=["address", "thread", "send_after"], name="notification_window"),
        ]

    def __str__(self) -> str:
        return f"{self.reason} of comment {self.comment_id} to {self.address_id} ({self.status})"
