"""Background work for publishing: index pages written in bulk (imports), a batch per task."""

from __future__ import annotations

from django_tasks import task


@task()
def index_articles_task(page_ids: list[int]) -> int:
    """Search-index and reference-index the articles `page_ids` (what Wagtail's post_save handlers
    enqueue one task each for); ids no longer there are skipped. Returns how many were indexed."""
    from modelsearch.index import insert_or_update_object
    from wagtail.models import ReferenceIndex

    from masthead.publishing.models import ArticlePage

    done = 0
    for article in ArticlePage.objects.filter(pk__in=page_ids):
        insert_or_update_object(article)
        ReferenceIndex.create_or_update_for_object(article)
        done += 1
    return done
