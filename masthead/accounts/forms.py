"""The sign-up form: allauth's, with the name shown on comments, and the same work for every address."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from masthead.accounts.reserved_names import reserved_name_problem
from masthead.core.text import UndecodableText, clean_line


def clean_display_name(raw: str) -> str:
    """The name as stored, or a ValidationError with a sentence for the reader."""
    try:
        name = clean_line(raw)
    except UndecodableText as exc:
        raise forms.ValidationError(
            _("That name contains characters that cannot be used.")
        ) from exc
    if not 1 <= len(name) <= 50:
        raise forms.ValidationError(_("Use 1 to 50 visible characters."))
    return name


class SignUpForm(SignupForm):
    display_name = forms.CharField(
        label=_("Name shown on your comments"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["display_name", "email", "password1"]

    def clean_display_name(self) -> str:
        name = clean_display_name(self.cleaned_data["display_name"])
        # Bylines, staff, other readers and their look-alikes are their owners' (issue 13, hole 7).
        problem = reserved_name_problem(name)
        if problem:
            raise forms.ValidationError(problem)
        return name

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        """Create the account, or (the address is registered) mail its owner instead.

        Both branches hash the password: the hash is most of the time a new account costs, and a
        sign-up that answered faster for a registered address would tell that it is registered.
        Mail goes through the task queue on commit in both (the adapter's send_mail).
        """
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")
        with transaction.atomic():
            return super().try_save(request)
