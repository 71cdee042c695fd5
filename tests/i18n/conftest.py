"""Fixtures of the multilingual tests: an Arabic edition beside the English one (translate_page)."""

from __future__ import annotations

from typing import Any

import pytest

# Arabic text of the translated article (the English one is tests/conftest.py's `an_article`).
ARABIC_TITLE = "شحّ المياه يشتدّ على امتداد النهر"
ARABIC_PARAGRAPH = "انخفض منسوب النهر إلى أدنى مستوى له منذ عقد، كما يقول المزارعون."


def translate_into_arabic(article: Any, **fields: Any) -> Any:
    """The Arabic edition of `article`'s site (home and section translated first, as editors do)
    and `article` in Arabic, all published through publishing's real action."""
    from wagtail.models import Locale

    from masthead.publishing.actions import translate_page

    Locale.objects.get_or_create(language_code="ar")  # a transactional test's flush drops it
    section = article.get_parent().specific
    home = section.get_parent().specific
    translate_page(home, "ar", title="ماستهيد", intro="صحافة مستقلة يموّلها قرّاؤها.")
    translate_page(section, "ar", title="الشرق الأوسط", intro="تقارير من المنطقة.")
    fields.setdefault("title", ARABIC_TITLE)
    fields.setdefault("standfirst", "المزارعون في المصبّ يحصون خسائر موسم جاف.")
    fields.setdefault("body", [("paragraph", f"<p>{ARABIC_PARAGRAPH}</p>")])
    return translate_page(article, "ar", **fields)


@pytest.fixture
def an_arabic_article(an_article: Any) -> Any:
    """`an_article`'s Arabic translation, at /ar/..."""
    return translate_into_arabic(an_article)
