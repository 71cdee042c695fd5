"""The tests keep one definition of each shared helper (tests/README.md): copies drift apart, as
`a_moderator` once meant a superuser in one app and a Moderators-group user in another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
HOMES = {TESTS / "helpers.py", TESTS / "conftest.py"}
# Defined in tests/helpers.py or tests/conftest.py, and nowhere else.
SHARED = {
    "a_guest",
    "a_moderator",
    "a_moderator_user",
    "a_reader",
    "a_verified_user",
    "another_guest",
    "assert_error",
    "comment_input",
    "ensure_wagtail_root",
    "free_port",
    "guest_actor",
    "hostile_strings",
    "make_campaign",
    "stop_process",
    "worker_redis_db",
    "moderator_actor",
    "Reader",
    "user_actor",
    "verify_address",
    "_fresh_cache",
}


def modules() -> list[Path]:
    return sorted(path for path in TESTS.rglob("*.py") if "__pycache__" not in path.parts)


def test_shared_helpers_are_defined_once() -> None:
    copies = []
    for path in modules():
        if path in HOMES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            defined = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            if defined and node.name in SHARED:
                copies.append(f"{path.relative_to(TESTS)}:{node.lineno} {node.name}")
    assert copies == [], "use tests/helpers.py or tests/conftest.py instead"


def test_no_test_module_imports_another_test_module_or_another_directorys_conftest() -> None:
    found = []
    for path in modules():
        here = path.relative_to(TESTS).parts[0] if path.parent != TESTS else ""
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("tests."):
                continue
            parts = node.module.split(".")  # type: ignore[union-attr]
            another_test_module = parts[-1].startswith("test_")
            elsewhere_conftest = parts[-1] == "conftest" and parts[1:-1] != [here]
            if another_test_module or elsewhere_conftest:
                found.append(f"{path.relative_to(TESTS)}: from {node.module}")
    assert found == [], "move the shared helper into tests/helpers.py"


def test_on_commit_work_is_not_run_by_slicing_the_connection() -> None:
    sliced = [
        str(path.relative_to(TESTS))
        for path in modules()
        if path != Path(__file__).resolve() and "connection.run_on_commit" in path.read_text()
    ]
    assert sliced == [], "use django_capture_on_commit_callbacks(execute=True)"
