"""Model fields for free text that mask CPR numbers on every way into the database.

SECURITY.md (privacy 6) promises that CPR numbers are masked before saving in every free-text
field, whatever the path: public form, Min side, admin, import, API. The model field is the one
place every path goes through, so the masking lives here and not in the views or services:

* ``pre_save`` masks the instance's value, so ``save()``, ``bulk_create()`` and the object in
  memory all hold the masked text afterwards;
* ``get_prep_value`` masks too, so ``QuerySet.update()``, ``bulk_update()``, fixtures
  (``loaddata`` saves raw, without ``pre_save``) and exact lookups get it as well.

Values the database computes (``F()``, ``Concat()``, ...) are not seen by Python and so are not
masked; no code path writes free text that way.

Masking ``DDMMYYSSSS`` as ``DDMMYY-XXXX`` adds a character. Where that would make the text longer
than the field's ``max_length`` (a full title ending in a number), the separator is left as it
was, so the text keeps its length and still fits the column.

A form may still call :func:`udsathed.core.cpr.mask_cpr` itself to warn its sender; the field finds
nothing left to mask then. Log only counts, never the numbers.
"""

from __future__ import annotations

from django.db import models

from udsathed.core.cpr import MASK, find_cpr_numbers, mask_cpr

__all__ = [
    "CprMaskedCharField",
    "CprMaskedCountField",
    "CprMaskedTextField",
    "mask_stored_texts",
]


def _mask(text: str, max_length: int | None) -> tuple[str, int]:
    """``text`` masked by the CPR rule, never longer than ``max_length``, and the count."""
    masked, count = mask_cpr(text)
    if not count or max_length is None or len(masked) <= max_length:
        return masked, count
    # Keep each number's own separator (or none), so the text keeps its length.
    parts: list[str] = []
    position = 0
    for match in find_cpr_numbers(text):
        parts += [text[position : match.start()], match["date"], match["sep"], MASK]
        position = match.end()
    parts.append(text[position:])
    return "".join(parts), count


class CprMaskedMixin:
    """Masks CPR numbers in the value before it reaches the database (see the module).

    ``counted_in``: the name of a :class:`CprMaskedCountField` on the same model that adds up how
    many numbers were masked in this field (``Ball.cpr_masked``, which the sender is told about).
    """

    def __init__(self, *args, counted_in: str | None = None, **kwargs):
        self.counted_in = counted_in
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.counted_in is not None:
            kwargs["counted_in"] = self.counted_in
        return name, path, args, kwargs

    def mask_instance_value(self, model_instance: models.Model) -> str | None:
        """Mask the instance's value in place, count it where asked, and return it."""
        value = getattr(model_instance, self.attname)
        if not isinstance(value, str) or not value:
            return value
        masked, count = _mask(value, self.max_length)
        if count:
            setattr(model_instance, self.attname, masked)
            if self.counted_in is not None:
                total = getattr(model_instance, self.counted_in) or 0
                setattr(model_instance, self.counted_in, total + count)
        return masked

    def pre_save(self, model_instance, add):
        super().pre_save(model_instance, add)
        return self.mask_instance_value(model_instance)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, str) and value:
            value = _mask(value, self.max_length)[0]
        return value


class CprMaskedCharField(CprMaskedMixin, models.CharField):
    """A ``CharField`` for free text a person types: CPR numbers are masked before saving."""


class CprMaskedTextField(CprMaskedMixin, models.TextField):
    """A ``TextField`` for free text a person types: CPR numbers are masked before saving."""


class CprMaskedCountField(models.PositiveSmallIntegerField):
    """How many CPR numbers were masked in the fields that name it in ``counted_in``.

    Its own ``pre_save`` masks those fields first, so the count written with the row is right
    whatever the order in which the fields are declared."""

    def pre_save(self, model_instance, add):
        for field in model_instance._meta.concrete_fields:
            if isinstance(field, CprMaskedMixin) and field.counted_in == self.name:
                field.mask_instance_value(model_instance)
        return super().pre_save(model_instance, add)


def mask_stored_texts(app_label: str):
    """A ``RunPython`` function masking what an app's masked fields already hold in the database.

    Rows saved before the fields masked are rewritten once; the counts are left as they were."""

    def run(apps, schema_editor):
        for model in apps.get_app_config(app_label).get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, CprMaskedMixin)]
            if not fields:
                continue
            manager = model._base_manager.db_manager(schema_editor.connection.alias)
            names = [field.attname for field in fields]
            for row in manager.values_list("pk", *names).iterator():
                changes = {}
                for field, value in zip(fields, row[1:], strict=True):
                    if isinstance(value, str) and value:
                        masked, count = _mask(value, field.max_length)
                        if count:
                            changes[field.attname] = masked
                if changes:
                    manager.filter(pk=row[0]).update(**changes)

    return run
