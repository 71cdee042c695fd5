"""API tokens for the moderation API from the command line: create, list, revoke.

masthead manage moderation_token create --user EMAIL --name NAME [--days N]
masthead manage moderation_token list [--user EMAIL]
masthead manage moderation_token revoke mh_<id>   (the prefix shown in lists, or the whole token)
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from masthead.core.actors import Actor
from masthead.core.errors import ApiError
from masthead.moderation import tokens
from masthead.moderation.models import ApiToken


def find_user(identifier: str) -> Any:
    """A user by email (case-insensitive), else by username; refuses an ambiguous email."""
    users = get_user_model().objects.filter(email__iexact=identifier.strip())
    if users.count() > 1:
        raise CommandError(f"Several users have the email {identifier}; give the username instead.")
    user = users.first() or get_user_model().objects.filter(username=identifier.strip()).first()
    if user is None:
        raise CommandError(f"No user with the email or username {identifier}.")
    return user


def find_token(reference: str) -> ApiToken:
    reference = reference.strip().rstrip("…")
    public_id = reference.removeprefix(tokens.PREFIX).partition("_")[0]
    token = ApiToken.objects.select_related("user").filter(public_id=public_id).first()
    if token is None:
        raise CommandError(f"No API token {reference[:20]}.")
    return token


class Command(BaseCommand):
    help = "Create, list or revoke API tokens for the moderation API (Authorization: Bearer ...)."

    def add_arguments(self, parser: Any) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--user", required=True, help="The moderator's email or username.")
        create.add_argument("--name", required=True, help="What will use it.")
        create.add_argument("--days", type=int, default=None, help="Expire after N days.")
        listing = commands.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--user", default="", help="Only this user's tokens.")
        revoke = commands.add_parser("revoke", help="Revoke a token at once.")
        revoke.add_argument("token", help="Its prefix mh_<id> (as listed) or the whole token.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"handle_{options['action']}")(options)
        except ApiError as exc:
            raise CommandError(exc.message) from exc

    def handle_create(self, options: dict[str, Any]) -> None:
        user = find_user(options["user"])
        token, raw = tokens.create_api_token(Actor.system(), user, options["name"], options["days"])
        expiry = (
            f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC" if token.expires_at else "no expiry"
        )
        self.stderr.write(
            f"Token “{token.name}” for {user.get_username()} ({expiry}). "
            "Copy it now; it is not shown again:"
        )
        self.stdout.write(raw)

    def handle_list(self, options: dict[str, Any]) -> None:
        rows = ApiToken.objects.select_related("user")
        if options["user"]:
            rows = rows.filter(user=find_user(options["user"]))
        for token in rows:
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            self.stdout.write(
                f"{token.prefix}\t{token.state}\t{token.user.get_username()}\t"
                f"last used {used}\t{token.name}"
            )

    def handle_revoke(self, options: dict[str, Any]) -> None:
        token = find_token(options["token"])
        already = token.revoked_at is not None
        tokens.revoke_api_token(Actor.system(), token)
        self.stdout.write(
            f"{token.prefix} was already revoked." if already else f"Revoked {token.prefix}."
        )
