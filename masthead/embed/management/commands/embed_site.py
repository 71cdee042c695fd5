"""`masthead manage embed_site add ORIGIN... [--name NAME] [--sso-secret S] | list | remove ORIGIN`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.core.actors import Actor
from masthead.core.errors import ApiError
from masthead.embed import actions
from masthead.embed.models import EmbedSite
from masthead.embed.origins import NotAnOrigin, normalise_origin


class Command(BaseCommand):
    help = "Allow websites to embed the discussion, support block and comment counts."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="Allow a website (one or more origins).")
        add.add_argument("origins", nargs="+", help="e.g. https://other.example")
        add.add_argument("--name", default="", help="Who the website is (default: its origin).")
        add.add_argument("--sso-secret", default="", help="HS256 secret for data-sso (32+ chars).")
        commands.add_parser("list", help="List the allowed websites.")
        remove = commands.add_parser("remove", help="Stop allowing the website of an origin.")
        remove.add_argument("origin")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            try:
                site = actions.add_site(
                    Actor.system(),
                    "\n".join(options["origins"]),
                    name=options["name"],
                    sso_secret=options["sso_secret"],
                )
            except ApiError as error:
                raise CommandError(error.message) from error
            self.stdout.write(f"Allowed {site.name}: {' '.join(site.origin_list)}")
        elif action == "list":
            for site in EmbedSite.objects.all():
                sso = " (SSO)" if site.sso_secret else ""
                self.stdout.write(f"{site.name}{sso}: {' '.join(site.origin_list)}")
        else:
            try:
                origin = normalise_origin(options["origin"])
            except NotAnOrigin as error:
                raise CommandError(str(error)) from error
            found = [s for s in EmbedSite.objects.all() if origin in s.origin_list]
            if not found:
                raise CommandError(f"No allowed website has the origin {origin}.")
            actions.remove_site(Actor.system(), found[0])
            self.stdout.write(f"Removed {found[0].name}.")
