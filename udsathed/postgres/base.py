"""Django's PostgreSQL backend, with a cheaper health check for kept connections.

`CONN_HEALTH_CHECKS` makes Django test a kept connection before the first query of each request,
with a `SELECT 1` round trip: on a page served from the page cache that doubles the database
work. A connection the server has ended (a restart, `pg_terminate_backend`, an idle timeout)
has the server's goodbye waiting on its socket, or is already known to psycopg as closed; a
healthy idle connection has nothing to read. So the socket is looked at first, without waiting,
and only when something is there (or the connection is not idle) does the round trip decide.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status == TransactionStatus.IDLE:
            try:
                waiting, _, _ = select.select([connection.fileno()], [], [], 0)
            except (OSError, ValueError):  # the socket itself is gone
                return False
            if not waiting:
                return True
        return super().is_usable()  # something arrived, or mid-transaction: ask the server
