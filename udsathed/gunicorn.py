"""gunicorn settings for production: `gunicorn -c python:udsathed.gunicorn udsathed.wsgi`.

Each worker thread keeps at most one PostgreSQL connection open (`CONN_MAX_AGE`, no pool), so
the portal holds at most `workers × threads` connections, plus one per `db_worker`.
`database_connections_needed()` is what the reliability test compares with the server's
`max_connections`.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 30
# The background workers (`manage.py db_worker`), each holding one connection of its own.
task_workers = int(os.environ.get("TASK_WORKERS", "1"))
# Connections PostgreSQL keeps for superusers, plus room for backups and manage.py by hand.
headroom = 10


def database_connections_needed() -> int:
    return workers * threads + task_workers + headroom
