"""Old WordPress addresses -> their new homes, as Wagtail redirects (301, for every site).

Wagtail's RedirectMiddleware answers a path only when nothing else does (a 404), so an old address
never hides a live page. `/?p=123` carries its meaning in the query of a page that exists (the
front page), so `masthead.migration.middleware` answers those from `ImportedObject` instead.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .wxr import WxrItem


def base_path(base_url: str) -> str:
    """The old site's path prefix ("" at a domain's root, "/news" under a folder)."""
    return urlparse(base_url).path.rstrip("/")


def article_paths(item: WxrItem, base_url: str) -> list[str]:
    """Every path WordPress answered with this post: its permalink, `/slug/`, and its feed."""
    paths: list[str] = []
    link = urlparse(item.link)
    if link.path not in ("", "/") and not link.query:
        permalink = link.path if link.path.endswith("/") else f"{link.path}/"
        paths += [permalink, f"{permalink}feed/"]
    slug = item.post_name.removesuffix("__trashed")
    if slug:
        paths.append(f"{base_path(base_url)}/{slug}/")
    return list(dict.fromkeys(paths))


def point(old_path: str, *, page: Page | None = None, link: str = "") -> None:
    """Make `old_path` answer 301 to `page` (or `link`); running it again changes nothing."""
    normalised = Redirect.normalise_path(old_path)
    if not normalised or normalised == "/":
        return  # the old front page is the new front page
    Redirect.objects.update_or_create(
        old_path=normalised,
        site=None,
        defaults={
            "redirect_page": page,
            "redirect_link": "" if page is not None else link,
            "is_permanent": True,
        },
    )


def redirect_article(item: WxrItem, article: Page, base_url: str) -> None:
    for path in article_paths(item, base_url):
        point(path, page=article)


def redirect_section(slug: str, section: Page, base_url: str) -> None:
    prefix = base_path(base_url)
    point(f"{prefix}/category/{slug}/", page=section)
    point(f"{prefix}/category/{slug}/feed/", link=reverse("section_feed_rss", args=[section.slug]))


def redirect_tag(wordpress_slug: str, tag_slug: str, base_url: str) -> None:
    point(f"{base_path(base_url)}/tag/{wordpress_slug}/", link=reverse("tag", args=[tag_slug]))


def redirect_site_feeds(base_url: str) -> None:
    prefix = base_path(base_url)
    for path in ("/feed/", "/feed/rss2/", "/feed/atom/", "/rss/"):
        point(f"{prefix}{path}", link=reverse("feed_atom" if "atom" in path else "feed_rss"))
