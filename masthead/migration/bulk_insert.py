"""Multi-row INSERTs for the import writer's new rows, without Django's per-value compiler work.

`QuerySet.bulk_create` compiles every value of every row through the SQL compiler (about half of
the writer's time on a 100,000-comment import). Here each column gets its converter once per
call: plain text, numbers and booleans go to the driver as they are, anything else (dates, JSON,
keys) through the field's own `get_db_prep_save`, so what is stored is what `bulk_create` stores.
Like `bulk_create`, no `save()` runs and no signals are sent; primary keys come back through
`RETURNING` (SQLite 3.35+, PostgreSQL), in row order, as `bulk_create` relies on too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router

BATCH = 500
# Fields whose Python values the database drivers take as they are.
AS_IS = {
    "CharField",
    "TextField",
    "EmailField",
    "URLField",
    "SlugField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BooleanField",
}


def _converter(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    if field.get_internal_type() in AS_IS and not field.choices:
        return lambda value: value
    if field.choices and field.get_internal_type() == "CharField":
        return str  # TextChoices members are str
    return lambda value: field.get_db_prep_save(value, connection)


class NewRow:
    """A row to insert: its model's field values as attributes, without a model instance (making
    a Django instance is a fifth of the cost of writing a comment)."""

    pk: Any = None


def new_row(model: type[models.Model], **values: Any) -> NewRow:
    """A `NewRow` with the model's defaults, then `values` (by attname)."""
    row = NewRow()
    row.__dict__.update(_defaults(model))
    row.__dict__.update(values)
    return row


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    # Defaults are made anew for each row: a mutable default (a dict) is never shared.
    return {
        field.attname: field.get_default()
        for field in model._meta.concrete_fields
        if not field.primary_key
    }


def insert_values(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert `rows` of values for the fields `names` (by attname), without making instances."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    fields = [opts.get_field(name) for name in names]
    converters = [_converter(field, connection) for field in fields]  # type: ignore[arg-type]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)  # type: ignore[union-attr]
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        params = [
            convert(value)
            for row in chunk
            for value, convert in zip(row, converters, strict=True)
        ]
        sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES " + ", ".join(  # noqa: S608
            [row_marks] * len(chunk)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def insert_rows(
    model: type[models.Model], objs: Sequence[models.Model | NewRow], *, return_ids: bool = True
) -> None:
    """Insert `objs` (new instances of `model` or `NewRow`s, primary key unset) and set their
    primary keys."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    fields = [field for field in opts.concrete_fields if not field.primary_key]
    attnames = [field.attname for field in fields]
    converters = [_converter(field, connection) for field in fields]
    quote = connection.ops.quote_name
    # Names from the model's own options, quoted; every value goes as a parameter.
    columns = ", ".join(quote(str(field.column)) for field in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = return_ids and connection.features.can_return_rows_from_bulk_insert
    for start in range(0, len(objs), BATCH):
        chunk = objs[start : start + BATCH]
        params = [
            convert(getattr(obj, attname))
            for obj in chunk
            for attname, convert in zip(attnames, converters, strict=True)
        ]
        sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES " + ", ".join(  # noqa: S608
            [row_marks] * len(chunk)
        )
        with connection.cursor() as cursor:
            if returning:
                cursor.execute(f"{sql} RETURNING {quote(str(opts.pk.column))}", params)
                ids = [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute(sql, params)
                ids = []
        for index, obj in enumerate(chunk):
            if ids:
                obj.pk = ids[index]
            if isinstance(obj, models.Model):
                obj._state.adding = False
                obj._state.db = connection.alias
    if return_ids and not returning:  # pragma: no cover - every supported database returns ids
        raise RuntimeError("this database cannot return ids from a multi-row insert")
