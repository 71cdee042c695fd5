"""Reads of the allowed sites, cached per process until an editor changes one.

Every cross-origin API request asks `allowed_sites()` (the ALLOWED_ORIGINS hook): the map is rebuilt from the database only
when the ("embed", "sites") version changed (bumped on commit whenever a site is saved or deleted),
so the common case is one version read from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from masthead.core import cache_versions
from masthead.embed.origins import origin_of_url

VERSION = ("embed", "sites")


@dataclass(frozen=True)
class AllowedSite:
    id: int
    name: str
    origins: tuple[str, ...]
    comments_mode: str
    premoderation: str
    kept_query: tuple[str, ...]
    sso_secret: str


# (version, sites), replaced whole: a reader never sees one version with another's sites.
_memo: list[tuple[int | None, dict[str, AllowedSite]]] = [(None, {})]


def load_sites() -> dict[str, AllowedSite]:
    """Each allowed origin with its site, read from the database now (the first site listing an
    origin has it)."""
    from masthead.embed.models import EmbedSite
    from masthead.embed.origins import NotAnOrigin, normalise_origin

    by_origin: dict[str, AllowedSite] = {}
    for row in EmbedSite.objects.order_by("pk"):
        origins: list[str] = []
        for line in row.origin_list:
            try:
                origins.append(normalise_origin(line))
            except NotAnOrigin:
                continue  # the admin form refuses these; a row written otherwise skips the line
        site = AllowedSite(
            id=row.pk,
            name=row.name,
            origins=tuple(origins),
            comments_mode=row.comments_mode,
            premoderation=row.premoderation,
            kept_query=tuple(row.kept_query_names),
            sso_secret=row.sso_secret,
        )
        for origin in origins:
            by_origin.setdefault(origin, site)
    return by_origin


def allowed_sites() -> dict[str, AllowedSite]:
    """Each allowed origin with its site."""
    (version,) = cache_versions.versions([VERSION])
    known, sites = _memo[0]
    if known is None or known != version:
        sites = load_sites()
        _memo[0] = (version, sites)
    return sites


def site_for_origin(origin: str) -> AllowedSite | None:
    return allowed_sites().get(origin) if origin else None


def forget_cached_sites() -> None:
    """Tests: the next read goes to the database."""
    _memo[0] = (None, {})


def site_for_url(url: str) -> AllowedSite | None:
    """The allowed site whose origins include the page at `url`."""
    origin = origin_of_url(url)
    return site_for_origin(origin) if origin else None


def embedded_thread_policy(thread: Any, policy: Any) -> Any:
    """THREAD_POLICY: an external thread on an allowed site's page takes that site's overrides."""
    if thread.page_id is not None or not thread.url:
        return policy
    site = site_for_url(thread.url)
    if site is None:
        return policy
    if site.comments_mode:
        policy = replace(policy, mode=site.comments_mode)
    if site.premoderation:
        policy = replace(policy, premoderation=site.premoderation)
    return policy
