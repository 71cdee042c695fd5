"""Names that belong to someone: bylines, staff and registered readers, and the words staff go by.

A guest types any name on a comment, so without this anyone could post as a reporter ("Rana Haddad"),
as the site ("Masthead Moderator") or as another reader, also with look-alike letters ("R\u0430na Haddad"
with a Cyrillic a). `reserved_name_problem(name, user=...)` says whether a name may be used:

- Names are compared by their UTS #39 skeleton (ICU's SpoofChecker, through PyICU), after NFKC and
  case folding, word by word: two names match when their skeletons do, whatever letters, case,
  spacing or punctuation they are written in.
- Reserved words (admin, administrator, moderator, mod, staff, editor, official, the site's name)
  may not appear as a word anywhere in a name ("Masthead Moderator"), nor may a byline, staff or
  reader name of two words or more ("Rana Haddad (reporter)"). A one-word name (a reader called
  "Sam") is reserved only as the whole name, so it does not take "Sam Okafor" from every other Sam.
- A signed-in user may use their own names; staff may also use bylines and reserved words.

The names' skeletons are worked out once and kept per process (and in the shared cache) under a
version counter that saving or deleting an Author or a User bumps on commit (`watch_owners`), so a
check on the posting path is a cache read and a few set look-ups, never a query over all users.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from masthead.core import cache_versions

logger = logging.getLogger(__name__)

RESERVED_WORDS = ("admin", "administrator", "moderator", "mod", "staff", "editor", "official")
VERSION = ("reserved-names", "")
SHARED_SECONDS = 60 * 60
# Saving a user with only these fields changed (a login stamps last_login) leaves the names alone.
NAME_FIELDS = frozenset(
    {"username", "first_name", "last_name", "display_name", "is_staff", "is_active"}
)
_WORD = regex.compile(r"[\p{L}\p{N}\p{M}]+")

STAFF = "staff"  # the owner of the reserved words


@lru_cache(maxsize=1)
def _checker() -> Any:
    import icu

    return icu.SpoofChecker()


def _skeleton(text: str) -> str:
    # ICU's skeleton is the UTS #39 one: case is kept, so fold before and after.
    folded = unicodedata.normalize("NFKC", text).casefold()
    return str(_checker().getSkeleton(0, folded)).casefold()


def name_words(name: str) -> tuple[str, ...]:
    """The words of `name` as compared here: skeletons of its letter and digit runs, folded."""
    # concurrent=False: keep the GIL for a short name (moderation/rules.py `_search_in_time`).
    return tuple(_WORD.findall(_skeleton(name), concurrent=False))


def _runs(words: tuple[str, ...]) -> Iterator[str]:
    """Every run of consecutive words, joined: 'Rana Haddad (reporter)' gives ranahaddad among others."""
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            yield "".join(words[start:end])


@dataclass(frozen=True)
class ReservedNames:
    """Joined word skeletons -> owners ('staff', 'author:<pk>', 'user:<pk>')."""

    anywhere: dict[str, frozenset[str]]  # reserved words and names of two words or more
    whole: dict[str, frozenset[str]]  # every name, matched as the whole of another name

    @classmethod
    def build(cls, owned: Iterable[tuple[str, str]]) -> ReservedNames:
        anywhere: dict[str, set[str]] = {}
        whole: dict[str, set[str]] = {}
        for owner, name in owned:
            words = name_words(name)
            if not words:
                continue
            joined = "".join(words)
            whole.setdefault(joined, set()).add(owner)
            if len(words) > 1 or owner == STAFF:
                anywhere.setdefault(joined, set()).add(owner)
        return cls(
            {key: frozenset(value) for key, value in anywhere.items()},
            {key: frozenset(value) for key, value in whole.items()},
        )

    def owners_of(self, name: str) -> frozenset[str]:
        words = name_words(name)
        if not words:
            return frozenset()
        found: set[str] = set(self.whole.get("".join(words), ()))
        for run in _runs(words[:12]):
            found.update(self.anywhere.get(run, ()))
            if run.endswith("s"):  # "admins", "moderators"
                found.update(owner for owner in self.anywhere.get(run[:-1], ()) if owner == STAFF)
        return frozenset(found)


def _owned_names() -> Iterator[tuple[str, str]]:
    from django.contrib.auth import get_user_model

    from masthead.publishing.models import Author

    for word in (*RESERVED_WORDS, settings.SITE_NAME):
        yield STAFF, word
    for pk, name in Author.objects.values_list("pk", "name").iterator():
        yield f"author:{pk}", name
    users = get_user_model().objects.filter(is_active=True)
    fields = ("pk", "username", "first_name", "last_name", "display_name", "is_staff")
    for pk, username, first, last, display, is_staff in users.values_list(*fields).iterator():
        owner = f"user:{pk}"
        if display:
            yield owner, display
        full = f"{first} {last}".strip()
        if full:
            yield owner, full
        if is_staff or not (display or full):  # what User.public_name shows
            yield owner, username


_local: dict[str, Any] = {"version": None, "names": None}
_lock = threading.Lock()


def reserved_names() -> ReservedNames:
    """The current reserved names: this process's copy while the version is unchanged."""
    (version,) = cache_versions.versions([VERSION])
    if version == 0:  # never bumped, or evicted: give every process one fresh version to agree on
        cache_versions.bump_now(*VERSION)
        (version,) = cache_versions.versions([VERSION])
    if _local["version"] == version:
        return _local["names"]  # type: ignore[no-any-return]
    with _lock:
        if _local["version"] == version:
            return _local["names"]  # type: ignore[no-any-return]
        shared_key = f"reserved-names:{version}"
        names = cache.get(shared_key)
        if not isinstance(names, ReservedNames):
            names = ReservedNames.build(_owned_names())
            cache.set(shared_key, names, SHARED_SECONDS)
        _local.update(version=version, names=names)
        return names


def forget_reserved_names() -> None:
    """Drop this process's copy now (tests, and after a bulk import that bypassed the signals)."""
    with _lock:
        _local.update(version=None, names=None)
    cache_versions.bump_now(*VERSION)


def reserved_name_problem(name: str, *, user: Any = None) -> str | None:
    """Why `name` may not be used by `user` (None: a guest), as a sentence for the reader; None if it may.

    `user` is the signed-in owner, who may use their own names (staff also bylines and reserved words).
    """
    owners = reserved_names().owners_of(name)
    if not owners:
        return None
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    mine = {f"user:{user.pk}"} if signed_in else set()
    if signed_in and user.is_staff:
        mine |= {STAFF} | {owner for owner in owners if owner.startswith("author:")}
    others = owners - mine
    if not others:
        return None
    if STAFF in others:
        return _(
            "That name contains a word kept for the site's own staff; please choose another name."
        )
    return _(
        "That name belongs to someone else on this site, or looks like it; please choose another name."
    )


def _bump(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and not (set(update_fields) & NAME_FIELDS):
        return
    cache_versions.bump(*VERSION)  # on commit: a rolled-back rename reserves nothing


def watch_owners() -> None:
    """Keep the reserved names current: connected once at app ready time."""
    from django.db.models.signals import post_delete, post_save

    for sender in (settings.AUTH_USER_MODEL, "publishing.Author"):
        post_save.connect(_bump, sender=sender, dispatch_uid=f"reserved-names-save-{sender}")
        post_delete.connect(_bump, sender=sender, dispatch_uid=f"reserved-names-delete-{sender}")
