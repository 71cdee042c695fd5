"""Article metadata for sharing and search engines: Open Graph, Twitter card, JSON-LD NewsArticle."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict[str, Any]) -> SafeString:
    """JSON for a <script type="application/ld+json"> element; '<', '>' and '&' escaped so text cannot close it."""
    encoded = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{encoded}</script>')


@register.simple_tag(takes_context=True)
def article_meta(context: dict[str, Any], page: Any) -> SafeString:
    request = context.get("request")
    url = page.get_full_url(request=request) or ""
    image_url = ""
    if page.featured_image:
        try:
            rendition = page.featured_image.get_rendition("fill-1200x630")
            image_url = request.build_absolute_uri(rendition.url) if request else rendition.url
        except Exception:  # A missing image file never breaks the page.
            image_url = ""
    description = page.search_description or page.summary_text()
    authors = [{"@type": "Person", "name": author.name} for author in page.authors]
    structured: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": description,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": page.published_at.isoformat(),
        "dateModified": (
            page.updated_note_at or page.last_published_at or page.published_at
        ).isoformat(),
        "author": authors,
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if image_url:
        structured["image"] = [image_url]
    if page.section:
        structured["articleSection"] = page.section.title
    html = render_to_string(
        "publishing/includes/article_meta.html",
        {
            "page": page,
            "url": url,
            "image_url": image_url,
            "description": description,
            "SITE_NAME": settings.SITE_NAME,
        },
    )
    return mark_safe(html + json_ld(structured))
