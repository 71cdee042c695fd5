"""API tokens for the moderation API: the only writers of ApiToken, and the check of a presented token.

A token reads `mh_<public id>_<secret>`. The public id (12 hex digits) finds the row; a SHA-256 hash of
the whole token is stored and compared in constant time; the plaintext exists only in the answer to
`create_api_token`. A token acts as its user, who must still be active (else 401) and a moderator
(else 403, checked by the endpoint) on every request. Creating and revoking are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.core import audit
from masthead.core.actors import Actor, can_moderate
from masthead.core.errors import ApiError, ErrorCode, forbidden, invalid
from masthead.moderation.models import ApiToken

if TYPE_CHECKING:
    from masthead.accounts.models import User

PREFIX = "mh_"
PUBLIC_ID_LENGTH = 12
MAX_DAYS = 3650
USED_RESOLUTION = timedelta(minutes=1)  # last_used_at is written at most once a minute per token
# Compared against when the public id is unknown, so a miss costs about what a wrong secret costs.
_DUMMY_HASH = hashlib.sha256(b"masthead-no-such-token").hexdigest()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def create_api_token(
    actor: Actor, owner: User, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `owner` and return it with its plaintext (shown once, never stored).

    Preconditions: `owner` is an active moderator; `actor` is `owner` (the admin screen) or the
    system (the management command). `days` (1 to 3650) sets an expiry; None lasts until revoked.
    Audited as `moderation.token_create`.
    """
    if not actor.is_system and (actor.user is None or actor.user.pk != owner.pk):
        raise forbidden(_("You can only create API tokens for yourself."))
    if not can_moderate(Actor.for_user(owner)):
        raise forbidden(_("API tokens are for active users with the moderator permission."))
    name = " ".join(name.split())[:100]
    if not name:
        raise invalid(_("Give the token a name."), name="Required, e.g. “desk inbox script”.")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise invalid(_("Choose an expiry between 1 and 3650 days."), days="1 to 3650, or empty.")
    public_id = secrets.token_hex(PUBLIC_ID_LENGTH // 2)
    raw = f"{PREFIX}{public_id}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.now() + timedelta(days=days) if days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=owner,
            name=name,
            public_id=public_id,
            secret_hash=hash_token(raw),
            expires_at=expires_at,
        )
        audit.record(
            actor,
            "moderation.token_create",
            token,
            after={
                "owner": owner.get_username(),
                "name": name,
                "prefix": token.prefix,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    return token, raw


def can_manage(actor: Actor, token: ApiToken) -> bool:
    """Its owner (while a moderator), a superuser, or the system."""
    if actor.is_system:
        return True
    user = actor.user
    if user is None:
        return False
    return bool(user.is_superuser or (user.pk == token.user_id and can_moderate(actor)))


def revoke_api_token(actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token at once (it answers 401 from then on). Idempotent. Audited as
    `moderation.token_revoke` the first time."""
    if not can_manage(actor, token):
        raise forbidden(_("You can only revoke your own API tokens."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(
                actor,
                "moderation.token_revoke",
                token,
                before={"state": "active"},
                after={"state": "revoked", "owner": token.user.get_username()},
                note=token.name,
            )
    return token


def visible_tokens(actor: Actor) -> QuerySet[ApiToken]:
    """The tokens a person may see: their own, or every token for a superuser."""
    user = actor.user
    tokens = ApiToken.objects.select_related("user")
    if user is None:
        return tokens.none()
    return tokens if user.is_superuser else tokens.filter(user=user)


def _refused(message: str) -> ApiError:
    # RFC 6750: a rejected bearer token is a 401 that names the scheme and the problem.
    return ApiError(
        ErrorCode.NOT_AUTHENTICATED,
        message,
        401,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def find_token(raw: str) -> ApiToken | None:
    """The row a presented token names, if its secret is right (whatever its state)."""
    public_id = ""
    if raw.startswith(PREFIX) and len(raw) <= 200:
        public_id, _, secret = raw[len(PREFIX) :].partition("_")
        if len(public_id) != PUBLIC_ID_LENGTH or not secret:
            public_id = ""
    token = (
        ApiToken.objects.select_related("user").filter(public_id=public_id).first()
        if public_id
        else None
    )
    expected = token.secret_hash if token is not None else _DUMMY_HASH
    if not hmac.compare_digest(expected, hash_token(raw)) or token is None:
        return None
    return token


def authenticate_token(raw: str) -> ApiToken:
    """The live token behind `Authorization: Bearer <raw>`, or ApiError 401 with a clear message.

    Records the use (at most once a minute). Whether its user may moderate is the endpoint's check.
    """
    token = find_token(raw.strip())
    if token is None:
        raise _refused("This API token is not valid.")
    if token.revoked_at is not None:
        raise _refused("This API token has been revoked.")
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        raise _refused("This API token has expired.")
    if not token.user.is_active:
        raise _refused("The account this API token belongs to is deactivated.")
    if token.last_used_at is None or now - token.last_used_at >= USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
