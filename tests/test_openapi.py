"""The public API is a contract: its OpenAPI document is served, and changes to it are deliberate.

After an intended API change, refresh the snapshot with `make openapi-snapshot` and commit it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def current_schema() -> dict[str, Any]:
    from masthead.api import api

    return json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True, default=str))


def test_openapi_document_is_served(client: Any, db: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Masthead API"
    assert "/api/v1/threads/{thread_id}/comments" in document["paths"]


def test_openapi_document_matches_the_committed_snapshot() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    actual = current_schema()
    changed_paths = sorted(set(expected["paths"]) ^ set(actual["paths"]))
    assert not changed_paths, (
        f"API paths changed: {changed_paths}; run `make openapi-snapshot` if intended"
    )
    assert actual == expected, (
        "The API schema changed; run `make openapi-snapshot` if intended and commit it"
    )
