"""The admin site with a second factor for staff when `STAFF_REQUIRE_2FA` is on (production)."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from udsathed.core.audit import audit_autocomplete


class OrderedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, paged in a stable order. A model admin whose rows carry an
    aggregate (the ambassadors' theme count) loses the model's `Meta.ordering` to the GROUP BY,
    and pages of an unordered list may repeat or skip rows."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if queryset.ordered:
            return queryset
        ordering = self.model_admin.get_ordering(self.request) or queryset.model._meta.ordering
        return queryset.order_by(*ordering, "pk")


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
        view = OrderedAutocompleteJsonView.as_view(admin_site=self)
        return audit_autocomplete(request, view(request))
