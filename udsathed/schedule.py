"""One scheduler fires the scheduled work (udsathed/tasks.py), however many machines run one.

Every machine may run `manage.py crontask` (the systemd unit deploy/portal-scheduler.service
does); they elect one with a PostgreSQL advisory lock, so no Redis is needed. The lock is held
by the scheduler PROCESS, not taken per firing:

- The holder takes `pg_try_advisory_lock(LOCK_KEY)` on a connection of its own and keeps that
  connection, and so the lock, for as long as it runs. Only the holder has jobs running at all;
  the others stand by and try again every SCHEDULER_STANDBY_SECONDS.
- Per firing would not be enough: a lock taken and released around each enqueue lets a second
  machine, whose clock is a second behind, take it after the first released it and enqueue the
  same job again. A lock held for the process's life has no such window.
- When the holder dies, PostgreSQL ends its session and so frees the lock, and a standby takes
  over. A machine that vanishes without closing its connection is noticed by the server's TCP
  keepalives, which this connection sets short (about a minute). A holder whose connection
  breaks (the database restarted) notices within LOCK_REFRESH_INTERVAL seconds (crontask's
  periodic `extend`) and stops; systemd starts it again to stand by. Each firing also checks
  the lock first, so a holder that lost it between two checks enqueues nothing.
- A firing missed during a takeover is not made up; every job is safe to run late or twice
  (they act on what the data says is due), and the next firing does the work.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

import psycopg
from crontask.utils import LockError
from django.conf import settings
from django.db import close_old_connections

from udsathed.backup import psycopg_arguments

logger = logging.getLogger("portal.schedule")

# "udsathed" in ASCII, one signed 64-bit key: the portal's scheduler in this database (advisory
# locks are per database, so other databases on the same server do not share it).
LOCK_KEY = 0x7564736174686564
# Server-side keepalives for the lock's connection: a holder machine that vanishes frees the
# lock after about 30 + 3 × 10 seconds (ignored on Unix sockets, where the kernel knows at once).
KEEPALIVE_OPTIONS = (
    "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3"
)


class LockLost(LockError):
    """The scheduler's lock is no longer held (its connection broke); the scheduler must stop."""


class SchedulerLock:
    """The advisory lock a scheduler process holds while it runs (see the module docstring).

    Used as crontask uses its Redis lock: `with lock:` waits until this process holds it,
    `extend()` (called every LOCK_REFRESH_INTERVAL seconds) raises LockLost when it is gone.
    """

    def __init__(
        self,
        *,
        settings_dict: dict,
        standby_seconds: float | None = None,
        stop: threading.Event | None = None,
        on_standby: Callable[[], None] | None = None,
    ):
        self.settings_dict = settings_dict
        self.standby_seconds = (
            settings.SCHEDULER_STANDBY_SECONDS if standby_seconds is None else standby_seconds
        )
        self.stop = stop or threading.Event()
        self.on_standby = on_standby
        self.connection: psycopg.Connection | None = None
        self.guard = threading.Lock()  # one query at a time on the lock's connection

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(
            **psycopg_arguments(self.settings_dict),
            application_name="portal-scheduler",
            options=KEEPALIVE_OPTIONS,
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
            connect_timeout=10,
        )

    def try_acquire(self) -> bool:
        """Take the lock if no other scheduler holds it; never waits."""
        with self.guard:
            if self.connection is None or self.connection.closed:
                self.connection = self.connect()
            row = self.connection.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]).fetchone()
            return bool(row[0])

    def held(self) -> bool:
        """Whether this process still holds the lock (its session is alive and has it)."""
        with self.guard:
            if self.connection is None or self.connection.closed:
                return False
            try:
                row = self.connection.execute(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted "
                    "AND classid = %s AND objid = %s AND objsubid = 1)",
                    [LOCK_KEY >> 32, LOCK_KEY & 0xFFFFFFFF],
                ).fetchone()
            except psycopg.Error:
                return False
            return bool(row[0])

    def acquire(self) -> bool:
        """Wait until this process holds the lock; False if `stop` was set meanwhile."""
        told = False
        while not self.stop.is_set():
            try:
                if self.try_acquire():
                    logger.info("This scheduler holds the lock and fires the schedule.")
                    return True
            except psycopg.OperationalError as exc:
                logger.warning("The scheduler cannot reach the database: %s", exc)
                self.close()
            if not told:
                logger.info("Another scheduler holds the lock; standing by.")
                if self.on_standby is not None:
                    self.on_standby()
                told = True
            self.stop.wait(self.standby_seconds)
        return False

    def release(self) -> None:
        """Unlock, then end the session. Ending the session alone frees the lock too, but only
        once the server's backend has gone, a moment after the client closed: a standby that
        asks in that moment is refused, so the unlock is said and answered first."""
        with self.guard:
            if self.connection is not None and not self.connection.closed:
                with contextlib.suppress(psycopg.Error):  # a lost session holds nothing
                    self.connection.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        self.close()

    def close(self) -> None:
        with self.guard:
            if self.connection is not None:
                self.connection.close()
                self.connection = None

    # The interface of crontask's lock (crontask.utils): a context manager with `extend`.
    def __enter__(self) -> SchedulerLock:
        if not self.acquire():
            raise LockError("The scheduler was stopped before it got the lock.")
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def extend(self, additional_time=None, replace_ttl=False) -> bool:
        if not self.held():
            logger.error("The scheduler lost its lock; stopping so that another can take over.")
            raise LockLost("The scheduler's lock is no longer held.")
        return True


def fire(enqueue: Callable[[], object], lock: SchedulerLock, name: str) -> None:
    """One firing of one job: enqueue its task, if this process still holds the lock.

    The scheduler runs firings on threads of its own, each with its own Django connection, and
    outside any request, so nothing else closes a connection that broke or grew old: done here,
    before and after."""
    if not lock.held():
        logger.error("Not firing %s: this scheduler no longer holds the lock.", name)
        return
    close_old_connections()
    try:
        enqueue()
        logger.info("Enqueued %s.", name)
    finally:
        close_old_connections()


def guard_jobs(scheduler, lock: SchedulerLock) -> None:
    """Make every job registered with crontask fire through `fire` (before the scheduler starts)."""
    for job in scheduler.get_jobs():
        if job.name == "crontask.utils.lock.extend":
            continue
        job.modify(func=fire, args=(job.func, lock, job.name), kwargs={})
