from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A registered reader or a staff member.

    Readers sign up and sign in by email through django-allauth; which addresses are verified is
    allauth's `EmailAddress` table (see `masthead.accounts.verified`), not a flag here.
    """

    display_name = models.CharField(
        max_length=50, blank=True, help_text=_("The name shown on comments.")
    )
    avatar_colour = models.CharField(
        max_length=7,
        blank=True,
        help_text=_(
            "The colour behind the initials avatar (one of the palette); empty: from a hash."
        ),
    )
    use_gravatar = models.BooleanField(
        default=False,
        help_text=_("Show the reader's Gravatar (a hash of their email goes to gravatar.com)."),
    )
    show_supporter_badge = models.BooleanField(
        default=False,
        help_text=_("The reader chose to show the Supporter badge on their comments."),
    )
    is_supporter = models.BooleanField(
        default=False,
        help_text=_(
            "A verified email of this reader has an active monthly donation (kept by funding's "
            "supporter_changed signal; shown only with show_supporter_badge)."
        ),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    @property
    def shows_supporter_badge(self) -> bool:
        return self.show_supporter_badge and self.is_supporter

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.get_username()

    @property
    def email_verified(self) -> bool:
        """Whether the account has a verified primary address (read from allauth's records)."""
        from masthead.accounts.verified import verified_email

        return bool(verified_email(self))


class PrivacyRequestKind(models.TextChoices):
    EXPORT = "export", _("Export: the reader's data was handed over")
    ERASE = "erase", _("Erasure: the reader's data was removed")
    CLAIM = "claim", _("Claim: guest comments attached to the reader's account")


class PrivacyRequestSource(models.TextChoices):
    ACCOUNT = "account", _("The reader, signed in, on their account page")
    LINK = "link", _("A guest, through a signed link sent to the address")
    STAFF = "staff", _("Staff, in the Wagtail admin, on a reader's request")


class PrivacyRequest(models.Model):
    """One export, erasure or claim, so the audit log can point at it. It keeps no personal data: the
    address is a keyed hash (the same address hashes the same, so repeated requests can be told apart
    from new ones) and the account only its former id."""

    kind = models.CharField(max_length=8, choices=PrivacyRequestKind.choices)
    source = models.CharField(max_length=8, choices=PrivacyRequestSource.choices)
    subject = models.CharField(
        max_length=64, help_text=_("user:<id> or a keyed hash of the email.")
    )
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} of {self.subject} ({self.source})"
