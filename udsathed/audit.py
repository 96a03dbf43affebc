"""Audit trail of staff reads, changes, exports and deletions of personal data (privacy item 8).

The trail goes to the `portal.audit` logger: time, action, model, object id, user id and address,
never the personal data itself. The admins of the models holding personal data get the mixin
from `audit_admins`, called once from `udsathed.urls`, so no app's admin.py has to remember it.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.contrib.admin import AdminSite

from udsathed.clientip import client_ip

audit = logging.getLogger("portal.audit")


def audit_log(request, action: str, label: str, object_id="", rows: int | None = None) -> None:
    audit.info(
        "%s %s id=%s rows=%s user=%s addr=%s",
        action,
        label,
        object_id,
        "" if rows is None else rows,
        getattr(request.user, "pk", None),
        client_ip(request),
    )


class AuditedAdminMixin:
    """Logs every opening of a change page (a read of personal data), change, export and delete."""

    def _label(self) -> str:
        return self.model._meta.label_lower

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context=extra_context)
        if request.method == "POST" and "action" in request.POST:
            action = request.POST["action"]
            rows = len(request.POST.getlist("_selected_action"))
            audit_log(request, f"action:{action}", self._label(), rows=rows)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code < 400:
            action = "change" if request.method == "POST" else "view"
            audit_log(request, action, self._label(), object_id)
        return response

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        if request.method == "POST" and response.status_code < 400:
            audit_log(request, "delete", self._label(), object_id)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code < 400:
            audit_log(request, "history", self._label(), object_id)
        return response


def audit_admins(site: AdminSite) -> None:
    """Give the registered admins of `AUDITED_ADMIN_MODELS` the audit mixin (idempotent)."""
    for label in settings.AUDITED_ADMIN_MODELS:
        model_admin = site._registry.get(apps.get_model(label))
        if model_admin is None or isinstance(model_admin, AuditedAdminMixin):
            continue
        cls = type(model_admin)
        model_admin.__class__ = type(f"Audited{cls.__name__}", (AuditedAdminMixin, cls), {})
