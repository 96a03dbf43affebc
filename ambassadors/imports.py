"""Bringing in an existing list of ambassadors (xlsx or CSV), for the admin and
`manage.py import_ambassadors`.

The rules live here, once: columns are found by their header in Danish or English; a row is
new, already known (the same e-mail in any case, in the portal or earlier in the file) or an
error naming the value, the field and the reason. The import runs through django-import-export's
`Resource` inside one transaction: a dry run (the preview) and an import with any row in error
are rolled back whole, unless the leader chose to skip the bad rows; a known ambassador is
updated only when the leader chose that.

Imported people have not consented through the portal: they are *invited* (`invited_at`),
count nowhere, get no newsletter, are mailed an invitation by the worker after the import
commits (`ambassadors.tasks.send_ambassador_invitations`), are reminded once and are deleted
by `apply_retention` when 30 days pass without an answer.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import EMPTY_VALUES
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX
from import_export.results import RowResult
from simple_history.utils import bulk_create_with_history

from ambassadors.forms import AMBASSADOR_VALIDATORS
from ambassadors.models import Ambassador, AmbassadorKind, ConsentKind, ConsentRecord
from ambassadors.tasks import send_ambassador_invitations
from themes.models import CoreArea, Theme
from udsathed.core.validators import (
    normalise_phone,
)

# How a header may be written, in Danish or English (compared lower-cased, spaces collapsed).
HEADERS = {
    "name": ["navn", "name", "fulde navn", "full name"],
    "email": ["e-mail", "email", "e-mailadresse", "e-mail address", "mail"],
    "kind": ["type", "kind", "ambassadørtype", "ambassador type"],
    "organisation_name": [
        "organisation",
        "organization",
        "forening",
        "organisationens navn",
        "organisation name",
    ],
    "postcode": ["postnummer", "postnr", "postnr.", "postcode", "postal code", "zip"],
    "phone": ["telefon", "telefonnummer", "tlf", "tlf.", "phone", "phone number", "mobil"],
    "themes": ["temaer", "tema", "themes", "theme"],
    "core_areas": ["kerneområder", "kerneområde", "core areas", "core area", "core_areas"],
    "language": ["sprog", "language"],
}
REQUIRED = ["name", "email", "kind"]
LANGUAGES = {
    "": "da",
    "da": "da",
    "dansk": "da",
    "danish": "da",
    "en": "en",
    "engelsk": "en",
    "english": "en",
}
# Personal texts, checked as the public forms check them.
PLAIN_TEXT = ["name", "organisation_name", "phone", "postcode"]
MAX_SOURCE = 200
BATCH = 500


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


class RowOutcome:
    NEW = "new"
    KNOWN = "known"
    UPDATE = "update"
    ERROR = "error"
    LABELS = {
        NEW: gettext_lazy("new"),
        KNOWN: gettext_lazy("already known"),
        UPDATE: gettext_lazy("already known, updated"),
        ERROR: gettext_lazy("error"),
    }


@dataclass
class PreviewRow:
    line: int  # the row's number in the spreadsheet (the header is row 1)
    outcome: str
    email: str
    name: str
    messages: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(RowOutcome.LABELS[self.outcome])


@dataclass
class ImportReport:
    file_name: str
    rows: list[PreviewRow]
    written: bool
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def has_errors(self) -> bool:
        return any(row.outcome == RowOutcome.ERROR for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in RowOutcome.LABELS}


def _key(header) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().rstrip(":").lower()


def map_headers(headers: list) -> tuple[list[str], list[str]]:
    """The file's headers as field names; unknown columns are kept under their own header and
    reported as ignored. A missing required column is an error for the whole file."""
    aliases = {alias: name for name, names in HEADERS.items() for alias in names}
    mapped, ignored = [], []
    for header in headers:
        name = aliases.get(_key(header))
        if name is None or name in mapped:
            ignored.append(str(header or ""))
            mapped.append(f"ignored:{len(mapped)}")
        else:
            mapped.append(name)
    missing = [name for name in REQUIRED if name not in mapped]
    if missing:
        raise ImportFileError(
            _("The file has no column for: %(columns)s. The first row must hold the headers.")
            % {"columns": ", ".join(HEADERS[name][0] for name in missing)}
        )
    return mapped, ignored


def read_file(content: bytes, file_name: str) -> tablib.Dataset:
    """An .xlsx or .csv file as a dataset (CSV: UTF-8 or Windows-1252, ; or , between cells)."""
    try:
        if file_name.lower().endswith(".xlsx"):
            return XLSX().create_dataset(content)
        if file_name.lower().endswith(".csv"):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp1252")
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") >= first.count(",") else ","
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
            rows = [row for row in rows if any(cell.strip() for cell in row)]
            if not rows:
                raise ImportFileError(_("The file is empty."))
            width = len(rows[0])
            dataset = tablib.Dataset(headers=rows[0])
            for row in rows[1:]:
                dataset.append((row + [""] * width)[:width])
            return dataset
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            _("The file could not be read as %(format)s: %(error)s")
            % {"format": file_name.rsplit(".", 1)[-1], "error": type(exc).__name__}
        ) from exc
    raise ImportFileError(_("Choose an Excel file (.xlsx) or a CSV file (.csv)."))


def dataset_as_text(dataset: tablib.Dataset) -> tuple[list[str], list[list[str]]]:
    """The headers and the cells as plain strings, to carry between the preview and the import."""
    return [_text(header) for header in dataset.headers or []], [
        [_text(cell) for cell in row] for row in dataset
    ]


def dataset_from_text(headers: list[str], rows: list[list[str]]) -> tablib.Dataset:
    return tablib.Dataset(*[tuple(row) for row in rows], headers=headers)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps postcodes and phone numbers as numbers
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)


class KindWidget(widgets.Widget):
    """A kind by its code or its label in Danish or English."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            raise ValueError(_("Write the kind of ambassador."))
        names = {}
        for code, label in AmbassadorKind.choices:
            names[code] = code
            for language in ("da", "en"):
                with translation.override(language):
                    names[str(label).lower()] = code
        code = names.get(text.lower())
        if code is None:
            with translation.override("da"):
                choices = ", ".join(str(label) for _code, label in AmbassadorKind.choices)
            raise ValueError(
                _("“%(value)s” is not a kind of ambassador. Use one of: %(choices)s.")
                % {"value": text, "choices": choices}
            )
        return code


class InterestsWidget(widgets.ManyToManyWidget):
    """Themes or core areas of the active strategy, by number or name, between , or ;."""

    def __init__(self, model, by_number: dict, by_name: dict, **kwargs):
        super().__init__(model, **kwargs)
        self.by_number = by_number
        self.by_name = by_name

    def clean(self, value, row=None, **kwargs):
        found, unknown = [], []
        for part in re.split(r"[;,\n]", _text(value)):
            part = part.strip()
            if not part:
                continue
            number = re.match(r"^(\d+)\.?(?:\s+(.*))?$", part)
            item = None
            if number:
                item = self.by_number.get(int(number.group(1)))
            if item is None:
                item = self.by_name.get(part.lower())
            if item is None:
                unknown.append(part)
            elif item not in found:
                found.append(item)
        if unknown:
            raise ValueError(
                _("Unknown: %(values)s. Write the number or the name.")
                % {"values": ", ".join(f"“{part}”" for part in unknown)}
            )
        return found


class AmbassadorImportResource(resources.ModelResource):
    """One row per person; see the module docstring for the rules."""

    name = fields.Field(attribute="name", column_name="name", widget=TextWidget())
    email = fields.Field(attribute="email", column_name="email", widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name="kind", widget=KindWidget())
    organisation_name = fields.Field(
        attribute="organisation_name", column_name="organisation_name", widget=TextWidget()
    )
    postcode = fields.Field(attribute="postcode", column_name="postcode", widget=TextWidget())
    phone = fields.Field(attribute="phone", column_name="phone", widget=TextWidget())
    language = fields.Field(attribute="language", column_name="language", widget=TextWidget())

    class Meta:
        model = Ambassador
        fields = [
            "name",
            "email",
            "kind",
            "organisation_name",
            "postcode",
            "phone",
            "themes",
            "core_areas",
            "language",
        ]
        import_id_fields = ["email"]
        skip_diff = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, update_existing: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.update_existing = update_existing
        themes = list(Theme.objects.of_active_strategy())
        areas = list(CoreArea.objects.of_active_strategy())
        self.fields["themes"] = fields.Field(
            attribute="themes",
            column_name="themes",
            widget=InterestsWidget(
                Theme,
                by_number={theme.number: theme for theme in themes},
                by_name={theme.title.lower(): theme for theme in themes},
            ),
        )
        self.fields["core_areas"] = fields.Field(
            attribute="core_areas",
            column_name="core_areas",
            widget=InterestsWidget(
                CoreArea,
                by_number={area.position: area for area in areas},
                by_name={area.name.lower(): area for area in areas},
            ),
        )
        self.rows: list[PreviewRow] = []

    # The file, and who brings it in, for the consent record.
    def before_import(self, dataset, **kwargs):
        self.file_name = kwargs.get("file_name") or ""
        user = kwargs.get("user")
        self.user_name = getattr(user, "get_username", lambda: str(user or ""))()
        self.now = timezone.now()
        # Who is known already, by e-mail in any case: one query for the whole file.
        self.known = dict(
            Ambassador.objects.not_erased().annotate(key=Lower("email")).values_list("key", "pk")
        )
        self.seen: dict[str, int] = {}
        self.pending: list[tuple[Ambassador, dict]] = []

    def get_instance(self, instance_loader, row):
        pk = self.known.get(_text(row.get("email")).lower())
        return Ambassador.objects.get(pk=pk) if pk else None

    def import_row(self, row, instance_loader, **kwargs):
        line = kwargs["row_number"] + 1
        email = _text(row.get("email"))
        name = _text(row.get("name"))
        key = email.lower()
        if key and key in self.seen:
            return self._skipped(
                line, email, name, _("The same e-mail as row %(row)s.") % {"row": self.seen[key]}
            )
        if key:
            self.seen[key] = line
        if key in self.known and not self.update_existing:
            return self._skipped(line, email, name, _("Already in the portal; left unchanged."))
        result = super().import_row(row, instance_loader, **kwargs)
        preview = PreviewRow(line=line, outcome=RowOutcome.NEW, email=email, name=name)
        if result.import_type in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR):
            preview.outcome = RowOutcome.ERROR
            preview.messages = self._messages(row, result)
        elif result.import_type == RowResult.IMPORT_TYPE_UPDATE:
            preview.outcome = RowOutcome.UPDATE
        self.rows.append(preview)
        return result

    def _skipped(self, line, email, name, message) -> RowResult:
        self.rows.append(
            PreviewRow(
                line=line, outcome=RowOutcome.KNOWN, email=email, name=name, messages=[message]
            )
        )
        result = RowResult()
        result.import_type = RowResult.IMPORT_TYPE_SKIP
        return result

    def _messages(self, row, result: RowResult) -> list[str]:
        if result.import_type == RowResult.IMPORT_TYPE_ERROR:
            return [
                _("The row could not be saved (%(error)s).")
                % {"error": type(result.errors[0].error).__name__}
            ]
        messages = []
        for name, errors in result.validation_error.message_dict.items():
            if name == "__all__":
                messages.extend(errors)
                continue
            label = str(Ambassador._meta.get_field(name).verbose_name)
            value = _text(row.get(name))
            for error in errors:
                messages.append(
                    _("%(field)s “%(value)s”: %(reason)s")
                    % {"field": label.capitalize(), "value": value, "reason": error}
                )
        return messages

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        instance.phone = normalise_phone(instance.phone)
        if "language" in row and "language" not in errors:
            language = LANGUAGES.get(instance.language.lower())
            if language is None:
                errors["language"] = [_("Write da or en.")]
            else:
                instance.language = language
        # The forms' checks on the columns the file has, skipped for an empty value as a form
        # skips them.
        for name, validators in AMBASSADOR_VALIDATORS.items():
            value = getattr(instance, name)
            if name not in row or name in errors or value in EMPTY_VALUES:
                continue
            for validator in validators:
                try:
                    validator(value)
                except ValidationError as exc:
                    errors.setdefault(name, []).extend(exc.messages)
                    break
        # The interests are checked before anything is saved, so a bad one makes the row an
        # error and not a half-saved person.
        for name in ("themes", "core_areas"):
            if name in row:
                try:
                    self.fields[name].clean(row)
                except ValueError as exc:
                    errors.setdefault(name, []).append(str(exc))
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The e-mail's uniqueness is this import's own rule (checked against `known` and the
        # file); the constraint query per row would only repeat it.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=list(errors), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._imported_new = new
        if new:
            instance.invited_at = self.now
            instance.invited_from = self.file_name[:MAX_SOURCE]
            instance.accepts_newsletter = False
            instance.show_in_directory = False

    # New people are written in batches (the person, their history row, the consent record and
    # their interests, a few queries per BATCH rows): a list of thousands imports in seconds.
    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create:
            return super().save_instance(instance, is_create, row, **kwargs)
        interests = {
            name: self.fields[name].clean(row) if _text(row.get(name)) else []
            for name in ("themes", "core_areas")
        }
        self.pending.append((instance, interests))
        if len(self.pending) >= BATCH:
            self._write_pending()

    def save_m2m(self, instance, row, **kwargs):
        if not getattr(instance, "_imported_new", False):  # the new ones' go with their batch
            super().save_m2m(instance, row, **kwargs)

    def _write_pending(self) -> None:
        if not self.pending:
            return
        people = [instance for instance, _interests in self.pending]
        bulk_create_with_history(people, Ambassador, batch_size=BATCH, default_date=self.now)
        source = f"imported from {self.file_name} by {self.user_name}"[:MAX_SOURCE]
        ConsentRecord.objects.bulk_create(
            ConsentRecord(
                ambassador=person,
                kind=ConsentKind.PRIVACY,
                granted=False,
                text_version="",
                source=source,
                created_at=self.now,
            )
            for person in people
        )
        for name, column in (("themes", "theme"), ("core_areas", "corearea")):
            through = getattr(Ambassador, name).through
            through.objects.bulk_create(
                through(ambassador_id=person.pk, **{f"{column}_id": item.pk})
                for person, interests in self.pending
                for item in interests[name]
            )
        self.pending = []

    def after_import(self, dataset, result, **kwargs):
        self._write_pending()
        if not kwargs.get("dry_run"):
            transaction.on_commit(send_ambassador_invitations.enqueue)


def ambassadors_import(
    *,
    dataset: tablib.Dataset,
    file_name: str,
    user,
    dry_run: bool,
    skip_errors: bool = False,
    update_existing: bool = False,
) -> ImportReport:
    """Preview (`dry_run`) or import the rows; nothing is written by a dry run, nor when any row
    is in error unless `skip_errors`. The messages are in Danish, the leader's language."""
    mapped, ignored = map_headers(list(dataset.headers or []))
    dataset = tablib.Dataset(*dataset, headers=mapped)
    for column in [name for name in mapped if name.startswith("ignored:")]:
        del dataset[column]
    resource = AmbassadorImportResource(update_existing=update_existing)
    with translation.override("da"):
        result = resource.import_data(
            dataset,
            dry_run=bool(dry_run),
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=not skip_errors,
            file_name=file_name,
            user=user,
        )
        report = ImportReport(
            file_name=file_name, rows=resource.rows, written=False, ignored_columns=ignored
        )
        # An unexpected error anywhere rolls everything back, whatever was chosen.
        report.written = (
            not dry_run and not result.has_errors() and (skip_errors or not report.has_errors)
        )
        for row in report.rows:
            row.messages = [str(message) for message in row.messages]
    return report
