"""The discussion of a translated article: by default its own thread, with a link to the
original's comments counted in the page's language; or, when the site says so, the original's
thread shared by both editions. Cached copies of both pages follow the comments of either."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from lxml import html

from masthead.discussion.actions import thread_for_page
from masthead.discussion.models import Comment
from tests.helpers import Reader, comment_and_commit, run_on_commit_callbacks

pytestmark = pytest.mark.django_db


def region(client: Client, page: Any) -> tuple[str, Any]:
    """(X-Page-Cache, the discussion region) of `page` as an anonymous reader gets it."""
    response = client.get(page.url)
    assert response.status_code == 200
    found = html.fromstring(response.content).xpath("//section[@data-discussion]")
    assert len(found) == 1
    return response["X-Page-Cache"], found[0]


def bodies(section: Any) -> list[str]:
    return [
        text.strip()
        for text in section.xpath(".//*[contains(@class, 'comment__body')]//text()")
        if text.strip()
    ]


def original_link(section: Any) -> tuple[str, str, str] | None:
    links = section.xpath(".//*[contains(@class, 'discussion__original')]//a")
    if not links:
        return None
    (link,) = links
    return link.text_content().strip(), link.get("href"), link.get("hreflang")


def share_threads(value: str) -> None:
    from wagtail.models import Site

    from masthead.discussion.policy import DiscussionSettings

    row = DiscussionSettings.for_site(Site.objects.get(is_default_site=True))
    row.translation_threads = value
    with run_on_commit_callbacks():  # as the settings form's save commits
        row.save()


def test_a_translation_has_its_own_thread_and_counts_the_originals_comments_in_its_language(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    english_thread = thread_for_page(an_article)
    cache, arabic = region(client, an_arabic_article)
    assert cache == "miss"
    assert int(arabic.get("data-thread-id")) != english_thread.pk
    assert original_link(arabic) is None  # nothing to point at yet
    assert region(client, an_arabic_article)[0] == "hit"

    comment_and_commit(english_thread, "The canals were dry by May here.", email="a@example.com")
    cache, arabic = region(client, an_arabic_article)
    assert cache == "miss"  # the count in the link changed: the cached copy is not served
    assert original_link(arabic) == (
        "تعليق واحد على النسخة الإنجليزيّة",
        f"{an_article.url}#comments",
        "en",
    )
    assert bodies(arabic) == []  # the English comment stays on the English page

    for number in range(2):
        comment_and_commit(english_thread, f"Another view, number {number}.", email="b@ex.com")
    assert original_link(region(client, an_arabic_article)[1])[0] == (  # type: ignore[index]
        "3 تعليقات على النسخة الإنجليزيّة"
    )
    # The Arabic thread's own comments are its own, and the English page knows nothing of them.
    comment_and_commit(thread_for_page(an_arabic_article), "تعليق على الترجمة.", email="c@ex.com")
    cache, arabic = region(client, an_arabic_article)
    assert bodies(arabic) == ["تعليق على الترجمة."]
    assert original_link(arabic)[0] == "3 تعليقات على النسخة الإنجليزيّة"  # type: ignore[index]
    english = region(client, an_article)[1]
    assert original_link(english) is None
    assert "تعليق على الترجمة." not in bodies(english)
    assert len(bodies(english)) == 3


def test_the_link_speaks_the_translations_language(
    client: Client, an_article: Any, settings: Any
) -> None:
    """A Spanish translation counts the English comments in Spanish (its own plural forms)."""
    from wagtail.models import Locale

    from masthead.publishing.actions import translate_page

    Locale.objects.get_or_create(language_code="es")
    section = an_article.get_parent().specific
    translate_page(section.get_parent().specific, "es", title="Masthead")
    translate_page(section, "es", title="Oriente Medio")
    spanish = translate_page(an_article, "es", title="La sequía se agrava a lo largo del río")
    for number in range(2):
        comment_and_commit(thread_for_page(an_article), f"Comment {number}.", email="d@ex.com")
    link = original_link(region(client, spanish)[1])
    assert link is not None and link[0].startswith("2 comentarios")
    assert link[1] == f"{an_article.url}#comments"


def test_shared_threads_show_and_take_the_originals_comments_on_both_editions(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    english_thread = thread_for_page(an_article)
    comment_and_commit(english_thread, "The canals were dry by May here.", email="a@example.com")
    assert region(client, an_article)[0] == "miss"
    assert region(client, an_arabic_article)[0] == "miss"
    assert region(client, an_arabic_article)[0] == "hit"

    share_threads("shared")
    cache, arabic = region(client, an_arabic_article)
    assert cache == "miss"  # the setting changed what every translation shows
    assert int(arabic.get("data-thread-id")) == english_thread.pk
    assert arabic.xpath("string(.//form[@data-comment-form]/@action)") == (
        f"/discussion/threads/{english_thread.pk}/post/"
    )
    assert bodies(arabic) == ["The canals were dry by May here."]
    assert original_link(arabic) is None  # the original's comments are right here
    assert arabic.xpath("string(.//*[@id='discussion-title'])").split() == ["1", "تعليق"]

    # A reader of the Arabic page posts through the API as the page's script does: into the
    # original's thread, and both editions' cached copies show it at once.
    region(client, an_article)  # cached again after the settings change
    assert region(client, an_article)[0] == "hit"
    assert region(client, an_arabic_article)[0] == "hit"
    reader = Reader(HTTP_ACCEPT_LANGUAGE="ar")
    with run_on_commit_callbacks():
        posted = reader.comment(int(arabic.get("data-thread-id")), "القنوات جفّت عندنا أيضاً.")
    assert posted.status_code == 201, posted.content
    assert Comment.objects.get(body="القنوات جفّت عندنا أيضاً.").thread_id == english_thread.pk
    for page in (an_article, an_arabic_article):
        cache, section = region(client, page)
        assert cache == "miss", page.url
        assert "القنوات جفّت عندنا أيضاً." in bodies(section)

    # Back to a thread of its own: the Arabic page no longer shows the English comments.
    share_threads("own")
    arabic = region(client, an_arabic_article)[1]
    assert bodies(arabic) == []
    assert original_link(arabic)[0] == "تعليقان على النسخة الإنجليزيّة"  # type: ignore[index]


def test_without_javascript_a_reader_of_the_translation_comes_back_to_it_after_posting(
    client: Client, an_article: Any, an_arabic_article: Any
) -> None:
    """Shared threads: the Arabic page's form posts into the English thread, and the reader is
    sent back to the Arabic page they wrote from, not to the English original."""
    share_threads("shared")
    english_thread = thread_for_page(an_article)
    action = region(client, an_arabic_article)[1].xpath(
        "string(.//form[@data-comment-form]/@action)"
    )
    assert action == f"/discussion/threads/{english_thread.pk}/post/"

    def post(body: str, referer: str) -> Any:
        form = {"body": body, "name": "ليلى", "email": "laila@example.com"}
        with run_on_commit_callbacks():
            return client.post(action, form, HTTP_ORIGIN="http://testserver", HTTP_REFERER=referer)

    response = post("من الصفحة العربية.", f"http://testserver{an_arabic_article.url}")
    comment = Comment.objects.get(body="من الصفحة العربية.")
    assert comment.thread_id == english_thread.pk
    assert response.status_code == 303
    assert (
        response["Location"] == f"{an_arabic_article.url}?comment={comment.pk}#comment-{comment.pk}"
    )
    followed = client.get(response["Location"])
    assert 'lang="ar"' in followed.content.decode()
    assert "من الصفحة العربية." in followed.content.decode()
    # From the English page, or from anywhere else, the reader goes to the thread's own page.
    assert post("From the English page.", f"http://testserver{an_article.url}")[
        "Location"
    ].startswith(f"{an_article.url}?comment=")
    assert post("From a forged referer.", "http://testserver/ar/elsewhere/")["Location"].startswith(
        f"{an_article.url}?comment="
    )
