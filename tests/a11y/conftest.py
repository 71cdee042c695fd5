"""Fixtures only the accessibility tests use."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def an_arabic_article(an_article: Any) -> Any:
    """The article's Arabic translation, with the edition's home and section (wagtail-localize's
    copies, made through publishing's own action)."""
    from masthead.publishing.actions import translate_page

    section = an_article.get_parent().specific
    translate_page(section.get_parent().specific, "ar", title="ماستهيد", intro="")
    translate_page(section, "ar", title="الشرق الأوسط", intro="")
    return translate_page(an_article, "ar", title="شحّ المياه على طول النهر")
