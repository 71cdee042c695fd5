"""PostgreSQL whose health check between requests costs no round trip to the server.

Django checks a kept connection before a request uses it (`CONN_HEALTH_CHECKS`) by sending
`SELECT 1`: one of a post's dozen round trips, each a wake-up of the worker and of its server
process. A connection idle between requests has nothing to say; when PostgreSQL ends it (a restart,
`pg_terminate_backend`, a crash) the server's last message or the socket's end is waiting to be
read. So an idle connection with nothing to read is healthy; one with something to read, or in any
other state, gets Django's own `SELECT 1`.
"""

from __future__ import annotations

from django.db.backends.postgresql import base
from psycopg import pq

from masthead.core.sockets import has_input


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            idle = connection.info.transaction_status == pq.TransactionStatus.IDLE
            quiet = idle and not has_input(connection.fileno())
        except (OSError, ValueError):
            return False
        return True if quiet else bool(super().is_usable())
