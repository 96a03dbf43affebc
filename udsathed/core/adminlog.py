"""The admin's change log names each object by its `str()`, which for people is their name.

When a person is erased, each app renames its own objects in that log to "<model> #<pk>", so
the record of who changed what and when stays while the name goes.
"""

from collections.abc import Iterable

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Value
from django.db.models.functions import Concat


def admin_log_forget(*, model: type[Model], pks: Iterable[int]) -> int:
    """Replace the logged name of the given objects of `model` by its kind and number."""
    object_ids = [str(pk) for pk in pks]
    if not object_ids:
        return 0
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return LogEntry.objects.filter(content_type=content_type, object_id__in=object_ids).update(
        object_repr=Concat(Value(f"{model._meta.model_name} #"), "object_id")
    )
