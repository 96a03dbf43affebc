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


def post_fork(server, worker):
    """Keep the garbage collector off the objects every request shares.

    A worker starts with the whole app in memory (URL patterns, templates, translations):
    tens of thousands of long-lived objects that each full collection would walk again.
    `gc.freeze()` moves them out of the collector's sight, and a larger first threshold lets a
    request's short-lived objects go by reference counting before a collection runs."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
