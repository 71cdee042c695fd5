from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation

from masthead.core.text import UndecodableText, clean_line


class SignUpForm(forms.Form):
    display_name = forms.CharField(label="Name shown on your comments", max_length=200)
    email = forms.EmailField(max_length=254)
    password = forms.CharField(widget=forms.PasswordInput, min_length=8, max_length=200)

    def clean_display_name(self) -> str:
        try:
            name = clean_line(self.cleaned_data["display_name"])
        except UndecodableText as exc:
            raise forms.ValidationError(
                "That name contains characters that cannot be used."
            ) from exc
        if not 1 <= len(name) <= 50:
            raise forms.ValidationError("Use 1 to 50 visible characters.")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        local, _, domain = email.rpartition("@")
        return f"{local}@{domain.lower()}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            user = get_user_model()(username=data.get("email", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password"], user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class LoginForm(forms.Form):
    email = forms.CharField(label="Email", max_length=254)
    password = forms.CharField(widget=forms.PasswordInput, max_length=200)
