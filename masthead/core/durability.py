"""Commits that must be on disk before anyone is told they happened.

On PostgreSQL Masthead may commit without waiting for the write-ahead log to reach the disk
(`MASTHEAD_PG_SYNCHRONOUS_COMMIT`, docs/architecture.md): a crash of the machine could then lose
the last fraction of a second of comments and votes, which readers can post again. Money cannot be
posted again: a payment provider that was answered 200 for a webhook does not send it a second
time. Transactions that record money call `commit_durably()`, which makes their own commit wait
whatever the default.
"""

from __future__ import annotations

from django.db import connections


def commit_durably(using: str = "default") -> None:
    """Inside a transaction: its commit returns only once it is on disk (PostgreSQL's
    `synchronous_commit`, for this transaction only). SQLite's commits are not changed."""
    connection = connections[using]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO on")
