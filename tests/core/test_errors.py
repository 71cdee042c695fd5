"""The error vocabulary: one enum, documented in docs/api.md code for code."""

from __future__ import annotations

import re
from pathlib import Path

from masthead.core.errors import ApiError, ErrorCode

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_codes() -> list[str]:
    text = API_DOC.read_text(encoding="utf-8")
    section = text.split("## Error codes", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| (?:[0-9]{3}|any) \| `([a-z_]+)` \|", section, flags=re.MULTILINE)


def test_every_error_code_is_documented_once_and_nothing_else_is() -> None:
    documented = documented_codes()
    assert len(documented) == len(set(documented)), "a code is listed twice in docs/api.md"
    assert set(documented) == {code.value for code in ErrorCode}


def test_error_codes_render_as_their_plain_value() -> None:
    error = ApiError(ErrorCode.EDIT_WINDOW_CLOSED, "Too late.", 403, {"body": "Too late."})
    assert error.as_dict() == {
        "error": "edit_window_closed",
        "message": "Too late.",
        "fields": {"body": "Too late."},
    }
