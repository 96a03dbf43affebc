"""Activities with their registrations, the check-in list and the door scanner."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from networks import services
from networks.admin.exports import RegistrationExportResource, registrations_of
from networks.models import (
    Activity,
    ActivityPicture,
    Registration,
    RegistrationStatus,
)
from themes.admin import ActiveStrategyFilter, InterestsAdminMixin
from udsathed.core.exports import ExportActionsMixin
from udsathed.core.pictures import PictureInline


class ActivityPictureInline(TranslationTabularInline, PictureInline):
    model = ActivityPicture
    fields = ["preview", "image", "alt_text", "caption", "position"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["name", "email", "status", "attended", "needs", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = []


@admin.register(Activity)
class ActivityAdmin(ExportActionsMixin, InterestsAdminMixin, TranslationAdmin):
    export_resource_class = RegistrationExportResource  # the door lists of the selected
    export_file_name = "doerliste"
    export_what = _("the door lists of the selected")

    def get_export_queryset(self, request, queryset):
        return registrations_of(queryset)

    list_display = ["title", "kind", "starts_at", "state", "registered", "waitlisted", "capacity"]
    list_filter = [
        "kind",
        "state",
        "is_public",
        ("starts_at", admin.DateFieldListFilter),
        ("themes", ActiveStrategyFilter),
        ("core_areas", ActiveStrategyFilter),
    ]
    search_fields = ["title_da", "title_en", "description_da", "place_name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    show_full_result_count = False  # "N of the selected" without a second count of them all
    # A municipality has thousands of networks, too many for a select: the network's number with
    # the admin's lookup window beside it (raw_id_fields, a labelled text field; the admin's
    # autocomplete is a Select2 box that axe finds without an accessible name).
    raw_id_fields = ["network"]
    inlines = [ActivityPictureInline, RegistrationInline]
    readonly_fields = ["checkin_link", "invitation_progress"]
    actions = ["invite_ambassadors"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "state", "is_public", "network"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "place_name", "address"]}),
        (
            _("Registration"),
            {
                "fields": [
                    "capacity",
                    "registration_deadline",
                    "invitation_progress",
                    "checkin_link",
                ]
            },
        ),
        (_("Content"), {"fields": ["description", "themes", "core_areas", "summary"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def save_related(self, request, form, formsets, change):
        """After the activity and its registrations are saved: seats added (or freed in the
        list) go to the waiting list at once, and a new start or state moves the reminder."""
        super().save_related(request, form, formsets, change)
        activity = form.instance
        registrations_changed = any(
            formset.model is Registration and formset.has_changed() for formset in formsets
        )
        seats_changed = {"capacity", "state"} & set(form.changed_data)
        if seats_changed or registrations_changed:
            promoted = services.waitlist_promote(activity=activity)
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)s person moved up from the waiting list and was told by e-mail.",
                        "%(n)s people moved up from the waiting list and were told by e-mail.",
                        len(promoted),
                    )
                    % {"n": len(promoted)},
                    messages.SUCCESS,
                )
        if not change or {"starts_at", "state"} & set(form.changed_data):
            activity.refresh_from_db(fields=["state"])
            services.activity_reminders_schedule(activity=activity)

    @admin.display(description=_("registered"), ordering="registered_count")
    def registered(self, obj):
        return obj.registered_count

    @admin.display(description=_("waiting list"), ordering="waitlist_count")
    def waitlisted(self, obj):
        return obj.waitlist_count

    @admin.display(description=_("invitations"))
    def invitation_progress(self, obj):
        if obj.pk is None:
            return "–"
        counts = obj.invitations.aggregate(
            total=Count("pk"), sent=Count("pk", filter=Q(sent_at__isnull=False))
        )
        return _("%(sent)s of %(total)s sent") % counts

    @admin.action(
        description=_("Invite all ambassadors who receive e-mail (sent in the background)"),
        permissions=["change"],
    )
    def invite_ambassadors(self, request, queryset):
        added = sum(services.activity_invite_ambassadors(activity=a) for a in queryset)
        self.message_user(
            request,
            _("%(n)s invitations are on their way; the page shows how many have been sent.")
            % {"n": added},
            messages.SUCCESS,
        )

    @admin.display(description=_("check-in"))
    def checkin_link(self, obj):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
            reverse("admin:networks_activity_checkin", args=[obj.pk]),
            _("Check-in list"),
            reverse("admin:networks_activity_scan", args=[obj.pk]),
            _("Check in at the door (QR code)"),
        )

    def get_urls(self):
        return [
            path(
                "<int:activity_id>/checkin/",
                self.admin_site.admin_view(self.checkin_view),
                name="networks_activity_checkin",
            ),
            path(
                "<int:activity_id>/scan/",
                self.admin_site.admin_view(self.scan_view),
                name="networks_activity_scan",
            ),
        ] + super().get_urls()

    CHECKIN_MESSAGES = {
        services.CheckinResult.OK: (messages.SUCCESS, _("Checked in: %(name)s")),
        services.CheckinResult.ALREADY: (
            messages.WARNING,
            _("%(name)s has already been checked in. The code cannot be used twice."),
        ),
        services.CheckinResult.OTHER_ACTIVITY: (
            messages.ERROR,
            _("The code belongs to another activity: %(activity)s."),
        ),
        services.CheckinResult.NO_PLACE: (
            messages.ERROR,
            _("%(name)s has no place (waiting list or cancelled)."),
        ),
        services.CheckinResult.UNKNOWN: (messages.ERROR, _("No ticket has that code.")),
    }

    def scan_view(self, request, activity_id):
        """At the door: the camera reads the ticket's QR code (in the browser), or the code is
        typed. Answers JSON to the scanner script and a message to the plain form."""
        if not request.user.has_perm("networks.change_registration"):
            raise PermissionDenied
        activity = get_object_or_404(Activity, pk=activity_id)
        if request.method == "POST":
            result, registration = services.checkin_by_code(
                activity=activity, code=request.POST.get("code", "")
            )
            level, text = self.CHECKIN_MESSAGES[result]
            message = text % {
                "name": registration.name if registration else "",
                "activity": registration.activity.title if registration else "",
            }
            if "application/json" in request.headers.get("Accept", ""):
                return JsonResponse(
                    {
                        "ok": result == services.CheckinResult.OK,
                        "result": result,
                        "message": message,
                    }
                )
            self.message_user(request, message, level)
            return redirect(request.path)
        counts = activity.registrations.filter(status=RegistrationStatus.REGISTERED).aggregate(
            registered=Count("pk"), came=Count("pk", filter=Q(attended=True))
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Check in: %(title)s") % {"title": activity.title},
            "activity": activity,
            "counts": counts,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/networks/activity/scan.html", context)

    def checkin_view(self, request, activity_id):
        """A printable list of who registered, with a one-click 'came' button per person."""
        if not request.user.has_perm("networks.change_registration"):
            raise PermissionDenied
        activity = get_object_or_404(Activity, pk=activity_id)
        if request.method == "POST" and request.POST.get("registration", "").isdigit():
            registration = get_object_or_404(
                activity.registrations, pk=request.POST["registration"]
            )
            services.attendance_mark(
                registration=registration, attended=request.POST.get("attended") == "1"
            )
            return redirect(f"{request.path}#r{registration.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Check-in: %(title)s") % {"title": activity.title},
            "activity": activity,
            "registrations": activity.registrations.filter(
                status=RegistrationStatus.REGISTERED
            ).order_by("name"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/networks/activity/checkin.html", context)


@admin.register(Registration)
class RegistrationAdmin(ExportActionsMixin, admin.ModelAdmin):
    export_resource_class = RegistrationExportResource
    export_file_name = "tilmeldinger"
    list_display = ["name", "activity", "status", "attended", "created_at"]
    list_filter = ["status", "attended", ("activity", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "activity__title_da"]
    list_select_related = ["activity"]
    raw_id_fields = ["ambassador"]
    actions = ["cancel"]

    @admin.action(
        description=_("Cancel the selected (moves up the waiting list)"), permissions=["change"]
    )
    def cancel(self, request, queryset):
        for registration in queryset.exclude(status=RegistrationStatus.CANCELLED):
            services.registration_cancel(registration=registration)
        self.message_user(request, _("The registrations were cancelled."), messages.SUCCESS)
