"""Hooks into allauth's signals (connected in AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_reset
from django.dispatch import receiver
from django.http import HttpRequest

from masthead.accounts import actions


def _proven_in_the_signers_browser(request: HttpRequest | None, user: Any) -> bool:
    """The code was typed in the browser session that signed up (or signed in with the password)
    as this user: allauth keeps that pending login, at its email verification stage, in the session."""
    if request is None:
        return False
    from allauth.account.stages import EmailVerificationStage, LoginStageController

    stage = LoginStageController.enter(request, EmailVerificationStage.key)
    return bool(
        stage is not None and stage.login.user is not None and stage.login.user.pk == user.pk
    )


@receiver(email_confirmed, dispatch_uid="masthead.accounts.first_proof")
def on_email_confirmed(
    sender: Any, request: HttpRequest | None, email_address: EmailAddress, **kwargs: Any
) -> None:
    user = email_address.user
    already_proven = (
        EmailAddress.objects.filter(user_id=user.pk, verified=True)
        .exclude(pk=email_address.pk)
        .exists()
    )
    if already_proven or _proven_in_the_signers_browser(request, user):
        return
    # e.g. a sign-in code sent to an address someone else signed up with
    actions.clear_unproven_profile(user, keep_password=False)


@receiver(password_reset, dispatch_uid="masthead.accounts.reset_proves_address")
def on_password_reset(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    actions.confirm_address_by_password_reset(user)
    if request is not None:
        # A sign-up or sign-in left waiting for a code in this browser is moot now; left stashed,
        # it would send the sign-in page back to the code page.
        from allauth.account.internal.stagekit import clear_login

        clear_login(request)
        request.session.pop("account_email_verification_code", None)
