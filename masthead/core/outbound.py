"""Calls to services outside Masthead (a spam checker, the payment provider).

A request that waits on another service's answer should hold nothing the server's other requests
need meanwhile. The serving layer decides what that is (on SQLite, a process's writing requests take
turns, `core/turns.py`); domain code only says when it waits, by calling out through `fetch` or
inside `waiting_on_network()`, and never knows which server or database it runs on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from email.message import Message
from urllib.request import Request, urlopen

from masthead.core.turns import outside_write_turn


@contextlib.contextmanager
def waiting_on_network() -> Iterator[None]:
    """The block waits on another service: let the process's other writes go on meanwhile."""
    with outside_write_turn():
        yield


def fetch(request: Request, timeout: float, limit: int) -> tuple[bytes, Message]:
    """Send `request` and read at most `limit` bytes of the answer: (body, headers).

    Raises what `urllib.request.urlopen` raises (HTTPError, URLError, TimeoutError, OSError...).
    """
    with waiting_on_network(), urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.read(limit), response.headers
