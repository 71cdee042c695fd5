"""Hot reads compiled once: a queryset's SQL is built on first use and each call only binds values.

Building and compiling a queryset costs Django 0.1-0.45 ms of Python each time; running the SQL it
makes costs SQLite 0.005-0.02 ms. A post runs a handful of small reads before it can write (is the
thread public, was this text posted elsewhere, is the author subscribed...), so on the posting path
the compiling was most of their cost. A `CompiledQuery` keeps the query written with the ORM (one
definition, correct SQL for every database Masthead runs on) and compiles it once per database
alias; `Param("name", field)` marks where a call's value goes, and the field prepares that value as
the ORM would (a datetime for SQLite, say).

Only querysets ending in `values_list(...)` (or `values_list(...)[:n]`) are supported: rows come
back as tuples, with the database's converters applied, and `instances()` turns them into model
instances when the selected names are the model's attribute names.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import connections, models
from django.db.models import Expression, QuerySet
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery, UpdateQuery

from masthead.core.db.held_writes import Then, holds_inserts, write

if TYPE_CHECKING:
    from masthead.core.asked_together import Questions

M = TypeVar("M", bound=models.Model)
C = TypeVar("C")


@dataclass(frozen=True)
class _Slot:
    name: str
    field: models.Field[Any, Any]


class Param(Expression):
    """A named value bound when a compiled query runs, prepared for the database by `field`."""

    def __init__(self, name: str, field: models.Field[Any, Any]) -> None:
        super().__init__(output_field=field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        # The slot stands in the params until a call binds its value (`_bind`).
        return "%s", (_Slot(self.name, self.output_field),)


# Where `InsertedRow` stands in a question's SQL until `CompiledInsert.create_unless` places it.
_INSERTED = "\x00inserted\x00."
_EARLIER = '"earlier"'


class InsertedRow(Expression):
    """A column of the row being inserted, in a question asked by the same INSERT
    (`CompiledInsert.create_unless`): `.exclude(pk=InsertedRow("id", field))` leaves the new row out."""

    def __init__(self, column: str, field: models.Field[Any, Any]) -> None:
        super().__init__(output_field=field)
        self.column = column

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        return _INSERTED + connection.ops.quote_name(self.column), ()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    converters: dict[int, tuple[list[Any], Any]]
    names: tuple[str, ...]
    model: type[models.Model]


class _PerAlias(ABC, Generic[C]):
    """What `_compile(alias)` makes, made once per database alias, also when threads race for it."""

    def __init__(self) -> None:
        self._compiled: dict[str, C] = {}
        self._lock = threading.Lock()

    @abstractmethod
    def _compile(self, alias: str) -> C: ...

    def _for(self, alias: str) -> C:
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(alias) or self._compile(alias)
                self._compiled[alias] = compiled
        return compiled


class CompiledQuery(_PerAlias[_Compiled]):
    """`build()` returns the queryset, with `Param`s where values go; it is called once per alias."""

    def __init__(self, build: Callable[[], QuerySet[Any, Any]]) -> None:
        super().__init__()
        self._build = build

    def _compile(self, alias: str) -> _Compiled:
        queryset = self._build()
        names = tuple(queryset.query.values_select)
        if not names:
            raise TypeError("A compiled query must end in values_list(...).")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return _Compiled(sql, tuple(params), converters, names, queryset.model)

    def rows(self, using: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        compiled = self._for(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, _bind(compiled.params, values, connection))
            rows = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            items = list(row)
            for position, (functions, expression) in compiled.converters.items():
                value = items[position]
                for function in functions:
                    value = function(value, expression, connection)
                items[position] = value
            converted.append(tuple(items))
        return converted

    def first(self, using: str = "default", **values: Any) -> tuple[Any, ...] | None:
        found = self.rows(using, **values)
        return found[0] if found else None

    def exists(self, using: str = "default", **values: Any) -> bool:
        return bool(self.rows(using, **values))

    def instances(self, model: type[M], using: str = "default", **values: Any) -> list[M]:
        """Rows as `model` instances (the selected names must be its attribute names)."""
        names: Sequence[str] = self._for(using).names
        return [model.from_db(using, names, row) for row in self.rows(using, **values)]


def bound(query: CompiledQuery, values: dict[str, Any], using: str) -> tuple[str, list[Any]]:
    """`query`'s SQL and its parameters with `values` bound, to run inside a larger statement."""
    compiled_query = query._for(using)
    return compiled_query.sql, _bind(compiled_query.params, values, connections[using])


def compiled(build: Callable[[], QuerySet[Any, Any]]) -> CompiledQuery:
    return CompiledQuery(build)


class CompiledUpdate(_PerAlias[tuple[str, tuple[Any, ...]]]):
    """`queryset.update(**changes)` compiled once: `build()` returns (queryset, changes), with
    `Param`s among the filters and the new values; `run(**values)` reads nothing back, so inside
    `core.db.held_writes.writes_combined` it is held and sent with the block's other writes."""

    def __init__(
        self,
        build: Callable[[], tuple[QuerySet[Any, Any], dict[str, Any]]],
        returning: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self._build = build
        self._returning = tuple(returning)

    def _compile(self, alias: str) -> tuple[str, tuple[Any, ...]]:
        queryset, changes = self._build()
        query: Any = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        sql, params = query.get_compiler(using=alias).as_sql()
        if self._returning:
            quote = connections[alias].ops.quote_name
            sql += " RETURNING " + ", ".join(quote(column) for column in self._returning)
        return sql, tuple(params)

    def run(
        self,
        using: str = "default",
        *,
        then: Then | None = None,
        on_existing_rows: bool = False,
        **values: Any,
    ) -> None:
        """`then(row)`: the `returning` columns of the changed row, once the update has run.
        `on_existing_rows`: as `core.db.held_writes.write` has it."""
        sql, template = self._for(using)
        connection = connections[using]
        write(
            sql,
            _bind(template, values, connection),
            using,
            then=then,
            on_existing_rows=on_existing_rows,
        )


class CompiledInsert(_PerAlias[tuple[str, str, str]]):
    """`Model.objects.create(**values)` with the INSERT's SQL built once per database alias.

    The instance is made and saved as `create` would: fields' defaults and `pre_save` (timestamps),
    the pre_save and post_save signals, the primary key (and other returned columns) set from the
    database. Only for models without multi-table inheritance, and plain values (no expressions).

    It does not call `save()`, so a model that overrides `save()` or `save_base()` is refused when the
    insert is declared (at import): its override would be skipped silently. Kept because a post makes
    three of these inserts (the comment, its audit row, moderation's log) and each costs about 60% of
    `create()` (bench/RESULTS.md, "## Core"), about a twelfth of a post, where posting must stay ahead
    of Isso's.
    """

    def __init__(self, model: type[M]) -> None:
        if model._meta.parents:
            raise TypeError(f"{model.__name__} inherits from another model's table.")
        for method in ("save", "save_base"):
            if getattr(model, method) is not getattr(models.Model, method):
                raise TypeError(
                    f"{model.__name__} overrides {method}(), which a compiled insert would skip; "
                    "use Model.objects.create() for it."
                )
        super().__init__()
        self.model = model
        self._questions: dict[tuple[str, CompiledQuery], str] = {}
        self.fields = [
            field
            for field in model._meta.local_concrete_fields
            if field is not model._meta.auto_field and not field.generated
        ]

    def _compile(self, alias: str) -> tuple[str, str, str]:
        """(the INSERT returning the columns the database sets, the same INSERT returning nothing,
        the INSERT with the primary key given, returning nothing)"""
        query = InsertQuery(self.model)
        query.insert_values(self.fields, [self.model()], raw=False)
        compiler: Any = query.get_compiler(using=alias)
        ((bare, _),) = compiler.as_sql()
        compiler.returning_fields = self.model._meta.db_returning_fields
        ((returning, _),) = compiler.as_sql()
        with_key = InsertQuery(self.model)
        with_key.insert_values([self.model._meta.pk, *self.fields], [self.model()], raw=False)
        ((keyed, _),) = with_key.get_compiler(using=alias).as_sql()
        return str(returning), str(bare), str(keyed)

    def create(self, using: str = "default", **values: Any) -> Any:
        sql = self._for(using)[0]
        connection = connections[using]
        instance, params = self._prepared(connection, using, values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone() if connection.features.can_return_columns_from_insert else None
            if row is None:
                row = (connection.ops.last_insert_id(cursor, self.model._meta.db_table, "id"),)
        return self._created(instance, row, using)

    def _created(self, instance: Any, row: Sequence[Any], using: str) -> Any:
        """The instance with the columns the database set, saved as `create` leaves it."""
        returning = self.model._meta.db_returning_fields
        for field, value in zip(returning, row, strict=False):
            setattr(instance, field.attname, value)
        instance._state.adding = False
        instance._state.db = using
        post_save.send(
            sender=self.model,
            instance=instance,
            created=True,
            update_fields=None,
            raw=False,
            using=using,
        )
        return instance

    def create_unless(
        self,
        found: CompiledQuery,
        asked: dict[str, Any],
        refusal: Callable[[], Exception],
        using: str = "default",
        questions: Questions | None = None,
        **values: Any,
    ) -> Any:
        """`create`, unless `found` (given `asked`) finds a row besides the new one: then what
        `refusal()` makes is raised and the transaction, which must be open, takes the row back.

        One statement instead of a read and an INSERT: the question rides in the INSERT's
        `RETURNING` (`EXISTS (...)`), which on SQLite sees the new row and on PostgreSQL does not,
        so the question leaves it out with `InsertedRow`. `found` must read only its own table
        (no joins): it is renamed in the statement so that the new row's table can be named.

        With `questions` on PostgreSQL (`holds_inserts`) the INSERT sends nothing yet: the question
        and the new row's id are among the reads `questions` sends together (`ask_ahead`, best
        before the transaction), a copy is refused before anything is written, and the INSERT is
        held with the transaction's other writes (`core.db.held_writes`), which it can then join
        in one statement. Read committed makes the two ways alike for copies posted at the same
        moment: neither INSERT sees the other's row before its commit.
        """
        connection = connections[using]
        if not connection.in_atomic_block:
            raise TypeError("create_unless needs a transaction to take a refused row back.")
        if questions is not None and holds_inserts(using):
            return self._create_held_unless(found, asked, refusal, using, questions, values)
        sql = self._asking(using, found)
        instance, params = self._prepared(connection, using, values)
        params += _bind(found._for(using).params, asked, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            *row, refused = cursor.fetchone()
        if refused:
            raise refusal()
        return self._created(instance, row, using)

    def ask_ahead(
        self,
        questions: Questions,
        found: CompiledQuery,
        asked: dict[str, Any],
        using: str = "default",
    ) -> None:
        """Where the INSERT is held (`holds_inserts`), ask `create_unless`'s question and reserve the
        new row's id among `questions`, to be answered with the reads asked beside them."""
        if not holds_inserts(using):
            return
        if list(self.model._meta.db_returning_fields) != [self.model._meta.pk]:
            raise TypeError(f"{self.model.__name__} has columns the database sets: not held.")
        sql, params = self._asked_before(using, found)
        questions.ask_sql(
            self._name("copies", found), sql, _bind(params, asked, connections[using])
        )
        questions.reserve_id(self._name("id"), self.model)

    def _create_held_unless(
        self,
        found: CompiledQuery,
        asked: dict[str, Any],
        refusal: Callable[[], Exception],
        using: str,
        questions: Questions,
        values: dict[str, Any],
    ) -> Any:
        self.ask_ahead(questions, found, asked, using)
        if questions.counted(self._name("copies", found)):
            raise refusal()
        key = questions.reserved_id(self._name("id"), self.model)
        connection = connections[using]
        instance, params = self._prepared(connection, using, values)
        key_field = self.model._meta.pk
        write(self._for(using)[2], [key_field.get_db_prep_save(key, connection), *params], using)
        return self._created(instance, (key,), using)

    def _name(self, what: str, found: CompiledQuery | None = None) -> str:
        return f"insert:{self.model._meta.label}:{what}:{id(found) if found else ''}"

    def _asked_before(self, using: str, found: CompiledQuery) -> tuple[str, tuple[Any, ...]]:
        """`found`'s SQL asked before the INSERT: there is no new row yet, and `InsertedRow` (the
        new row's key, which the question leaves out) becomes 0, a key no row has (keys count from 1)."""
        question = found._for(using)
        key_column = connections[using].ops.quote_name(str(self.model._meta.pk.column))
        inserted = _INSERTED + key_column
        if question.sql.replace(inserted, "").count(_INSERTED):
            raise TypeError("Asked ahead, a question may leave out only the new row's key.")
        return question.sql.replace(inserted, "0"), question.params

    def _asking(self, using: str, found: CompiledQuery) -> str:
        key = (using, found)
        sql = self._questions.get(key)
        if sql is None:
            quote = connections[using].ops.quote_name
            table = quote(self.model._meta.db_table)
            question = found._for(using)
            if " JOIN " in question.sql or question.sql.count(" FROM ") != 1:
                raise TypeError("The question of create_unless must read one table, no joins.")
            asked_table = quote(question.model._meta.db_table)
            inner = (
                question.sql.replace(f"FROM {asked_table}", f"FROM {asked_table} AS {_EARLIER}")
                .replace(f"{asked_table}.", f"{_EARLIER}.")
                .replace(_INSERTED, f"{table}.")
            )
            returning = ", ".join(
                f"{table}.{quote(str(field.column))}"
                for field in self.model._meta.db_returning_fields
            )
            sql = f"{self._for(using)[1]} RETURNING {returning}, EXISTS ({inner})"
            self._questions[key] = sql
        return sql

    def add(self, using: str = "default", **values: Any) -> None:
        """Write the row and read nothing back, for rows nobody reads in the same request (an audit
        entry, a log line): inside `core.db.held_writes.writes_combined` it is held and sent with the
        block's other writes. The instance has no primary key, so no post_save is sent."""
        _, params = self._prepared(connections[using], using, values)
        write(self._for(using)[1], params, using)

    def _prepared(
        self, connection: Any, using: str, values: dict[str, Any]
    ) -> tuple[Any, list[Any]]:
        instance = self.model(**values)
        pre_save.send(
            sender=self.model, instance=instance, raw=False, using=using, update_fields=None
        )
        params = [
            field.get_db_prep_save(field.pre_save(instance, True), connection)
            for field in self.fields
        ]
        return instance, params


def _bind(template: tuple[Any, ...], values: dict[str, Any], connection: Any) -> list[Any]:
    params = []
    for param in template:
        if isinstance(param, _Slot):
            if param.name not in values:
                raise TypeError(f"No value for the query's {param.name!r}.")
            param = param.field.get_db_prep_value(values[param.name], connection, False)
        params.append(param)
    return params


def attnames(model: type[models.Model]) -> list[str]:
    """The names `values_list` and `from_db` share for every column of `model`."""
    return [field.attname for field in model._meta.concrete_fields]
