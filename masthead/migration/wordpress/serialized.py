"""A small, safe reader of PHP's `serialize()` format, for the plugin meta WordPress exports.

Only scalars and arrays are read (`a:`, `s:`, `i:`, `d:`, `b:`, `N;`); objects (`O:`, `C:`) and
references are refused, so a crafted value can never name a class. Lengths are PHP's byte counts.
"""

from __future__ import annotations

PhpValue = None | bool | int | float | str | dict[object, object]
MAX_DEPTH = 16


class PhpSerializeError(ValueError):
    pass


def php_unserialize(text: str) -> PhpValue:
    data = text.encode("utf-8")
    value, end = _read(data, 0, 0)
    if end != len(data):
        raise PhpSerializeError("trailing data")
    return value


def _until(data: bytes, start: int, stop: bytes) -> tuple[bytes, int]:
    end = data.find(stop, start)
    if end < 0:
        raise PhpSerializeError("unterminated value")
    return data[start:end], end + len(stop)


def _read(data: bytes, at: int, depth: int) -> tuple[PhpValue, int]:
    if depth > MAX_DEPTH:
        raise PhpSerializeError("nested too deeply")
    kind = data[at : at + 2]
    if data[at : at + 2] == b"N;":
        return None, at + 2
    if kind == b"b:":
        raw, at = _until(data, at + 2, b";")
        return raw == b"1", at
    if kind == b"i:":
        raw, at = _until(data, at + 2, b";")
        return int(raw), at
    if kind == b"d:":
        raw, at = _until(data, at + 2, b";")
        return float(raw), at
    if kind == b"s:":
        raw, at = _until(data, at + 2, b":")
        length = int(raw)
        if data[at : at + 1] != b'"' or length < 0:
            raise PhpSerializeError("bad string")
        value = data[at + 1 : at + 1 + length]
        if len(value) != length or data[at + 1 + length : at + 3 + length] != b'";':
            raise PhpSerializeError("string length does not match")
        return value.decode("utf-8", errors="replace"), at + 3 + length
    if kind == b"a:":
        raw, at = _until(data, at + 2, b":{")
        count = int(raw)
        result: dict[object, object] = {}
        for _ in range(count):
            item_key, at = _read(data, at, depth + 1)
            if not isinstance(item_key, int | str):
                raise PhpSerializeError("array keys are integers or strings")
            result[item_key], at = _read(data, at, depth + 1)
        if data[at : at + 1] != b"}":
            raise PhpSerializeError("unterminated array")
        return result, at + 1
    raise PhpSerializeError(f"unsupported value {kind!r}")


def wpdiscuz_votes(meta: dict[str, str]) -> tuple[int, int]:
    """(upvotes, downvotes) from wpDiscuz's comment meta.

    `wpdiscuz_votes_seperate` (wpDiscuz 7: `{like: n, dislike: m}`, serialised) has both counts;
    older versions keep only `wpdiscuz_votes`, their sum, which is read as up or down votes.
    """
    separate = meta.get("wpdiscuz_votes_seperate", "")
    if separate:
        try:
            value = php_unserialize(separate)
        except (PhpSerializeError, ValueError):
            value = None
        if isinstance(value, dict):
            return _count(value.get("like")), _count(value.get("dislike"))
    try:
        total = int(meta.get("wpdiscuz_votes", "0").strip() or 0)
    except ValueError:
        return 0, 0
    return (total, 0) if total >= 0 else (0, -total)


def _count(value: object) -> int:
    # Some wpDiscuz versions keep dislikes as a negative number: the count is its size.
    try:
        return abs(int(str(value)))
    except ValueError:
        return 0
