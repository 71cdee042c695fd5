"""What changes through the embed: allowed sites (editors, `masthead manage embed_site`), the thread
of an embedding page (created on its first visit), and reader sessions (guest, signed-in, SSO).

The discussion is reached through its public actions (`thread_for_external_url`), never its models.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.accounts.guest import new_guest_key
from masthead.core import audit, ratelimit
from masthead.core.actors import Actor
from masthead.core.canonical_url import NotAUrl, canonical_url
from masthead.core.errors import ApiError, ErrorCode, invalid
from masthead.discussion.actions import thread_for_external_url
from masthead.discussion.queries import external_thread_for_key
from masthead.embed import identity
from masthead.embed.models import EmbedMember, EmbedSite
from masthead.embed.origins import NotAnOrigin, normalise_origin, origin_of_url
from masthead.embed.queries import AllowedSite, load_sites

MIN_SSO_SECRET = 32
THREADS_PER_ADDRESS = "60/h"  # new threads one address may make appear (visits of new pages)
SESSIONS_PER_ADDRESS = "30/h"


# --- allowed sites -------------------------------------------------------------------------------


def clean_origins(text: str) -> str:
    """The origins in `text` (one per line, or separated by spaces or commas), normalised, one per
    line; raises ApiError `invalid` naming the first that is not an origin."""
    origins: list[str] = []
    for item in text.replace(",", " ").split():
        try:
            origin = normalise_origin(item)
        except NotAnOrigin as error:
            raise invalid(f"{item[:80]}: {error}", origins=f"{item[:80]}: {error}") from error
        if origin not in origins:
            origins.append(origin)
    if not origins:
        raise invalid(_("Give at least one origin."), origins=_("Give at least one origin."))
    return "\n".join(origins)


def clean_sso_secret(secret: str) -> str:
    secret = secret.strip()
    if secret and len(secret) < MIN_SSO_SECRET:
        message = _("An SSO secret has at least %(count)d characters.") % {"count": MIN_SSO_SECRET}
        raise invalid(message, sso_secret=message)
    return secret


def add_site(actor: Actor, origins: str, name: str = "", sso_secret: str = "") -> EmbedSite:
    """Allow a website (its origins) to embed the discussion. An origin already listed is refused."""
    cleaned = clean_origins(origins)
    taken = _origins_in_use(exclude=None)
    clash = [origin for origin in cleaned.splitlines() if origin in taken]
    if clash:
        message = _("%(origin)s is already allowed (%(site)s).") % {
            "origin": clash[0],
            "site": taken[clash[0]],
        }
        raise ApiError(ErrorCode.CONFLICT, message, 409, {"origins": message})
    with transaction.atomic():
        site = EmbedSite.objects.create(
            name=(name.strip() or cleaned.splitlines()[0])[:120],
            origins=cleaned,
            sso_secret=clean_sso_secret(sso_secret),
        )
        audit.record(actor, "embed.site_added", site, after={"origins": cleaned})
    return site


def remove_site(actor: Actor, site: EmbedSite) -> None:
    with transaction.atomic():
        audit.record(actor, "embed.site_removed", site, before={"origins": site.origins})
        site.delete()


def _origins_in_use(exclude: int | None) -> dict[str, str]:
    return {origin: site.name for origin, site in load_sites().items() if site.id != exclude}


def origins_in_use_elsewhere(site_id: int | None) -> dict[str, str]:
    """Origins other allowed sites list, with their names (the admin form refuses a second claim)."""
    return _origins_in_use(exclude=site_id)


# --- threads -------------------------------------------------------------------------------------


def embedded_thread(
    site: AllowedSite, *, url: str, title: str = "", key: str = "", ip_hash: str = ""
) -> Any:
    """The thread of the embedding page at `url` on `site`, created on the page's first visit.

    `url` must be on one of the site's origins: an allowed site makes discussions for its own pages
    only. `key` (the page's data-id) names the thread instead of the URL. A new thread counts against
    the visitor's address (`THREADS_PER_ADDRESS`), so no one fills the database with made-up pages.
    """
    message = _("This page's address is not on the website allowed to embed the discussion.")
    try:
        canonical = canonical_url(url, site.kept_query)
    except NotAUrl as error:
        raise ApiError(ErrorCode.INVALID, _("Give the page's full address (http or https)."), 400,
                       {"url": _("Not an http(s) URL.")}) from error  # fmt: skip
    if origin_of_url(canonical) not in site.origins:
        raise ApiError(ErrorCode.ORIGIN_NOT_ALLOWED, message, 403, {"url": message})
    key = key.strip()
    if len(key) > 150 or any(ord(c) < 32 for c in key):
        raise invalid(_("data-id is at most 150 characters."), id=_("Too long."))
    embed_key = f"{site.id}:{key}" if key else ""
    existing = external_thread_for_key(canonical, embed_key)
    if existing is not None and (existing.title or not title.strip()):
        return existing
    if existing is None and ip_hash:
        ratelimit.enforce("embed-thread", ip_hash, THREADS_PER_ADDRESS)
    # Made now, or an untitled one given its title.
    return thread_for_external_url(
        canonical, title, embed_key=embed_key, keep_query=site.kept_query
    )


# --- sessions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: datetime
    authenticated: bool
    name: str


def start_guest_session(site: AllowedSite, origin: str, ip_hash: str = "") -> Session:
    """A new guest (a fresh key) for the embed on `origin`."""
    if ip_hash:
        ratelimit.enforce("embed-session", ip_hash, SESSIONS_PER_ADDRESS)
    token, expires_at = identity.issue(site.id, origin, guest_key=new_guest_key())
    return Session(token, expires_at, authenticated=False, name="")


def start_reader_session(site: AllowedSite, origin: str, user: Any) -> Session:
    """A news-site reader, signed in on the news site, commenting on `origin` (the sign-in popup)."""
    token, expires_at = identity.issue(
        site.id, origin, user_id=user.pk, lifetime=identity.READER_LIFETIME
    )
    return Session(token, expires_at, authenticated=True, name=user.public_name)


def _sso_refused(detail: str) -> ApiError:
    return ApiError(
        ErrorCode.SSO_INVALID,
        _("The website's sign-in token was not accepted: %(detail)s") % {"detail": detail},
        403,
    )


def start_sso_session(site: AllowedSite, origin: str, sso_token: str) -> Session:
    """The host site's reader, signed in with its HS256 JWT `{sub, name, email, exp}`: a member of
    that site here (an account created on first sign-in, kept up to date on later ones)."""
    import jwt

    if not site.sso_secret:
        raise _sso_refused(_("this website has no SSO secret."))
    if len(sso_token) > 4000:
        raise _sso_refused(_("the token is too long."))
    try:
        claims = jwt.decode(
            sso_token,
            site.sso_secret,
            algorithms=["HS256"],
            options={"require": ["exp", "sub"]},
            leeway=30,
        )
    except jwt.ExpiredSignatureError as error:
        raise _sso_refused(_("it has expired.")) from error
    except jwt.PyJWTError as error:
        raise _sso_refused(_("its signature or contents are not valid.")) from error
    subject = str(claims.get("sub") or "").strip()[:255]
    name = " ".join(str(claims.get("name") or "").split())[:50]
    email = str(claims.get("email") or "").strip().lower()[:254]
    if not subject or not name:
        raise _sso_refused(_("it needs sub and name."))
    if email and ("@" not in email or any(c.isspace() for c in email)):
        raise _sso_refused(_("its email is not an address."))
    problem = _member_name_problem(site, subject, name)
    if problem:
        raise ApiError(ErrorCode.SSO_INVALID, problem, 403, {"name": problem})
    user = _member(site, subject, name, email)
    expires = datetime.fromtimestamp(int(claims["exp"]), tz=UTC)
    lifetime = min(identity.SSO_LIFETIME, max(expires - timezone.now(), identity.SSO_LIFETIME / 24))
    token, expires_at = identity.issue(site.id, origin, user_id=user.pk, lifetime=lifetime)
    return Session(token, expires_at, authenticated=True, name=user.public_name)


def _member_name_problem(site: AllowedSite, subject: str, name: str) -> str | None:
    """Why the host's name for its reader may not be shown here: a byline's, a staff member's or
    another reader's name, or a word kept for staff (the same rule as for everyone else)."""
    from masthead.accounts.reserved_names import reserved_name_problem

    member = EmbedMember.objects.select_related("user").filter(site_id=site.id, subject=subject)
    existing = member.first()
    return reserved_name_problem(name, user=existing.user if existing else None)


def _member(site: AllowedSite, subject: str, name: str, email: str) -> Any:
    """The account of the site's reader `subject`: made on first sign-in; name and email follow the
    host's. The email counts as verified (the host site vouches for it) unless another account
    already holds it verified: then the member's stays unverified, never a second claim."""
    from allauth.account.models import EmailAddress

    from masthead.accounts.actions import verify_email

    User = get_user_model()
    with transaction.atomic():
        member = (
            EmbedMember.objects.select_related("user")
            .filter(site_id=site.id, subject=subject)
            .first()
        )
        if member is None:
            user = User.objects.create_user(
                username=f"embed-{site.id}-{secrets.token_hex(6)}", email=email, display_name=name
            )
            try:
                with transaction.atomic():
                    EmbedMember.objects.create(site_id=site.id, subject=subject, user=user)
            except IntegrityError:  # the same reader's first sign-in twice at once
                user.delete()
                user = EmbedMember.objects.get(site_id=site.id, subject=subject).user
            audit.record(Actor.system(), "embed.member_added", user, after={"site": site.id})
        else:
            user = member.user
            if (user.display_name, user.email) != (name, email):
                user.display_name, user.email = name, email
                user.save(update_fields=["display_name", "email"])
        if email and not (
            EmailAddress.objects.filter(email__iexact=email, verified=True)
            .exclude(user=user)
            .exists()
        ):
            verify_email(user)
    return user
