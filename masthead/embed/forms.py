"""The admin form of an allowed site: origins normalised and unique across sites, an SSO secret long
enough to sign with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from masthead.core.errors import ApiError
from masthead.embed import actions
from masthead.embed.models import EmbedSite


class EmbedSiteForm(WagtailAdminModelForm):
    class Meta:
        model = EmbedSite
        fields = ["name", "origins", "comments_mode", "premoderation", "kept_query", "sso_secret"]
        widgets = {
            "origins": forms.Textarea(attrs={"rows": 3}),
            "sso_secret": forms.PasswordInput(render_value=True),
        }

    def clean_origins(self) -> str:
        try:
            cleaned = actions.clean_origins(self.cleaned_data.get("origins", ""))
        except ApiError as error:
            raise forms.ValidationError(error.message) from error
        taken = actions.origins_in_use_elsewhere(self.instance.pk)
        for origin in cleaned.splitlines():
            if origin in taken:
                raise forms.ValidationError(
                    _("%(origin)s is already allowed for %(site)s: one origin, one website.")
                    % {"origin": origin, "site": taken[origin]}
                )
        return cleaned

    def clean_sso_secret(self) -> str:
        try:
            return actions.clean_sso_secret(self.cleaned_data.get("sso_secret", ""))
        except ApiError as error:
            raise forms.ValidationError(error.message) from error

    def clean_kept_query(self) -> Any:
        value = self.cleaned_data.get("kept_query", "")
        names = [name.strip() for name in value.split(",") if name.strip()]
        if any(not name.replace("_", "").replace("-", "").isalnum() for name in names):
            raise forms.ValidationError(_("Query parameter names are letters, digits, - and _."))
        return ",".join(names)
