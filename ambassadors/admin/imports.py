"""The admin's import of an existing list of ambassadors: upload, a preview of every row's
outcome, then the import, by the rules of ambassadors.imports.

Between the preview and the import the rows travel in the confirm form, signed for this user
and for an hour, so nothing of the list is stored on the server until the leader presses import,
a cancelled import leaves nothing behind, and any web machine can take the second step; the
import is exactly the rows that were previewed.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ambassadors.imports import (
    ImportFileError,
    ambassadors_import,
    dataset_as_text,
    dataset_from_text,
    read_file,
)

MAX_FILE_SIZE = 5 * 1024 * 1024
PAYLOAD_MAX_AGE = 60 * 60


class AmbassadorImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("An Excel file (.xlsx) or a CSV file (.csv).")
    )
    skip_errors = forms.BooleanField(
        label=_("Skip rows with errors"),
        required=False,
        help_text=_("Import the good rows even when some rows have errors."),
    )
    update_existing = forms.BooleanField(
        label=_("Update ambassadors already in the portal"),
        required=False,
        help_text=_("Without this, an ambassador already known by their e-mail is left as is."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_SIZE:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            self.dataset = read_file(upload.read(), upload.name)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


def _salt(request) -> str:
    return f"ambassadors.import:{request.user.pk}"


class AmbassadorImportMixin:
    """The import view and its button on the ambassador list (see the module docstring)."""

    import_template = "admin/ambassadors/ambassador/import.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="ambassadors_ambassador_import",
            ),
        ] + super().get_urls()

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import ambassadors"),
        }
        form = AmbassadorImportForm()
        if request.method == "POST" and "payload" in request.POST:
            try:
                payload = signing.loads(
                    request.POST["payload"], salt=_salt(request), max_age=PAYLOAD_MAX_AGE
                )
            except signing.BadSignature:
                messages.error(request, _("The preview has expired. Choose the file again."))
                return HttpResponseRedirect(request.path)
            if "skip_errors" in request.POST:  # chosen on the preview: preview again
                payload["skip_errors"] = True
                return self._preview(request, context, payload)
            return self._import(request, payload)
        if request.method == "POST":
            form = AmbassadorImportForm(request.POST, request.FILES)
            if form.is_valid():
                headers, rows = dataset_as_text(form.dataset)
                payload = {
                    "file_name": form.cleaned_data["file"].name,
                    "headers": headers,
                    "rows": rows,
                    "skip_errors": form.cleaned_data["skip_errors"],
                    "update_existing": form.cleaned_data["update_existing"],
                }
                return self._preview(request, context, payload)
        return TemplateResponse(request, self.import_template, {**context, "form": form})

    def _run(self, request, payload, *, dry_run: bool):
        if payload["update_existing"] and not self.has_change_permission(request):
            raise PermissionDenied
        return ambassadors_import(
            dataset=dataset_from_text(payload["headers"], payload["rows"]),
            file_name=payload["file_name"],
            user=request.user,
            dry_run=dry_run,
            skip_errors=payload["skip_errors"],
            update_existing=payload["update_existing"],
        )

    def _preview(self, request, context, payload):
        try:
            report = self._run(request, payload, dry_run=True)
        except ImportFileError as exc:
            form = AmbassadorImportForm()
            form.errors["file"] = form.error_class([str(exc)])
            return TemplateResponse(request, self.import_template, {**context, "form": form})
        signed = signing.dumps(payload, salt=_salt(request), compress=True)
        too_large = len(signed) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 0.9
        context.update(
            {
                "report": report,
                "payload": "" if too_large else signed,
                "too_large": too_large,
                "options": payload,
                "can_import": not too_large and (payload["skip_errors"] or not report.has_errors),
            }
        )
        return TemplateResponse(request, self.import_template, context)

    def _import(self, request, payload):
        report = self._run(request, payload, dry_run=False)
        changelist = reverse("admin:ambassadors_ambassador_changelist")
        if not report.written:
            messages.error(request, _("Nothing was imported: some rows have errors."))
            return HttpResponseRedirect(changelist)
        counts = report.counts
        messages.success(
            request,
            _(
                "Imported %(new)s new (invited; each gets a personal e-mail), "
                "%(known)s already known, %(updated)s updated, %(errors)s rows skipped."
            )
            % {
                "new": counts["new"],
                "known": counts["known"],
                "updated": counts["update"],
                "errors": counts["error"],
            },
        )
        return HttpResponseRedirect(f"{changelist}?state=invited")
