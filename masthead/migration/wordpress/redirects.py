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


def redirect_articles(articles: list[tuple[WxrItem, Page]], base_url: str) -> None:
    """`redirect_article` for many articles: one read of the paths already redirected, then one
    multi-row insert and one update."""
    wanted: dict[str, Page] = {}
    for item, article in articles:
        for path in article_paths(item, base_url):
            normalised = Redirect.normalise_path(path)
            if normalised and normalised != "/":
                wanted[normalised] = article
    existing = {
        redirect.old_path: redirect
        for redirect in Redirect.objects.filter(old_path__in=list(wanted), site=None)
    }
    changed = []
    for old_path, redirect in existing.items():
        redirect.redirect_page = wanted[old_path]
        redirect.redirect_link = ""
        redirect.is_permanent = True
        changed.append(redirect)
    Redirect.objects.bulk_update(
        changed, ["redirect_page", "redirect_link", "is_permanent"], batch_size=500
    )
    Redirect.objects.bulk_create(
        [
            Redirect(old_path=old_path, site=None, redirect_page=page, is_permanent=True)
            for old_path, page in wanted.items()
            if old_path not in existing
        ],
        batch_size=500,
    )


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
