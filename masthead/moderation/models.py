"""Moderation's own rows: rule lists, bans, reports, author trust, submission log, classifier, one-click and API tokens.

Comments themselves belong to discussion; moderation changes their status only through
`discussion.actions.set_comment_status`. Rule lists are data edited in the Wagtail admin.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WordRuleKind(models.TextChoices):
    BANNED = "banned", _("Banned: the comment is refused with a clear message")
    SUSPECT = "suspect", _("Suspect: the comment waits for a moderator")


class WordRule(models.Model):
    """A word, phrase or regular expression, matched after Unicode normalisation and confusable folding."""

    kind = models.CharField(
        max_length=10, choices=WordRuleKind.choices, default=WordRuleKind.SUSPECT
    )
    pattern = models.CharField(
        max_length=200,
        help_text=_(
            "A word or phrase (matched as whole words, look-alike letters folded), or a regular expression."
        ),
    )
    is_regex = models.BooleanField(
        default=False, help_text=_("Treat the pattern as a regular expression.")
    )
    note = models.CharField(
        max_length=200, blank=True, help_text=_("Why this rule exists (for moderators).")
    )
    is_enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "pattern"]
        permissions = [("moderate_comments", "Can moderate comments (queue, bans, rules)")]

    def __str__(self) -> str:
        return f"{self.get_kind_display().split(':')[0]}: {self.pattern}"

    def clean(self) -> None:
        from masthead.moderation.rules import pattern_problem

        if self.is_regex:
            problem = pattern_problem(self.pattern)
            if problem:
                raise ValidationError({"pattern": problem})


class DomainRuleKind(models.TextChoices):
    ALLOW = "allow", _("Allow: links to this domain never hold a comment back")
    BLOCK = "block", _("Block: comments linking to this domain are refused")
    SUSPECT = "suspect", _("Suspect: comments linking to this domain wait for a moderator")


class DomainRule(models.Model):
    """A domain (and its subdomains) on the allow-list or block-list, compared after IDNA and confusable folding."""

    kind = models.CharField(
        max_length=10, choices=DomainRuleKind.choices, default=DomainRuleKind.BLOCK
    )
    domain = models.CharField(
        max_length=253, help_text=_("example.com matches example.com and *.example.com.")
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "domain"]
        constraints = [models.UniqueConstraint(fields=["domain"], name="one_rule_per_domain")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.domain}"


class BanKind(models.TextChoices):
    USER = "user", _("A registered user (by id)")
    EMAIL = "email", _("An email address")
    IP = "ip", _("An IP address or a CIDR network")
    IP_HASH = "ip_hash", _("The hashed address a comment came from")
    GUEST = "guest", _("A guest browser identity")


class BanMode(models.TextChoices):
    BLOCK = "block", _("Block: new comments are refused")
    SHADOW = "shadow", _("Shadow: the author sees their comments, nobody else does")


class Ban(models.Model):
    """A block on an email, address, network, guest identity or user; expires unless `expires_at` is empty."""

    kind = models.CharField(max_length=10, choices=BanKind.choices)
    value = models.CharField(
        max_length=255,
        help_text=_("The user id, email, IP address or CIDR network (e.g. 203.0.113.0/24)."),
    )
    mode = models.CharField(max_length=10, choices=BanMode.choices, default=BanMode.BLOCK)
    reason = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Shown to moderators; the author sees a generic message."),
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: until lifted."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.mode} {self.kind} {self.value}"

    def clean(self) -> None:
        from masthead.core.errors import ApiError
        from masthead.moderation.actions import _normalise_ban_value

        try:
            self.value = _normalise_ban_value(self.kind, self.value)
        except ApiError as exc:
            raise ValidationError({"value": exc.message}) from exc

    @property
    def is_active(self) -> bool:
        return self.expires_at is None or self.expires_at > timezone.now()


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or hateful")
    OFF_TOPIC = "off_topic", _("Off-topic")
    OTHER = "other", _("Something else")


class Report(models.Model):
    """A reader's flag on a comment; one per reader per comment, open until a moderator decides."""

    comment = models.ForeignKey(
        "discussion.Comment", on_delete=models.CASCADE, related_name="reports"
    )
    reporter_key = models.CharField(
        max_length=80, help_text=_("user:<id>, guest:<key> or ip:<hash>.")
    )
    reporter_ip_hash = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=12, choices=ReportReason.choices)
    note = models.CharField(max_length=500, blank=True)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key"], name="one_report_per_reader"
            )
        ]
        indexes = [models.Index(fields=["is_open", "comment"])]

    def __str__(self) -> str:
        return f"{self.reason} report on {self.comment_id}"


class AuthorRecord(models.Model):
    """An author's history with the moderators: trust grows with approvals and shrinks with rejections."""

    key = models.CharField(
        max_length=120, unique=True, help_text=_("user:<id>, email:<address> or guest:<key>.")
    )
    approved_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(
        default=0, help_text=_("Removed or marked spam by a moderator.")
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key}: +{self.approved_count} -{self.rejected_count}"

    @property
    def trust(self) -> int:
        # A rejection weighs two approvals: one bad comment should not be washed out by one good one.
        return self.approved_count - 2 * self.rejected_count


class SubmissionLog(models.Model):
    """A fingerprint of each posted body: duplicates across threads and posting bursts are spam signals."""

    digest = models.CharField(max_length=32)
    thread_id = models.BigIntegerField()
    comment_id = models.BigIntegerField(null=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    network_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("Salted hash of the /24 (IPv4) or /56 (IPv6) network."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["ip_hash", "created_at"]),
            # A plain index: `db_index` would add, on PostgreSQL, a second one for LIKE that nothing uses.
            models.Index(fields=["digest"], name="submission_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.digest} in {self.thread_id}"


class ClassifierModel(models.Model):
    """A trained naive Bayes model (token counts per class); the newest row is the one in use."""

    version = models.PositiveIntegerField(unique=True)
    trained_at = models.DateTimeField(default=timezone.now)
    spam_documents = models.PositiveIntegerField(default=0)
    ham_documents = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return (
            f"naive Bayes v{self.version} ({self.spam_documents} spam / {self.ham_documents} ham)"
        )


class OneClickAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REMOVE = "remove", _("Reject (remove)")


class OneClickToken(models.Model):
    """A signed link from a moderator alert email: expires, and works once."""

    comment = models.ForeignKey("discussion.Comment", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=OneClickAction.choices)
    nonce = models.CharField(max_length=32, unique=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.action} link for comment {self.comment_id}"


class ApiToken(models.Model):
    """A moderator's key to the moderation API, sent as `Authorization: Bearer mh_<id>_<secret>`.

    Only a SHA-256 hash of the whole token is stored; the plaintext is shown once, on creation.
    `public_id` finds the row without scanning. The token acts as its user, who must still be active
    and hold the moderation permission on every request.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_api_tokens"
    )
    name = models.CharField(max_length=100, help_text=_("What uses it, e.g. “desk inbox script”."))
    public_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, help_text=_("SHA-256 of the whole token, hex."))
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: until revoked."))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def prefix(self) -> str:
        """The public start of the token, safe to show and to quote when revoking."""
        return f"mh_{self.public_id}"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"


class ProviderResult(models.TextChoices):
    SPAM = "spam", _("Spam")
    HAM = "ham", _("Not spam")
    DISCARD = "discard", _("Blatant spam (the provider says discard)")
    UNAVAILABLE = "unavailable", _("The provider did not answer; local scorers decided alone")


class ProviderCheck(models.Model):
    """What an Akismet-compatible provider said about a new comment, and what moderators told it back.

    `params` is what was sent, kept so a moderator's decision can be reported (submit-spam/ham) with
    the same data; it holds the raw address, so it is emptied after AKISMET_KEEP_DAYS.
    """

    comment = models.OneToOneField(
        "discussion.Comment", on_delete=models.CASCADE, related_name="provider_check"
    )
    provider = models.CharField(max_length=20, default="akismet")
    result = models.CharField(max_length=12, choices=ProviderResult.choices)
    detail = models.CharField(max_length=200, blank=True, help_text=_("Pro-tip, or why it failed."))
    params = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    feedback = models.CharField(
        max_length=4,
        blank=True,
        help_text=_("spam or ham: the last correction sent to the provider."),
    )
    feedback_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.provider}: {self.result} for comment {self.comment_id}"
