"""The admin site with a second factor for staff when `STAFF_REQUIRE_2FA` is on (production)."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from udsathed.core.audit import audit_autocomplete


class PortalAdminSite(OTPAdminSite):
    """django-otp's admin site, switched by a setting read per request so tests can toggle it."""

    @property
    def login_form(self):
        if settings.STAFF_REQUIRE_2FA:
            return OTPAdminAuthenticationForm
        return AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.STAFF_REQUIRE_2FA else None

    def has_permission(self, request):
        if settings.STAFF_REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def autocomplete_view(self, request):
        # Every other admin view is audited by the model admins' mixin (udsathed.core.audit).
        return audit_autocomplete(request, super().autocomplete_view(request))
