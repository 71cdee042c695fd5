"""The tables every post writes to keep no index another index already begins with: each one costs
every posted comment an index entry (on PostgreSQL, a CharField's `db_index` adds a second one for
LIKE), while the longer index answers the same lookups."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, models

from masthead.discussion.models import Comment
from masthead.moderation.models import SubmissionLog

pytestmark = pytest.mark.django_db


def _plain_indexes(model: type[models.Model]) -> dict[str, list[str]]:
    """Name -> columns of the table's indexes, leaving out primary and unique keys and the partial
    indexes the model declares (a partial index is not answered by a longer full one)."""
    partial = {index.name for index in model._meta.indexes if index.condition is not None}
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name: list(details["columns"])
        for name, details in found.items()
        if details["index"]
        and not details["primary_key"]
        and not details["unique"]
        and name not in partial
    }


@pytest.mark.parametrize("model", [Comment, SubmissionLog])
def test_no_index_repeats_the_start_of_another(model: Any) -> None:
    indexes = _plain_indexes(model)
    assert indexes, "the table's indexes were not found"
    repeated = [
        (name, other)
        for name, columns in indexes.items()
        for other, longer in indexes.items()
        if other != name and longer[: len(columns)] == columns
    ]
    assert repeated == []


def test_the_lookups_the_dropped_indexes_served_still_have_one() -> None:
    """A thread's comments, a reply tree, a guest's and an address's recent comments, a digest."""
    comment = _plain_indexes(Comment)
    starts = {tuple(columns[:1]) for columns in comment.values()}
    assert {("thread_id",), ("root_id",), ("guest_key",), ("ip_hash",)} <= starts
    assert ["digest"] in _plain_indexes(SubmissionLog).values()
