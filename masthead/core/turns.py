"""Writes take turns within a process on SQLite: one request that may write runs its Python at a time.

SQLite takes one writer at a time, so letting a process's writing requests run side by side buys no
database concurrency. It does cost: the request holding the database's write lock shares the GIL
with the others' CPU work, and every query it makes (which releases the GIL) can leave it waiting
for the rest of a switch interval. Under a burst of posts that stretched each write transaction to
about twice its CPU time; taking turns (`core/handler.py` holds the turn for a POST, PUT, PATCH or
DELETE) raised posts/s by a quarter at c=4 and two thirds at c=16 on two cores (medians of three A/B
rounds; bench/RESULTS.md, "Discussion").

Code that waits on the network in the middle of a request (a spam provider, the payment provider)
steps out of its turn meanwhile: domain code calls out through `core/outbound.py`, which uses
`outside_write_turn()`, so one slow answer does not hold up the process's other writes and the
domain code knows nothing of turns. Reads (GET, HEAD) never take a turn. On PostgreSQL, which writes
concurrently, there are no turns.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from django.db import connection

_turn = threading.Lock()
_holder = threading.local()


def takes_turns() -> bool:
    return connection.vendor == "sqlite"


@contextlib.contextmanager
def write_turn() -> Iterator[None]:
    """Hold this process's write turn for the block (re-entrant within a thread)."""
    if getattr(_holder, "held", False) or not takes_turns():
        yield
        return
    _turn.acquire()
    _holder.held = True
    try:
        yield
    finally:
        _holder.held = False
        _turn.release()


@contextlib.contextmanager
def outside_write_turn() -> Iterator[None]:
    """Let the process's other writes run while this thread waits on something slow outside it."""
    if not getattr(_holder, "held", False):
        yield
        return
    _holder.held = False
    _turn.release()
    try:
        yield
    finally:
        _turn.acquire()
        _holder.held = True
