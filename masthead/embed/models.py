"""The websites allowed to embed this site's discussion, support block and comment counts.

An `EmbedSite` lists its origins (scheme, host and port, one per line: `https://other.example`);
requests from any other origin get no thread and no CORS answer. Its policy fields override the
site-wide discussion settings for the threads of its pages; its SSO secret (optional) lets the host
site sign its own readers in (docs/embed.md).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masthead.discussion.policy import Premoderation


class CommentsMode(models.TextChoices):
    INHERIT = "", _("As the site's discussion settings say")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed: comments shown, no new ones")
    HIDDEN = "hidden", _("Hidden: no discussion")


class EmbedSite(models.Model):
    name = models.CharField(max_length=120, help_text=_("Who this website is, for editors."))
    origins = models.TextField(
        help_text=_(
            "One origin per line, as the browser names it: scheme, host and port, e.g. "
            "https://other.example or http://localhost:4000."
        )
    )
    comments_mode = models.CharField(
        _("discussion"),
        max_length=8,
        choices=CommentsMode.choices,
        blank=True,
        default=CommentsMode.INHERIT,
    )
    premoderation = models.CharField(
        max_length=12,
        choices=[("", _("As the site's discussion settings say")), *Premoderation.choices],
        blank=True,
        default="",
    )
    kept_query = models.CharField(
        _("query parameters that name a page"),
        max_length=200,
        blank=True,
        default="",
        help_text=_(
            "Comma-separated, e.g. p,page_id: these are kept in a page's address; any other "
            "query (tracking parameters) is dropped."
        ),
    )
    sso_secret = models.CharField(
        _("SSO secret"),
        max_length=200,
        blank=True,
        default="",
        help_text=_(
            "Optional: the host site signs its readers' {sub, name, email, exp} with this secret "
            "(HS256 JWT, data-sso) to sign them in here. At least 32 characters."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("embedding website")
        verbose_name_plural = _("embedding websites")

    def __str__(self) -> str:
        return self.name

    @property
    def origin_list(self) -> list[str]:
        return [line.strip() for line in self.origins.splitlines() if line.strip()]

    @property
    def kept_query_names(self) -> list[str]:
        return [name.strip() for name in self.kept_query.split(",") if name.strip()]


class EmbedMember(models.Model):
    """A reader an embedding site signed in with its SSO token: the site's own id for them (`sub`)
    and the account they comment with here."""

    site = models.ForeignKey(EmbedSite, on_delete=models.CASCADE, related_name="members")
    subject = models.CharField(
        max_length=255, help_text=_("The host site's id for the reader (sub).")
    )
    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="embed_membership"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "subject"], name="one_member_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} of {self.site}"
