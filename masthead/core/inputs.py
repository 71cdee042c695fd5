"""Integers from readers' input, read one way everywhere: ASCII digits only, within bounds.

`str.isdigit()` accepts digits `int()` refuses ("²", "①"), `int()` accepts digits no client means
(Arabic-Indic or fullwidth digits) and a number past 64 bits overflows the database driver; each was a 500 somewhere.
Every integer a request carries in a query string or a form goes through `parse_int`; the JSON API's
path and query integers use the bounded types below (pydantic applies them, OpenAPI documents them).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from ninja import Path, Query
from pydantic import BeforeValidator, Field

from masthead.core.errors import ApiError, invalid

# Ids of rows: positive, and well inside a 64-bit integer on SQLite and PostgreSQL alike.
MAX_ID = 2**62
# Offsets, counts and other non-negative amounts (a database integer of either engine).
MAX_COUNT = 2**31 - 1
_DIGITS = re.compile(r"-?[0-9]{1,19}")  # [0-9] is ASCII only (\d would take any script's digits)


def _ascii_integer(value: Any) -> Any:
    """Before pydantic's own int parsing, which takes "1_000" and " 7": a string must be digits."""
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise ValueError("must be a whole number (ASCII digits)")
    return value


AsciiInt = Annotated[int, BeforeValidator(_ascii_integer)]
"""An int that a string may carry only as ASCII digits (for schemas and query parameters)."""

Id = Annotated[int, BeforeValidator(_ascii_integer), Field(ge=1, lt=MAX_ID)]
"""A row id in a JSON body: 1 to 2**62 - 1 (else a 400 `invalid` naming the field)."""

PathId = Annotated[
    int, BeforeValidator(_ascii_integer), Path(ge=1, lt=MAX_ID, description="A positive id.")
]
"""A row id in a JSON API path: 1 to 2**62 - 1 (else a 400 `invalid`)."""


def query_int(default: Any, *, minimum: int, maximum: int, description: str = "") -> Any:
    """A bounded JSON API query integer, for `Annotated[AsciiInt, query_int(...)]`."""
    return Query(default, ge=minimum, le=maximum, description=description)


class IdConverter:
    """`<id:name>` in Django URL patterns: 1 to 18 ASCII digits (an id a 64-bit column can hold);
    anything longer does not match, so it is a 404 instead of an overflow in the database driver."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


def parse_int(value: Any, *, name: str, minimum: int, maximum: int) -> int:
    """`value` (a str of ASCII digits with an optional '-', or an int) as an int in [minimum, maximum].

    Anything else (other scripts' digits, signs, spaces, exponents, underscores, bools, floats, an
    empty string) raises ApiError 400 `invalid` whose message and `fields` name `name`.
    """
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    if number is None or not minimum <= number <= maximum:
        raise invalid(
            f"{name} must be a whole number from {minimum} to {maximum}.",
            **{name: f"A whole number from {minimum} to {maximum}."},
        )
    return number


def parse_optional_int(value: Any, *, name: str, minimum: int, maximum: int) -> int | None:
    """`parse_int`, with None for an absent or empty value."""
    if value is None or value == "":
        return None
    return parse_int(value, name=name, minimum=minimum, maximum=maximum)


def parse_id(value: Any, *, name: str) -> int:
    """A row id from a query string or a form (1 to MAX_ID - 1)."""
    return parse_int(value, name=name, minimum=1, maximum=MAX_ID - 1)


__all__ = [
    "MAX_COUNT",
    "MAX_ID",
    "ApiError",
    "AsciiInt",
    "Id",
    "IdConverter",
    "PathId",
    "parse_id",
    "parse_int",
    "parse_optional_int",
    "query_int",
]
