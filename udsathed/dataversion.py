"""One number that moves whenever data the pages show changes: the key of every cached page
and computation (udsathed/pagecache.py, evaluation/dashboard.py).

It is a PostgreSQL sequence: reading it is one cheap query, moving it takes no row lock (two
ball submissions never wait for each other), and every worker process and machine sees the same
number. A change moves it after its transaction commits, so nobody else can keep a page drawn
from the old rows under the new number. Inside the changing transaction itself (a management
command, a test), the next read moves it first, so that transaction never reads a copy made
before its own change.

Saves and deletes of the portal's models call `changed()` through signals
(evaluation/signals.py); whoever changes rows with `update()` or `bulk_create()` calls it
itself.
"""

from django.db import connection, transaction

SEQUENCE = "portal_data_version"
# Set on this thread's connection by a change inside a transaction, until the next read.
PENDING = "_portal_data_changed"


def _move() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SEQUENCE])
        return cursor.fetchone()[0]


def _after_commit() -> None:
    setattr(connection, PENDING, False)
    _move()


def current() -> int:
    if getattr(connection, PENDING, False):
        setattr(connection, PENDING, False)
        return _move()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {SEQUENCE}")  # noqa: S608  # nosec B608 - a constant
        return cursor.fetchone()[0]


def changed() -> None:
    if not connection.in_atomic_block:
        _move()
        return
    setattr(connection, PENDING, True)
    if not any(func is _after_commit for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_after_commit)
