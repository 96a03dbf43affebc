"""The dashboard's figures for spreadsheets: one CSV per chart, table, the goals and the
engagement figures, and one Excel workbook with a sheet for each.

Numbers are numbers (a hidden value is the text "<5", nothing is empty), dates are dates. The
CSV format is chosen for Danish Excel (see `evaluation.charts.CSV_DELIMITER`); the workbook's
cells carry their types, so any Excel reads it the same way.
"""

from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from evaluation.charts import to_csv
from evaluation.dashboard import STATUS_LABELS, all_charts
from udsathed.core.exports import safe_cell
from udsathed.core.smallcounts import SUPPRESSED


def _goal_number(progress, value, hidden):
    if value is None:
        return None
    if hidden:
        return SUPPRESSED
    return round(value) if progress.is_count else float(value)


def goals_table(data: dict) -> tuple[str, list[str], list[list]]:
    header = [
        _("Goal"),
        _("Value"),
        _("Target value"),
        _("Period start"),
        _("Deadline"),
        _("At today's pace"),
        _("State"),
        _("Counted until"),
    ]
    rows = []
    for progress in data["goals"]:
        goal = progress.goal
        rows.append(
            [
                goal.title,
                _goal_number(progress, progress.value, progress.hidden),
                float(goal.target),
                goal.period_start,
                goal.period_end,
                _goal_number(progress, progress.projection, progress.projection_hidden),
                str(STATUS_LABELS[progress.status]),
                progress.measured_until,
            ]
        )
    return _("Goals"), header, rows


def engagement_table(data: dict) -> tuple[str, list[str], list[list]]:
    rows = [
        [str(row["name"]), SUPPRESSED if row["hidden"] else row["value"]]
        for row in data["engagement_rows"]
    ]
    return _("How broad is the engagement?"), [_("Figure"), _("Value")], rows


def tables(data: dict) -> dict[str, tuple[str, list[str], list[list]]]:
    """Every downloadable figure by its slug: (title, header, rows)."""
    result = {"maal": goals_table(data), "engagement": engagement_table(data)}
    for slug, chart in all_charts(data).items():
        result[slug] = (chart.title, [str(h) for h in chart.header()], chart.table())
    return result


def table_csv(data: dict, slug: str) -> str | None:
    found = tables(data).get(slug)
    if found is None:
        return None
    _title, header, rows = found
    return to_csv(header, rows)


def workbook(data: dict) -> bytes:
    """One sheet per figure, named by its slug (Excel allows 31 characters), its title on top."""
    book = Workbook()
    book.remove(book.active)
    used = set()
    for slug, (title, header, rows) in tables(data).items():
        name = slug[:31]
        n = 2
        while name in used:
            name = f"{slug[:28]}-{n}"
            n += 1
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([safe_cell(title)])
        sheet["A1"].font = Font(bold=True)
        sheet.append([safe_cell(str(name)) for name in header])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        for column in sheet.iter_cols(min_row=3):
            for cell in column:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
