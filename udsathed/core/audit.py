"""Audit trail of staff reads, lists, exports, changes and deletions of personal data
(privacy item 8).

Every audited request appends one `udsathed.core.AuditEntry` row (who, when, from which address,
what action, which model or admin view, which object, how many persons) and logs the same line
to the `portal.audit` logger; never the personal data itself. The admins of the models in
`AUDITED_ADMIN_MODELS` get the mixin from `audit_admins`, called once from `udsathed.urls`, so
no app's admin.py has to remember it; the mixin also covers the custom views in their
`get_urls()`.
"""

import functools
import json
import logging

from django.apps import apps
from django.conf import settings
from django.contrib.admin import AdminSite
from django.db.models import Model, QuerySet
from django.template.response import TemplateResponse

from udsathed.core.clientip import client_ip
from udsathed.core.models import AuditAction
from udsathed.core.services import audit_entry_record

audit = logging.getLogger("portal.audit")
# Set on the request by the first row written for it: one row per audited request.
WRITTEN = "_audit_written"
# The URL names every ModelAdmin has; the others in get_urls() are an admin's own views.
STANDARD_VIEWS = {"changelist", "add", "history", "delete", "change"}


def personal_labels() -> set[str]:
    return {label.lower() for label in settings.PERSONAL_DATA_MODELS}


def audit_log(request, action: str, label: str, object_id="", rows: int | None = None) -> None:
    """Record one audited request (the first call per request wins) in the table and the log."""
    if getattr(request, WRITTEN, False):
        return
    setattr(request, WRITTEN, True)
    user = getattr(request, "user", None)
    address = client_ip(request)
    audit_entry_record(
        user=user, address=address, action=action, target=label, object_id=object_id, persons=rows
    )
    audit.info(
        "%s %s id=%s rows=%s user=%s addr=%s",
        action,
        label,
        object_id,
        "" if rows is None else rows,
        getattr(user, "pk", None),
        address,
    )


def persons_shown(response) -> int | None:
    """Persons on a rendered admin page: 1 on a person's own change page; elsewhere the objects
    and evaluated querysets of PERSONAL_DATA_MODELS in its context, the change list's page and
    the inlines' rows included (the page has iterated them, so counting costs no query). None
    when the page shows none."""
    context = getattr(response, "context_data", None) or {}
    labels = personal_labels()
    original = context.get("original")
    if isinstance(original, Model) and original._meta.label_lower in labels:
        return 1  # one person's page; its inlines (consents, certificates) are about them too
    values = list(context.values())
    if (cl := context.get("cl")) is not None:
        values.append(cl.result_list)
    for inline in context.get("inline_admin_formsets") or []:
        values.append(getattr(inline.formset, "_queryset", None))
    total = None
    for value in values:
        if isinstance(value, Model) and value._meta.label_lower in labels:
            total = (total or 0) + 1
        elif (
            isinstance(value, QuerySet)
            and value._result_cache is not None
            and value.model._meta.label_lower in labels
        ):
            total = (total or 0) + len(value._result_cache)
    return total


def audit_response(request, response, action: str, label: str, object_id="", rows=None):
    """Audit a successful response; a template response is audited once it is rendered, when
    the persons it shows are known."""
    if response.status_code >= 400:
        return response
    if isinstance(response, TemplateResponse) and not response.is_rendered and rows is None:

        def after_render(rendered):
            audit_log(request, action, label, object_id, persons_shown(rendered))

        response.add_post_render_callback(after_render)
    else:
        audit_log(request, action, label, object_id, rows)
    return response


def read_or_change(request) -> str:
    return AuditAction.CHANGE if request.method == "POST" else AuditAction.VIEW


class AuditedAdminMixin:
    """Records every list, opening of a change page, change, export and deletion."""

    def _label(self) -> str:
        return self.model._meta.label_lower

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context=extra_context)
        if request.method == "POST" and "action" in request.POST:
            name = request.POST["action"]
            if name == "delete_selected":
                action = AuditAction.DELETE
            elif name.startswith("export"):
                action = AuditAction.EXPORT
            else:
                action = AuditAction.CHANGE
            rows = len(request.POST.getlist("_selected_action"))
            return audit_response(request, response, action, self._label(), rows=rows)
        return audit_response(request, response, AuditAction.LIST, self._label())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return audit_response(request, response, read_or_change(request), self._label(), object_id)

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        action = AuditAction.DELETE if request.method == "POST" else AuditAction.VIEW
        return audit_response(request, response, action, self._label(), object_id)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return audit_response(request, response, AuditAction.VIEW, self._label(), object_id)

    def get_urls(self):
        """The admin's own views (check-in lists, matching, ...) are audited by their URL name."""
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}_"
        urls = super().get_urls()
        for pattern in urls:
            name = getattr(pattern, "name", None) or ""
            if name.startswith(info) and name[len(info) :] not in STANDARD_VIEWS:
                pattern.callback = audited_view(pattern.callback, f"admin:{name}", self.admin_site)
        return urls


def audited_view(view, target: str, site: AdminSite):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not site.has_permission(request):  # sent to the log-in page: nothing was shown
            return response
        object_id = next(iter(kwargs.values()), "")
        return audit_response(request, response, read_or_change(request), target, object_id)

    return wrapper


def audit_autocomplete(request, response):
    """The admin's autocomplete answers names; a lookup of a personal-data model is a list."""
    if response.status_code != 200:
        return response
    try:
        source = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        model = source._meta.get_field(request.GET["field_name"]).related_model
    except (KeyError, LookupError, AttributeError):
        return response
    label = model._meta.label_lower if model is not None else ""
    if label in personal_labels():
        rows = len(json.loads(response.content).get("results", []))
        audit_log(request, AuditAction.LIST, label, rows=rows)
    return response


def audit_admins(site: AdminSite) -> None:
    """Give the registered admins of `AUDITED_ADMIN_MODELS` the audit mixin (idempotent)."""
    for label in settings.AUDITED_ADMIN_MODELS:
        model_admin = site._registry.get(apps.get_model(label))
        if model_admin is None or isinstance(model_admin, AuditedAdminMixin):
            continue
        cls = type(model_admin)
        model_admin.__class__ = type(f"Audited{cls.__name__}", (AuditedAdminMixin, cls), {})
