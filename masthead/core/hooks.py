"""The names of the hooks apps fill in for one another, all kept in Wagtail's hook registry.

Register with `wagtail.hooks.register(NAME, fn)` (in an AppConfig's ready(), or with the decorator
in a module that ready() imports); the app that asks calls `wagtail.hooks.get_hooks(NAME)`; tests use
`wagtail.hooks.register_temporarily(NAME, fn)`. docs/architecture.md lists every name with what its
functions receive and return. The request path asks `resolved(NAME)`: the list read once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from wagtail import hooks

# fn(request) -> HttpResponse | None: a cached answer for every reader, from the cache alone.
FAST_ANSWER = "masthead_fast_answer"
# fn(page) -> iterable of (namespace, key): version counters a page's cached HTML depends on.
PAGE_DEPENDENCIES = "masthead_page_dependencies"
# fn() -> object: a job the clock process runs once a minute (it should enqueue a task).
EVERY_MINUTE = "masthead_every_minute"
# fn(submission) -> Verdict | None: a moderation check on a new or edited comment.
COMMENT_CHECK = "masthead_comment_check"
# fn(submission) -> Verdict | None: a comment check (registered as one too) that judges first-time
# commenters itself; while one is registered, discussion's built-in first-time rule steps aside.
FIRST_TIME_CHECK = "masthead_first_time_check"
# fn(comment, moderator: User | None) -> dict: links for the moderator alert email.
MODERATION_LINKS = "masthead_moderation_links"
# fn() -> Container[str]: the browser origins ("https://other.example") the JSON API answers with CORS
# (core/cors.py); the embed app registers its allowed sites. Cheap: asked on cross-origin API requests.
ALLOWED_ORIGINS = "masthead_allowed_origins"
# fn(thread, policy) -> Policy: adjusts the discussion policy of a thread kept by an external URL
# (discussion/policy.py `thread_policy`); the embed app applies its allowed site's own policy.
THREAD_POLICY = "masthead_thread_policy"


@cache
def resolved(name: str) -> tuple[Callable[..., Any], ...]:
    """The functions registered under `name`, read once: for paths every request takes (the fast
    path, page-cache keys), where registration is over by the first request."""
    return tuple(hooks.get_hooks(name))
