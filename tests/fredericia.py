"""The Fredericia strategy for the tests that ask for it, without loading its file each time.

tests/conftest.py loads the file once per test database, keeps the rows the load wrote and rolls
the load back; `insert_fredericia` writes those rows again, one INSERT per table.
"""

from django.apps import apps
from django.db import transaction

from themes.models import Strategy
from themes.services import STRATEGY_DIR

FREDERICIA = STRATEGY_DIR / "fredericia.toml"
FREDERICIA_ROWS: list[tuple[type, list]] = []


def rows_written_by(load) -> list[tuple[type, list]]:
    """Every row `load()` adds, per model, read back before its transaction is rolled back."""
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    models = [m for m in models if not m._meta.proxy]
    with transaction.atomic():
        before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in models}
        load()
        written = [(m, list(m._base_manager.exclude(pk__in=before[m]))) for m in models]
        transaction.set_rollback(True)
    return [(model, rows) for model, rows in written if rows]


def insert_fredericia() -> Strategy:
    """The rows of a fresh load of the Fredericia strategy. Their ids came from the sequences,
    which a rollback does not rewind, so no later insert collides with them; the foreign keys are
    checked at the end of the transaction (Django makes them deferred on PostgreSQL)."""
    assert FREDERICIA_ROWS, "the rows are kept by django_db_setup in tests/conftest.py"
    with transaction.atomic():
        for model, rows in FREDERICIA_ROWS:
            fields = [field for field in model._meta.concrete_fields if not field.generated]
            model._base_manager.bulk_create(
                model(**{field.attname: getattr(row, field.attname) for field in fields})
                for row in rows
            )
    return Strategy.objects.get(slug="fredericia")
