"""A look at a socket that asks nobody: used where a peer's message, if any, is already waiting."""

from __future__ import annotations

import select


def has_input(fileno: int) -> bool:
    """Whether something waits to be read on `fileno` (data, or the peer's end), without waiting."""
    poller = select.poll()
    poller.register(fileno, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
