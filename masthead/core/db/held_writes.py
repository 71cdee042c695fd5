"""Writes nobody reads back, held to the end of a transaction and sent to PostgreSQL as one statement.

On SQLite a statement is a library call; on PostgreSQL each is a round trip, and on the machines
Masthead runs on one costs the worker and the server about 0.25 ms of CPU between them (send, wake,
answer, wake: `bench/RESULTS.md`, "Scaled configuration"), more than most of a post's statements take
to run. After a comment's INSERT a post makes four or five such writes (the thread's counters, the
parent's, the audit row, moderation's log line and author record); inside `writes_combined()` they
are held and sent together, on PostgreSQL as one statement whose data-modifying `WITH` parts each
run once (`WITH w0 AS (UPDATE ...), w1 AS (INSERT ...) INSERT ...`), elsewhere one after another.

They keep their order with everything else on the connection: any other statement run inside the
block first sends what is held, so a read sees every write made before it, and a savepoint starts
and ends after them. Two writes to the same table never share a statement (the parts of one
statement do not see each other's changes). What changes is when a held write's error is raised:
at the next statement or at the block's end, still inside the transaction, which then rolls back.

`transaction_combined()` opens both at once, so the held writes are known to be the transaction's
last. On PostgreSQL, a transaction that has sent nothing before them and whose held writes make one
statement sends that statement alone, without BEGIN and COMMIT: PostgreSQL runs a statement outside
a transaction block as a transaction of its own, all of it or nothing. A top-level comment's post
holds all its writes (`CompiledInsert.create_unless` with `Questions`), so they are one round trip
instead of four.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections, transaction

_HELD = "masthead_held_writes"
_TARGET = re.compile(r'\s*(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+("[^"]+"|[\w.]+)', re.IGNORECASE)

Then = Callable[[tuple[Any, ...]], None]


class _Write(NamedTuple):
    sql: str
    params: list[Any]
    then: Then | None
    on_existing_rows: bool  # an UPDATE or DELETE of rows that were there before the block


Held = list[_Write]


@contextlib.contextmanager
def transaction_combined(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """`transaction.atomic()` with `writes_combined()` in it: the held writes are sent just before the
    COMMIT, as one statement without BEGIN and COMMIT where that is all the transaction sends (on
    PostgreSQL; see the module's docstring). Inside another transaction it is a savepoint as ever."""
    with transaction.atomic(using=using), writes_combined(using, _commit_follows=True):
        yield


def holds_inserts(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a row's INSERT is better held with the other writes (its id reserved beforehand) than
    sent at once: on PostgreSQL, where each statement is a round trip."""
    return connections[using].vendor == "postgresql"


@contextlib.contextmanager
def writes_combined(
    using: str = DEFAULT_DB_ALIAS, *, _commit_follows: bool = False
) -> Iterator[None]:
    """Hold the block's `write()`s and send them at its end. Open it with the transaction, in the
    same `with` (`with transaction.atomic(), writes_combined():`, or `transaction_combined()`): they
    go before the COMMIT, and when the block raises, what it holds is dropped as the transaction
    rolls back (an exception caught between the two would otherwise drop writes a committed
    transaction should keep). A block inside another joins it."""
    connection = connections[using]
    if getattr(connection, _HELD, None) is not None:
        yield
        return
    held: Held = []
    setattr(connection, _HELD, held)
    try:
        with connection.execute_wrapper(_sending_held_first(held, using)):
            yield
            _send(held, using, last=_commit_follows)
    finally:
        setattr(connection, _HELD, None)


def write(
    sql: str,
    params: Sequence[Any],
    using: str = DEFAULT_DB_ALIAS,
    *,
    then: Then | None = None,
    on_existing_rows: bool = False,
) -> None:
    """Run an INSERT, UPDATE or DELETE whose result the block does not read: now, or held to the end
    of the `writes_combined()` block around it. With `then`, `sql` ends in a RETURNING clause for the
    one row it changes, and `then(row)` gets that row once the write has run (for work after the
    commit, such as a live event). `on_existing_rows`: an UPDATE or DELETE of rows that were there
    before the block and that no other write of the block changes, so it may share a statement with
    the block's INSERTs into its table (a reply's count on its parent, beside the reply's INSERT)."""
    held: Held | None = getattr(connections[using], _HELD, None)
    if held is None:
        _run(sql, list(params), then, using)
    else:
        held.append(_Write(sql, list(params), then, on_existing_rows))


def _sending_held_first(held: Held, using: str) -> Callable[..., Any]:
    def execute(run: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if held:
            _send(held, using)
        return run(sql, params, many, context)

    return execute


def _send(held: Held, using: str, *, last: bool = False) -> None:
    """Run the held writes; `last`: nothing but the COMMIT follows them in the transaction."""
    statements = held[:]
    held.clear()  # before running them: these statements pass the wrapper with nothing held
    if connections[using].vendor != "postgresql":
        for one in statements:
            _run(one.sql, one.params, one.then, using)
        return
    combined = [_combined(group) for group in _groups(statements)]
    if last and len(combined) == 1 and _nothing_sent_yet(using):
        _run_alone(*combined[0], using)
        return
    for sql, params, then in combined:
        _run(sql, params, then, using)


def _combined(group: Held) -> tuple[str, list[Any], Then | None]:
    # The parts of one statement run on one snapshot, each to its own table: their order within it
    # does not matter, so the one whose row is wanted is the statement the WITH leads to.
    primary = next((one for one in group if one.then is not None), group[-1])
    parts = [one for one in group if one is not primary]
    prefix = "".join(
        f"WITH w0 AS ({part.sql})" if n == 0 else f", w{n} AS ({part.sql})"
        for n, part in enumerate(parts)
    )
    params = [value for part in parts for value in part.params] + primary.params
    return (f"{prefix} {primary.sql}" if parts else primary.sql), params, primary.then


def _nothing_sent_yet(using: str) -> bool:
    """The connection is in one transaction of Django's own (no savepoint, no outer block) that
    has not sent its BEGIN: psycopg sends it with the first statement, and none went yet."""
    from psycopg import pq

    connection = connections[using]
    raw = connection.connection
    return (
        len(connection.atomic_blocks) == 1
        and not connection.savepoint_ids
        and not connection.needs_rollback
        and raw is not None
        and not raw.autocommit
        and raw.info.transaction_status == pq.TransactionStatus.IDLE
    )


def _run_alone(sql: str, params: list[Any], then: Then | None, using: str) -> None:
    """The transaction's one statement, sent in autocommit: its own transaction, all or nothing.
    psycopg's connection stays idle, so Django's COMMIT after it sends nothing (and runs the
    on-commit callbacks); when it fails, there is nothing to roll back."""
    raw = connections[using].connection
    raw.autocommit = True
    try:
        _run(sql, params, then, using)
    finally:
        if not raw.closed and not raw.broken:
            raw.autocommit = False


def _groups(statements: Held) -> Iterator[Held]:
    """In order, the longest runs of statements that can share one, with at most one whose row is
    wanted: each writes to a table of its own, or beside INSERTs into its table it changes only
    rows that were there before (`on_existing_rows`), which the INSERTs' new rows are not."""
    group: Held = []
    tables: dict[str, list[tuple[bool, bool]]] = {}  # per table: (inserts, on existing rows)
    for one in statements:
        match = _TARGET.match(one.sql)
        table = match.group(2) if match else None
        inserts = match is not None and match.group(1)[:6].upper() == "INSERT"
        kind = (inserts, one.on_existing_rows)
        wanted_twice = one.then is not None and any(other.then is not None for other in group)
        apart = table is None or not all(_beside(kind, other) for other in tables.get(table, []))
        if group and (apart or wanted_twice):
            yield group
            group, tables = [], {}
        group.append(one)
        if table is None:
            yield group
            group, tables = [], {}
        else:
            tables.setdefault(table, []).append(kind)
    if group:
        yield group


def _beside(one: tuple[bool, bool], other: tuple[bool, bool]) -> bool:
    """Whether two writes to the same table, each (inserts, on existing rows), may share a
    statement (whose parts do not see each other's changes): an INSERT's new rows beside a change of
    rows that were there before."""
    return (one[0] and other[1]) or (other[0] and one[1])


def _run(sql: str, params: list[Any], then: Then | None, using: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone() if then is not None else None
    if row is not None and then is not None:
        then(tuple(row))
