"""The demo's embedding website: "The Riverside Blog" at /embed/example/, allowed to embed the
discussion, with a conversation already under its story.

A first run serves the site at http://127.0.0.1:8000; the example page, opened there, loads
embed.js from http://localhost:8000 (and the other way round), so it runs as another website does:
another origin, another site for the browser's cookie rules. Both names are on the allowed list.
"""

from __future__ import annotations

from masthead.core.actors import Actor
from masthead.core.clientip import hash_ip
from masthead.discussion.actions import post_comment
from masthead.discussion.inputs import CommentInput
from masthead.embed import actions
from masthead.embed.queries import forget_cached_sites, site_for_origin

DEMO_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")
DEMO_TITLE = "A week on the river ferry"

CONVERSATION = [
    (
        "Jo M.",
        "I took this ferry as a child. Lovely to see it still running — thanks for the story.",
    ),
    (
        "Ade B.",
        "The timetable changed last spring; the early boat now leaves at 6:40, not 6:15.",
    ),
]


def load_demo_embed() -> None:
    site = actions.add_site(
        Actor.system(), "\n".join(DEMO_ORIGINS), name="The Riverside Blog (demo)"
    )
    forget_cached_sites()
    allowed = site_for_origin(DEMO_ORIGINS[0])
    if allowed is None or allowed.id != site.pk:
        raise RuntimeError("the demo's embedding website was not saved")
    # The example page's canonical address names it under localhost (embed/views.py).
    thread = actions.embedded_thread(
        allowed, url=f"{DEMO_ORIGINS[0]}/embed/example/", title=DEMO_TITLE
    )
    for number, (name, body) in enumerate(CONVERSATION):
        ip = f"192.0.2.{80 + number}"
        reader = Actor(
            guest_key=f"demo-embed-reader-{number}", ip=ip, ip_hash=hash_ip(ip), user_agent="demo"
        )
        post_comment(
            reader,
            thread,
            CommentInput(body=body, name=name, email=f"embed{number}@example.org"),
        )
