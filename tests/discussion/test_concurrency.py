"""Concurrent posts and votes from several threads: counters stay exact, SQLite never says "locked"."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from masthead.discussion import actions
from masthead.discussion.models import Comment, Thread
from tests.helpers import comment_input, guest_actor


@pytest.mark.django_db(transaction=True)
def test_parallel_posts_and_votes_keep_counts_exact(an_article: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLED = False
    thread = actions.thread_for_page(an_article)
    target = actions.post_comment(guest_actor("owner"), thread, comment_input("Vote here"))
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n in range(5):
                actor = guest_actor(f"w{worker}-{n}", ip=f"203.0.113.{worker * 10 + n + 1}")
                actions.post_comment(actor, thread, comment_input(f"Worker {worker} says {n}"))
                actions.vote(actor, Comment.objects.get(pk=target.pk), 1)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(index,)) for index in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert (
        Thread.objects.get(pk=thread.pk).comment_count
        == Comment.objects.filter(thread=thread, status="approved").count()
    )
    assert Comment.objects.filter(thread=thread).count() == 21
    target.refresh_from_db()
    assert (target.upvotes, target.score) == (20, 20)
