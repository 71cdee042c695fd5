from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from masthead.api import api
from masthead.core.apiresponses import unknown_endpoint
from masthead.core.js_catalog import js_catalog
from masthead.embed import views as embed_views
from masthead.publishing import feeds
from masthead.publishing import views as publishing_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    # Anything else under /api/v1/ is a JSON 404 (not a slash-appending redirect to a reader page).
    re_path(r"^api/v1/", unknown_endpoint, name="api_unknown"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("masthead.accounts.account_urls")),
    path("discussion/", include("masthead.discussion.urls")),
    path("notifications/", include("masthead.notifications.urls")),
    path("funding/", include("masthead.funding.urls")),
    path("moderation/", include("masthead.moderation.urls")),
    path("embed/", include("masthead.embed.urls")),
    path("embed.js", embed_views.embed_script, name="embed_script"),
    path("i18n/<str:language>/<str:stamp>/catalog.js", js_catalog, name="js_catalog"),
    path("robots.txt", publishing_views.robots_txt, name="robots_txt"),
    path("favicon.ico", publishing_views.favicon, name="favicon"),
    re_path(r"^media/(?P<path>.*)$", publishing_views.media, name="media"),
]

# Editions (docs/languages-multilingual.md): reader pages and what lists them, in the default
# language unprefixed and in each other language under /<code>/ (/ar/, /es/...).
urlpatterns += i18n_patterns(
    path("sitemap.xml", publishing_views.edition_sitemap, name="sitemap"),
    path("news-sitemap.xml", publishing_views.news_sitemap, name="news_sitemap"),
    path("search/", publishing_views.search, name="search"),
    path("tags/<slug:slug>/", publishing_views.tag, name="tag"),
    path("feeds/rss.xml", feeds.SiteRssFeed(), name="feed_rss"),
    path("feeds/atom.xml", feeds.SiteAtomFeed(), name="feed_atom"),
    path("feeds/<slug:section_slug>/rss.xml", feeds.SectionRssFeed(), name="section_feed_rss"),
    path("feeds/<slug:section_slug>/atom.xml", feeds.SectionAtomFeed(), name="section_feed_atom"),
    # Reader pages: the page cache's fast path in front of Wagtail's own serve view.
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", publishing_views.serve_page, name="cached_page"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "masthead.publishing.views.page_not_found"
handler500 = "masthead.publishing.views.server_error"

if settings.DEBUG:
    pass

handler400 = "masthead.core.views.bad_request"
