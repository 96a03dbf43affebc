"""Third-party admin pages in Danish (issue 20 item 2; see udsathed/admin_names.py).

django-otp and django-tasks-db give some labels (fieldset titles, computed columns) as plain
strings; these subclasses put the same English through gettext, so the catalogue's Danish shows.
Autodiscovery imports this module after the third-party apps' own admin modules.
"""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class TranslatedFieldsetsMixin:
    """Fieldset titles given as plain English, looked up in the catalogue."""

    def get_fieldsets(self, request, obj=None):
        return [
            (gettext(title) if title else title, options)
            for title, options in super().get_fieldsets(request, obj)
        ]


class PortalTOTPDeviceAdmin(TranslatedFieldsetsMixin, TOTPDeviceAdmin):
    @admin.display(description=_("QR Code"))
    def qrcode_link(self, device):
        return super().qrcode_link(device)


class PortalTaskResultAdmin(DBTaskResultAdmin):
    list_display = [
        ("task" if name == "task_name" else name) for name in DBTaskResultAdmin.list_display
    ]

    @admin.display(description=_("task"))
    def task(self, obj):
        return obj.task_name

    @admin.display(description=_("traceback"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("run after"))
    def display_run_after(self, obj):
        return super().display_run_after(obj)


for model, model_admin in (
    (TOTPDevice, PortalTOTPDeviceAdmin),
    (DBTaskResult, PortalTaskResultAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
