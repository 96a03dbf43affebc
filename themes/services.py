"""Loading a strategy file into the database.

A strategy file (`themes/strategies/<slug>.toml`) is the source of truth for a strategy's
content. Loading is idempotent: rows are matched on natural keys (the strategy's slug, a theme's
number, a core area's slug, ...) and only written when a value differs, so loading the same file
twice changes nothing and an edited file updates rows in place. A file that fails validation
leaves the database exactly as it was. A text is named `title` for its Danish version and
`title_en` for its English one (the `title_da` and `title_en` columns, themes/translation.py).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from themes.models import CoreArea, Milestone, Postcode, SocialProblem, Strategy, Theme
from themes.signals import strategy_loaded
from udsathed.core.translation import in_default_language

STRATEGY_DIR = Path(__file__).resolve().parent / "strategies"


class StrategyFileError(Exception):
    """The strategy file cannot be loaded; the message names the file and the field."""


@dataclass
class LoadResult:
    strategy: Strategy
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    activated: bool = False
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.activated)


# Per section: field -> (python type, required). Lengths and formats are checked by the models.
_STR, _INT, _LIST, _NUM, _DATE = str, int, list, float, date
SCHEMA: dict[str, dict[str, tuple[type, bool]]] = {
    "strategy": {
        "slug": (_STR, True),
        "name": (_STR, True),
        "name_en": (_STR, False),
        "municipality": (_STR, True),
        "period_start": (_INT, True),
        "period_end": (_INT, False),
        "tagline": (_STR, True),
        "tagline_en": (_STR, False),
        "purpose": (_STR, True),
        "purpose_en": (_STR, False),
        "target_group": (_STR, True),
        "target_group_en": (_STR, False),
        "theme_label": (_STR, False),
        "theme_label_en": (_STR, False),
        "core_area_label": (_STR, False),
        "core_area_label_en": (_STR, False),
        "contact_email": (_STR, False),
    },
    "milestones": {
        "year": (_INT, True),
        "title": (_STR, True),
        "title_en": (_STR, False),
        "description": (_STR, True),
        "description_en": (_STR, False),
    },
    "social_problems": {"name": (_STR, True), "name_en": (_STR, False)},
    "themes": {
        "number": (_INT, True),
        "title": (_STR, True),
        "title_en": (_STR, False),
        "description": (_STR, True),
        "description_en": (_STR, False),
        "film_url": (_STR, False),
    },
    "core_areas": {
        "slug": (_STR, True),
        "name": (_STR, True),
        "name_en": (_STR, False),
        "promise": (_STR, True),
        "promise_en": (_STR, False),
        "description": (_STR, True),
        "description_en": (_STR, False),
        "themes": (_LIST, False),
    },
    "postcodes": {"code": (_STR, True), "name": (_STR, True)},
    "postcode_ranges": {"first": (_STR, True), "last": (_STR, True), "name": (_STR, True)},
    # Process goals (evaluation.Goal); metric is one of evaluation.models.Metric.
    "goals": {
        "slug": (_STR, True),
        "title": (_STR, True),
        "title_en": (_STR, False),
        "description": (_STR, False),
        "description_en": (_STR, False),
        "metric": (_STR, True),
        "target": (_NUM, True),
        "period_start": (_DATE, True),
        "period_end": (_DATE, True),
    },
}
TABLE_SECTIONS = {"strategy"}


def strategy_file_path(name_or_path: str) -> Path:
    """A bare name means `themes/strategies/<name>.toml`; anything else is a path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        return candidate
    return STRATEGY_DIR / f"{name_or_path}.toml"


def _check_fields(where: str, data: Any, spec: dict[str, tuple[type, bool]]) -> dict:
    if not isinstance(data, dict):
        raise StrategyFileError(f"{where}: expected a table of fields")
    unknown = sorted(set(data) - set(spec))
    if unknown:
        raise StrategyFileError(f"{where}.{unknown[0]}: unknown field")
    for name, (kind, required) in spec.items():
        if name not in data:
            if required:
                raise StrategyFileError(f"{where}.{name}: required field is missing")
            continue
        value = data[name]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise StrategyFileError(f"{where}.{name}: must be a whole number")
        if kind is str and not isinstance(value, str):
            raise StrategyFileError(f"{where}.{name}: must be text")
        if kind is list and not isinstance(value, list):
            raise StrategyFileError(f"{where}.{name}: must be a list")
        if kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise StrategyFileError(f"{where}.{name}: must be a number")
        if kind is date and (isinstance(value, datetime) or not isinstance(value, date)):
            raise StrategyFileError(f"{where}.{name}: must be a date (YYYY-MM-DD)")
        if kind is str and required and not value.strip():
            raise StrategyFileError(f"{where}.{name}: must not be empty")
    return data


def parse_strategy_file(path: Path) -> dict[str, Any]:
    """Read and validate the file's shape; returns the sections with defaults filled in."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise StrategyFileError(f"{path}: no such strategy file") from exc
    except UnicodeDecodeError as exc:
        raise StrategyFileError(f"{path}: the file is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise StrategyFileError(f"{path}: not valid TOML ({exc})") from exc

    unknown = sorted(set(raw) - set(SCHEMA))
    if unknown:
        raise StrategyFileError(f"{unknown[0]}: unknown section")
    if "strategy" not in raw:
        raise StrategyFileError("strategy: required section is missing")
    parsed: dict[str, Any] = {
        "strategy": _check_fields("strategy", raw["strategy"], SCHEMA["strategy"])
    }
    for section, spec in SCHEMA.items():
        if section in TABLE_SECTIONS:
            continue
        rows = raw.get(section, [])
        if not isinstance(rows, list):
            raise StrategyFileError(f"{section}: must be a list of tables ([[{section}]])")
        parsed[section] = [
            _check_fields(f"{section}[{i}]", row, spec) for i, row in enumerate(rows)
        ]

    if not parsed["themes"]:
        raise StrategyFileError("themes: a strategy needs at least one theme")
    _unique(parsed["themes"], "themes", "number")
    _unique(parsed["core_areas"], "core_areas", "slug")
    _unique(parsed["goals"], "goals", "slug")
    numbers = {theme["number"] for theme in parsed["themes"]}
    for i, area in enumerate(parsed["core_areas"]):
        for number in area.get("themes", []):
            if number not in numbers:
                raise StrategyFileError(f"core_areas[{i}].themes: no theme has number {number!r}")
    parsed["postcodes"] = _expand_postcodes(parsed["postcodes"], parsed["postcode_ranges"])
    return parsed


def _unique(rows: list[dict], section: str, key: str) -> None:
    seen = set()
    for i, row in enumerate(rows):
        if row[key] in seen:
            raise StrategyFileError(f"{section}[{i}].{key}: {row[key]!r} appears twice")
        seen.add(row[key])


def _expand_postcodes(codes: list[dict], ranges: list[dict]) -> list[dict]:
    result = {row["code"]: row for row in codes}
    for i, row in enumerate(ranges):
        first, last = row["first"], row["last"]
        if not (first.isascii() and first.isdigit() and last.isascii() and last.isdigit()):
            raise StrategyFileError(f"postcode_ranges[{i}]: first and last must be 4 digits")
        if int(first) > int(last):
            raise StrategyFileError(f"postcode_ranges[{i}].last: comes before first")
        for code in range(int(first), int(last) + 1):
            result.setdefault(f"{code:04d}", {"code": f"{code:04d}", "name": row["name"]})
    return sorted(result.values(), key=lambda row: row["code"])


def sync_row(
    result: LoadResult,
    where: str,
    existing: models.Model | None,
    model: type[models.Model],
    values: dict[str, Any],
) -> models.Model:
    """Create or update one row, writing only when a value differs; validates with full_clean."""
    values = in_default_language(model, values)
    if existing is None:
        obj = model(**values)
        action = "created"
    else:
        obj = existing
        differs = [name for name, value in values.items() if getattr(obj, name) != value]
        if not differs:
            result.unchanged += 1
            return obj
        for name in differs:
            setattr(obj, name, values[name])
        action = "updated"
    try:
        obj.full_clean(validate_unique=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        place = where if name == "__all__" else f"{where}.{name}"
        raise StrategyFileError(f"{place}: {' '.join(messages)}") from exc
    obj.save()
    setattr(result, action, getattr(result, action) + 1)
    result.changes.append(f"{action} {where}")
    return obj


def _sync_children(
    result: LoadResult,
    section: str,
    queryset: models.QuerySet,
    key: str,
    rows: list[dict[str, Any]],
    model: type[models.Model],
    parent: dict[str, Any],
) -> dict[Any, models.Model]:
    existing = {getattr(obj, key): obj for obj in queryset}
    kept = {}
    for i, values in enumerate(rows):
        values = {**parent, **values}
        kept[values[key]] = sync_row(
            result, f"{section}[{i}]", existing.get(values[key]), model, values
        )
    stale = [obj.pk for k, obj in existing.items() if k not in kept]
    if stale:
        deleted, _ = model.objects.filter(pk__in=stale).delete()
        result.deleted += len(stale)
        result.changes.append(f"deleted {len(stale)} from {section}")
    return kept


@transaction.atomic
def strategy_load(*, path: Path, activate: bool = True) -> LoadResult:
    """Load (or update in place) the strategy described by `path`; optionally make it active."""
    data = parse_strategy_file(path)
    info = data["strategy"]
    defaults = {name: "" for name, (kind, _) in SCHEMA["strategy"].items() if kind is str}
    strategy_values = {**defaults, "period_end": None, **info}

    existing = Strategy.objects.select_for_update().filter(slug=info["slug"]).first()
    result = LoadResult(strategy=existing or Strategy())
    strategy = sync_row(result, "strategy", existing, Strategy, strategy_values)
    result.strategy = strategy
    parent = {"strategy": strategy}

    milestones = [
        {"title_en": "", "description_en": "", **row, "position": i}
        for i, row in enumerate(data["milestones"])
    ]
    # Milestones have no natural key but their order; match on position.
    _sync_children(
        result, "milestones", strategy.milestones.all(), "position", milestones, Milestone, parent
    )
    problems = [
        {"name_en": "", **row, "position": i} for i, row in enumerate(data["social_problems"])
    ]
    _sync_children(
        result,
        "social_problems",
        strategy.social_problems.all(),
        "position",
        problems,
        SocialProblem,
        parent,
    )
    themes = [
        {"title_en": "", "description_en": "", "film_url": "", **row} for row in data["themes"]
    ]
    themes_by_number = _sync_children(
        result, "themes", strategy.themes.all(), "number", themes, Theme, parent
    )
    areas = []
    for i, row in enumerate(data["core_areas"]):
        row = dict(row)
        row.pop("themes", None)
        areas.append({"name_en": "", "promise_en": "", "description_en": "", **row, "position": i})
    existing_slugs = set(strategy.core_areas.values_list("slug", flat=True))
    areas_by_slug = _sync_children(
        result,
        "core_areas",
        strategy.core_areas.prefetch_related("themes"),
        "slug",
        areas,
        CoreArea,
        parent,
    )
    for i, row in enumerate(data["core_areas"]):
        area = areas_by_slug[row["slug"]]
        wanted = {themes_by_number[number].pk for number in row.get("themes", [])}
        if {theme.pk for theme in area.themes.all()} != wanted:
            area.themes.set(wanted)
            if row["slug"] in existing_slugs:  # a new area was already counted as created
                result.updated += 1
                result.changes.append(f"updated core_areas[{i}].themes")
    _sync_children(
        result, "postcodes", strategy.postcodes.all(), "code", data["postcodes"], Postcode, parent
    )

    strategy_loaded.send(sender=Strategy, strategy=strategy, data=data, result=result)

    if activate and not strategy.is_active:
        Strategy.objects.filter(is_active=True).update(is_active=False)
        strategy.is_active = True
        strategy.save(update_fields=["is_active"])
        result.activated = True
    if result.changed:
        strategy.source_file = path.name
        strategy.loaded_at = timezone.now()
        strategy.save(update_fields=["source_file", "loaded_at"])
    return result
