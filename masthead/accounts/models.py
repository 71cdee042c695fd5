from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A registered reader or a staff member. Readers sign up with an email they verify."""

    display_name = models.CharField(
        max_length=50, blank=True, help_text="The name shown on comments."
    )
    email_verified = models.BooleanField(default=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.get_username()
