"""One INSERT for a new row, without the ORM compiling the statement anew each time.

`Model.save()` builds its INSERT from scratch on every call; for a table of twenty columns that
is most of the cost of the anonymous ball submission, the portal's busiest write (issue #9:
about 0.6 ms of 1.5 ms per ball in the service, measured in-process). `insert_new` builds the
statement once per model from its fields and converts each value exactly as `save()` does
(`pre_save`, `get_db_prep_save`), so defaults, `auto_now_add` and foreign keys behave the same.

What it leaves out is what `save()` adds around the INSERT: no `pre_save`/`post_save` signals
and no `save()` override runs. Use it only for models that have neither beyond the data version
(`tests/test_inserts.py` holds that list to the truth); the caller moves the data version.
"""

from functools import cache

from django.db import connection
from django.db.models import Model


@cache
def _statement(model: type[Model]) -> tuple[str, list]:
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    # Names come from the model's own fields, never from input; values are parameters.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values}) "  # noqa: S608  # nosec B608
        f"RETURNING {quote(model._meta.pk.column)}"
    )
    return sql, fields


def insert_new(instance: Model) -> Model:
    """Write a new `instance` (no primary key yet) and give it its primary key."""
    if instance.pk is not None:
        raise ValueError("insert_new() writes new rows only")
    sql, fields = _statement(type(instance))
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance
