"""Side effects after commit: enqueue a django-tasks task once the surrounding transaction commits."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` with these arguments after the current transaction commits (now, outside one)."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)
