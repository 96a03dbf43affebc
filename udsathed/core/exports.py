"""The one way every list leaves the admin as a spreadsheet (CSV or Excel).

Each list's columns are a django-import-export `Resource` kept beside its admin (what is
exported); this module turns a resource and its rows into the file (how): the headers in the
user's language, every cell made safe from running as a formula, UTF-8 CSV that Excel reads, and
one row in the audit trail saying who exported what and how many rows (privacy item 8).

`ExportActionsMixin` gives a `ModelAdmin` the two actions, "Export … to CSV" and "… to Excel",
acting on the selection, which is the list with its current filters when "select all" is used.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import tablib
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import resources
from openpyxl import Workbook

from udsathed.core.audit import audit_log
from udsathed.core.models import AuditAction

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Cells a spreadsheet would run as a formula (or that hide one after a tab or a line break).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows read (and their prefetches run) per round trip when a list is exported.
EXPORT_CHUNK = 2000


def safe_cell(value):
    """A cell that a spreadsheet shows as text and never runs as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def spreadsheet_response(
    *,
    request,
    dataset: tablib.Dataset,
    target: str,
    file_format: str,
    file_name: str,
    sheet_title: str = "",
) -> HttpResponse:
    """The dataset as a CSV or Excel download, recorded in the audit trail with its row count.

    `target` names what was exported (a model label, or a view's name) for the audit trail."""
    headers = [str(header) for header in dataset.headers or []]
    rows = [[safe_cell(cell) for cell in row] for row in dataset]
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        # Excel allows 31 characters and no []:*?/\ in a sheet's name.
        title = "".join(c for c in str(sheet_title or file_name) if c not in "[]:*?/\\")[:31]
        sheet = workbook.create_sheet(title or "Export")
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        file_format = "csv"
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so Excel reads UTF-8 (æøå) correctly
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(headers)
        # Excel keeps True/False as booleans; a CSV says it in words.
        yes, no = str(_("Yes")), str(_("No"))
        writer.writerows(
            [(yes if cell else no) if isinstance(cell, bool) else cell for cell in row]
            for row in rows
        )
        content = buffer.getvalue()
    audit_log(request, AuditAction.EXPORT, target, rows=len(rows))
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{file_name}.{file_format}"'
    return response


def resource_response(
    *, request, resource, rows: Iterable, target: str, file_format: str, file_name: str, **kwargs
) -> HttpResponse:
    """Export `rows` (a queryset, or a list of dicts for aggregates) through the resource."""
    return spreadsheet_response(
        request=request,
        dataset=resource.export(rows),
        target=target,
        file_format=file_format,
        file_name=file_name,
        **kwargs,
    )


class ExportActionsMixin:
    """The CSV and Excel export actions on an admin list; see the module docstring.

    Set `export_resource_class` (called with `request=`, so it can leave out what the user may
    not read) and `export_file_name`; `get_export_queryset` turns the selection into the rows
    (an activity's registrations, a network's members) when they are not the listed objects."""

    export_resource_class = None
    export_file_name = "export"
    export_what = _("the selected")

    def get_export_resource(self, request):
        return self.export_resource_class(request=request)

    def get_export_queryset(self, request, queryset):
        return queryset

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        if self.export_resource_class is None or not self.has_view_permission(request):
            return actions
        for name, label in (
            ("export_csv", _("Export %(what)s to CSV")),
            ("export_excel", _("Export %(what)s to Excel")),
        ):
            action = self.get_action(name, action_location)
            if action is not None:
                action.description = action.plural_description = label % {"what": self.export_what}
                actions[name] = action
        return actions

    def _export(self, request, queryset, file_format):
        resource = self.get_export_resource(request)
        rows = resource.rows(self.get_export_queryset(request, queryset))
        return resource_response(
            request=request,
            resource=resource,
            rows=rows,
            target=rows.model._meta.label_lower,
            file_format=file_format,
            file_name=self.export_file_name,
            sheet_title=str(rows.model._meta.verbose_name_plural).capitalize(),
        )

    @admin.action(description=_("Export the selected to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description=_("Export the selected to Excel"), permissions=["view"])
    def export_excel(self, request, queryset):
        return self._export(request, queryset, "xlsx")


class ExportResource(resources.Resource):
    """Columns of one exported list; `request` lets a resource leave out what the user may not
    read. `dehydrate_<field>` methods give a cell its value."""

    def __init__(self, *, request=None, **kwargs):
        super().__init__(**kwargs)
        self.request = request

    def rows(self, queryset):
        """The rows to export from the selection, with what the columns read fetched at once."""
        return queryset

    def iter_queryset(self, queryset):
        # import-export pages through a queryset with prefetches by OFFSET, which reads the list
        # again up to each page: quadratic, minutes for tens of thousands of rows. Django's
        # iterator does the prefetches chunk by chunk on one server-side cursor.
        if isinstance(queryset, QuerySet):
            yield from queryset.iterator(chunk_size=EXPORT_CHUNK)
        else:
            yield from queryset


def local_time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
