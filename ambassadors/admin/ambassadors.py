"""The ambassadors in the admin: the list with its state counts and filters, the import and the
exports (their columns in ambassadors/admin/exports.py), the certificates, participation and
consent records."""

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ambassadors import services
from ambassadors.admin.exports import AmbassadorExportResource
from ambassadors.admin.imports import AmbassadorImportMixin
from ambassadors.models import (
    Ambassador,
    AmbassadorState,
    Certificate,
    ConsentRecord,
    Participation,
    counts_as_ambassador,
)
from themes.admin import ActiveStrategyFilter, InterestsAdminMixin
from udsathed.core.exports import ExportActionsMixin


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return AmbassadorState.choices

    def queryset(self, request, queryset):
        if self.value() in AmbassadorState.values:
            return queryset.in_state(self.value())
        return queryset


class LivesInMunicipalityFilter(admin.SimpleListFilter):
    title = _("lives in the municipality")
    parameter_name = "local"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        local = queryset.living_in_municipality().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=local)
        if self.value() == "no":
            return queryset.exclude(pk__in=local)
        return queryset


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    fields = ["kind", "occurred_on", "description"]


class CertificateInline(admin.TabularInline):
    model = Certificate
    extra = 0
    fields = ["number", "code", "holder_name", "issued_at", "revoked_at", "revoked_reason"]
    readonly_fields = ["number", "code", "holder_name", "issued_at"]
    can_delete = False


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    fields = ["kind", "granted", "text_version", "source", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ambassador)
class AmbassadorAdmin(
    AmbassadorImportMixin, ExportActionsMixin, InterestsAdminMixin, SimpleHistoryAdmin
):
    list_display = [
        "__str__",
        "kind",
        "email",
        "postcode",
        "state_display",
        "theme_count",
        "confirmed_at",
    ]
    list_filter = [
        "kind",
        StateFilter,
        ("themes", ActiveStrategyFilter),
        ("core_areas", ActiveStrategyFilter),
        LivesInMunicipalityFilter,
        ("confirmed_at", admin.DateFieldListFilter),
        "accepts_newsletter",
        "show_in_directory",
    ]
    search_fields = ["name", "email", "organisation_name", "postcode", "skills"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "confirmed_at",
        "last_confirmed_at",
        "reconfirmation_requested_at",
        "lapsed_at",
        "erased_at",
        "invited_at",
        "invited_from",
        "invitation_sent_at",
        "invitation_reminded_at",
    ]
    inlines = [CertificateInline, ParticipationInline, ConsentInline]
    actions = [
        "export_csv",
        "export_excel",
        "resend_confirmation",
        "revoke_certificates",
    ]
    list_per_page = 50
    # The page says "N of the selected" without a second count of every ambassador.
    show_full_result_count = False
    export_resource_class = AmbassadorExportResource
    export_file_name = "ambassadoerer"
    fieldsets = [
        (None, {"fields": ["kind", "name", "email", "phone", "postcode", "language"]}),
        (_("Organisation"), {"fields": ["organisation_name", "description", "website"]}),
        (_("Interests"), {"fields": ["themes", "core_areas", "skills"]}),
        (_("Consents"), {"fields": ["show_in_directory", "accepts_newsletter"]}),
        (
            _("Dates"),
            {
                "fields": [
                    "created_at",
                    "confirmed_at",
                    "last_confirmed_at",
                    "reconfirmation_requested_at",
                    "lapsed_at",
                    "erased_at",
                ]
            },
        ),
        (
            _("Invitation (imported)"),
            {
                "fields": [
                    "invited_at",
                    "invited_from",
                    "invitation_sent_at",
                    "invitation_reminded_at",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        themes = (
            Ambassador.themes.through.objects.filter(ambassador=OuterRef("pk"))
            .order_by()
            .values("ambassador")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .with_recent_participation()
            # A subquery per shown row: joining the themes and grouping every ambassador would
            # be paid again by the page count and the date bar, which reuse this queryset.
            .annotate(theme_count=Coalesce(Subquery(themes, output_field=IntegerField()), Value(0)))
            # The list sorts by its own columns, but the autocomplete pages this queryset as
            # it is, so its order must be total.
            .order_by("-created_at", "pk")
        )

    def changelist_view(self, request, extra_context=None):
        """The list page opens with a count per state (one query)."""
        confirmed = counts_as_ambassador()
        counts = Ambassador.objects.with_recent_participation().aggregate(
            active=Count("pk", filter=confirmed & Q(is_active=True)),
            passive=Count("pk", filter=confirmed & Q(is_active=False)),
            invited=Count(
                "pk",
                filter=Q(
                    confirmed_at__isnull=True, erased_at__isnull=True, invited_at__isnull=False
                ),
            ),
            unconfirmed=Count(
                "pk",
                filter=Q(
                    confirmed_at__isnull=True, erased_at__isnull=True, invited_at__isnull=True
                ),
            ),
            lapsed=Count("pk", filter=Q(lapsed_at__isnull=False, erased_at__isnull=True)),
        )
        state_counts = [
            (AmbassadorState(state).label, counts[state], state)
            for state in ("active", "passive", "unconfirmed", "invited", "lapsed")
        ]
        extra_context = {**(extra_context or {}), "state_counts": state_counts}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.display(description=_("state"))
    def state_display(self, obj):
        return obj.get_state_display()

    @admin.display(description=_("themes"), ordering="theme_count")
    def theme_count(self, obj):
        return obj.theme_count

    @admin.action(description=_("Resend the confirmation e-mail"), permissions=["change"])
    def resend_confirmation(self, request, queryset):
        sent = 0
        for ambassador in queryset.unconfirmed():
            services.ambassador_send_confirmation(ambassador=ambassador)
            sent += 1
        skipped = queryset.count() - sent
        self.message_user(
            request,
            _("Sent %(sent)s confirmation e-mails; %(skipped)s were confirmed or withdrawn.")
            % {"sent": sent, "skipped": skipped},
            messages.SUCCESS,
        )

    @admin.action(description=_("Revoke the certificates of the selected"), permissions=["change"])
    def revoke_certificates(self, request, queryset):
        revoked = 0
        for certificate in Certificate.objects.valid().filter(ambassador__in=queryset):
            services.certificate_revoke(certificate=certificate, reason="revoked by project leader")
            revoked += 1
        self.message_user(
            request, _("Revoked %(n)s certificates.") % {"n": revoked}, messages.SUCCESS
        )


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ["number", "holder_name", "issued_at", "is_valid_display", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "issued_at"]
    search_fields = ["number", "code", "holder_name"]
    readonly_fields = ["ambassador", "code", "number", "holder_name", "strategy_name", "issued_at"]
    fields = readonly_fields + ["revoked_at", "revoked_reason"]
    actions = ["revoke"]
    list_select_related = ["ambassador"]

    def has_add_permission(self, request):
        return False  # certificates are issued on confirmation

    @admin.display(description=_("valid"), boolean=True)
    def is_valid_display(self, obj):
        return obj.is_valid

    @admin.action(description=_("Revoke the selected certificates"), permissions=["change"])
    def revoke(self, request, queryset):
        for certificate in queryset.filter(revoked_at__isnull=True):
            services.certificate_revoke(certificate=certificate, reason="revoked by project leader")
        self.message_user(request, _("The certificates were revoked."), messages.SUCCESS)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["ambassador", "kind", "occurred_on", "description"]
    list_filter = ["kind", ("occurred_on", admin.DateFieldListFilter)]
    search_fields = ["ambassador__name", "ambassador__organisation_name", "description"]
    list_select_related = ["ambassador"]
    raw_id_fields = ["ambassador"]
    date_hierarchy = "occurred_on"


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["ambassador", "kind", "granted", "text_version", "source", "created_at"]
    list_filter = ["kind", "granted", "text_version"]
    search_fields = ["ambassador__name", "ambassador__email"]
    list_select_related = ["ambassador"]
    readonly_fields = ["ambassador", "kind", "granted", "text_version", "source", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the record of a consent is never edited
