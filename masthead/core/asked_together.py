"""Small reads asked before any of them is needed, answered together in one statement.

A post reads a few things before its write transaction that belong to different apps (moderation:
was this text posted in other threads; notifications: has the thread any confirmed subscriber).
On PostgreSQL each read is a round trip costing the worker and the server more than the read itself
(`core/db/held_writes.py`); asked through one `Questions`, they go as one `SELECT` of subqueries
the first time any answer is wanted. Each answer is a count: how many distinct rows the question's
query returns (so a query ending in `[:n]` caps it: `[:1]` asks "is there one?").

The apps ask early, through the discussion's `comment_asking` signal, and read later by the same
name; a name not asked before is asked (and answered with anything else still waiting) when it is
wanted, so a caller never depends on having asked first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

from masthead.core.compiled import CompiledQuery, bound


@dataclass
class Questions:
    using: str = DEFAULT_DB_ALIAS
    _asked: dict[str, tuple[str, list[Any]]] = field(default_factory=dict)
    _answers: dict[str, int] = field(default_factory=dict)

    def ask(self, name: str, query: CompiledQuery, /, **values: Any) -> None:
        """Ask `query` (with `values`) under `name`; the first asking of a name counts."""
        if name not in self._asked:
            sql, params = bound(query, values, self.using)
            self.ask_sql(name, sql, params)

    def ask_sql(self, name: str, sql: str, params: list[Any]) -> None:
        """`ask` with the question's SQL in hand (a compiled query's, its values bound)."""
        if name not in self._asked:
            n = len(self._asked)
            # The ORM's own SQL for the question; every value is a bound parameter.
            counted = f'SELECT COUNT(*) FROM (SELECT DISTINCT * FROM ({sql}) AS "q{n}") AS "d{n}"'  # noqa: S608
            self._asked[name] = (counted, params)

    def count(self, name: str, query: CompiledQuery, /, **values: Any) -> int:
        """The answer to `name`: the distinct rows of its query. Asks it first if nobody did, and
        sends, in one statement, every question not answered yet."""
        self.ask(name, query, **values)
        return self.counted(name)

    def counted(self, name: str) -> int:
        """The answer to a question already asked (with `ask_sql`, or `reserve_id`); sends every
        question not answered yet when this one is not."""
        if name not in self._answers:
            self._send()
        return self._answers[name]

    def reserve_id(self, name: str, model: type[models.Model]) -> None:
        """Ask PostgreSQL for the next id of `model`'s table (its key's sequence), for a row whose
        INSERT is held (`CompiledInsert.create_unless`). An id reserved and not used is skipped, as
        one of a rolled-back INSERT is."""
        if name not in self._asked:
            connection = connections[self.using]
            if connection.vendor != "postgresql":
                raise TypeError("Ids are reserved from PostgreSQL's sequences only.")
            table = connection.ops.quote_name(model._meta.db_table)
            self._asked[name] = (
                "SELECT nextval(pg_get_serial_sequence(%s, %s))",
                [table, model._meta.pk.column],
            )

    def reserved_id(self, name: str, model: type[models.Model]) -> int:
        self.reserve_id(name, model)
        return self.counted(name)

    def _send(self) -> None:
        waiting = [name for name in self._asked if name not in self._answers]
        parts = [f"({self._asked[name][0]})" for name in waiting]
        params = [value for name in waiting for value in self._asked[name][1]]
        with connections[self.using].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        self._answers.update(zip(waiting, (int(value) for value in row), strict=True))
