"""Start the test OpenID Connect provider: `python -m tests.oidc_provider.serve PORT REDIRECT_URI`.

Migrates a fresh SQLite file, registers one confidential client (id and secret from the
environment) for REDIRECT_URI and one user per OIDC_PROVIDER_USERS entry
(`username:password:email:Full Name`), then serves on 127.0.0.1:PORT until killed.
"""

from __future__ import annotations

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write("oidc-provider: " + (format % args) + "\n")


def main() -> None:
    port, redirect_uri = int(sys.argv[1]), sys.argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for entry in filter(None, os.environ.get("OIDC_PROVIDER_USERS", "").split(";")):
        username, password, email, full_name = entry.split(":", 3)
        first, _, last = full_name.partition(" ")
        get_user_model().objects.create_user(
            username, email, password, first_name=first, last_name=last
        )
    Application.objects.create(
        name="Masthead",
        client_id=os.environ["OIDC_PROVIDER_CLIENT_ID"],
        client_secret=os.environ["OIDC_PROVIDER_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    server = make_server(
        "127.0.0.1", port, get_wsgi_application(), ThreadingServer, handler_class=QuietHandler
    )
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
