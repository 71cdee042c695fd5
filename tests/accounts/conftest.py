"""Account fixtures: a verified reader, signed in (built with tests/helpers.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import make_reader


@pytest.fixture
def a_verified_reader(db: Any) -> Any:
    return make_reader()


@pytest.fixture
def signed_in(client: Any, a_verified_reader: Any) -> Any:
    client.force_login(a_verified_reader)
    return client
