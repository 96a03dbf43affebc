"""One number that moves whenever data the pages show changes: the key of every cached page
and computation (udsathed/pagecache.py, evaluation/dashboard.py).

It is a PostgreSQL sequence: reading it is one cheap query, moving it takes no row lock (two
ball submissions never wait for each other), and every worker process and machine sees the same
number. A change moves it after its transaction commits, so nobody else can keep a page drawn
from the old rows under the new number. Inside the changing transaction itself (a management
command, a test), the next read moves it first, so that transaction never reads a copy made
before its own change.

Every save and delete of a model of the portal's own apps, and every change of their
many-to-many links, calls `changed()` through signals (`connect()`, from the project's app
config), except the few models that change in long runs and that no cached page shows: the
stamps of a newsletter or an invitation round being sent, and questionnaire answers (read only
in the admin). Whoever changes rows with `update()` or `bulk_create()` calls it itself.
"""

from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

SEQUENCE = "portal_data_version"
# Set on this thread's connection by a change inside a transaction, until the next read.
PENDING = "_portal_data_changed"
APPS = ["ambassadors", "networks", "themes", "evaluation"]
QUIET = {
    "ambassadors.NewsletterDelivery",
    "networks.ActivityInvitation",
    "evaluation.Respondent",
    "evaluation.Response",
    "evaluation.Answer",
}


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
        # A new sequence shows last_value 1 before its first nextval() as well as after it;
        # is_called tells them apart, so the first change is seen too.
        cursor.execute(
            f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE}"  # noqa: S608  # nosec B608 - a constant
        )
        return cursor.fetchone()[0]


def changed() -> None:
    if not connection.in_atomic_block:
        _move()
        return
    setattr(connection, PENDING, True)
    if not any(func is _after_commit for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_after_commit)


def _on_signal(sender, **kwargs) -> None:
    changed()


def connect() -> None:
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label
            if label in QUIET:
                continue
            post_save.connect(_on_signal, sender=model, dispatch_uid=f"data-save-{label}")
            post_delete.connect(_on_signal, sender=model, dispatch_uid=f"data-delete-{label}")
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    _on_signal, sender=field.remote_field.through, dispatch_uid=f"data-m2m-{field}"
                )
