"""Content in the reader's language: one mechanism for every text people read.

Texts people read (the strategy, networks, activities, evaluation) are registered with
django-modeltranslation in each app's `translation.py`: `title` becomes `title_da` and `title_en`,
and reading `obj.title` gives the active language's text, or the Danish one where no English text
was written (MODELTRANSLATION_FALLBACK_LANGUAGES). These helpers answer the two questions the
descriptor does not: the text in a language other than the active one (a mail to someone else, a
ball's sender), and whether what is shown is the Danish fallback (so the page can say so and
mark it `lang="da"` for screen readers).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

__all__ = ["is_fallback", "text_in", "translated_fields"]


def translated_fields(model) -> tuple[str, ...]:
    """The names of `model`'s fields kept in every language (empty when none are)."""
    try:
        return tuple(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()


def _own(obj, field: str, language: str) -> str:
    return getattr(obj, build_localized_fieldname(field, language), None) or ""


def text_in(obj, field: str, language: str) -> str:
    """`obj`'s `field` in `language`, or in Danish where it has none."""
    if field not in translated_fields(type(obj)):
        return getattr(obj, field)
    return _own(obj, field, language) or _own(obj, field, settings.LANGUAGE_CODE)


def is_fallback(obj, field: str, language: str | None = None) -> bool:
    """Whether `obj`'s `field`, read in `language` (the active one), shows the Danish text."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if language == settings.LANGUAGE_CODE or field not in translated_fields(type(obj)):
        return False
    return not _own(obj, field, language) and bool(_own(obj, field, settings.LANGUAGE_CODE))


def fill_default_language(app_label: str, fields: dict[str, tuple[str, ...]]):
    """A migration step that copies each field's current text into its Danish column.

    Before the texts were kept per language, `title` held the Danish text (and a hand-made
    `title_en` the English one, which keeps its column). Copied by the database, so every row
    keeps exactly the text it had; it was masked when it was first saved.
    """
    from django.db.models import F

    def forwards(apps, schema_editor):
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            model.objects.update(
                **{
                    build_localized_fieldname(name, settings.LANGUAGE_CODE): F(name)
                    for name in names
                }
            )

    return forwards


def in_default_language(model, values: dict) -> dict:
    """`values` with each translated field's name turned into its Danish column's name.

    Strategy files and seed data name a text `title` (Danish) and `title_en` (English); writing
    `title_da` rather than `title` keeps the write from depending on the language active when a
    command or task runs.
    """
    fields = translated_fields(model)
    return {
        build_localized_fieldname(name, settings.LANGUAGE_CODE) if name in fields else name: value
        for name, value in values.items()
    }
