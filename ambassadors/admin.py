import csv
import io
import logging

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from simple_history.admin import SimpleHistoryAdmin

from ambassadors import services
from ambassadors.models import (
    Ambassador,
    AmbassadorState,
    Certificate,
    ConsentRecord,
    Newsletter,
    NewsletterState,
    Participation,
    Story,
    StoryPicture,
    StoryState,
    counts_as_ambassador,
)
from ambassadors.services import newsletters
from themes.admin import ActiveStrategyFilter, InterestsAdminMixin
from themes.models import CoreArea, Theme
from udsathed.core.audit import audit_log
from udsathed.core.models import AuditAction
from udsathed.core.pictures import PictureInline

audit = logging.getLogger("portal.audit")


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


EXPORT_COLUMNS = [
    ("pk", _("ID")),
    ("kind", _("kind")),
    ("name", _("name")),
    ("email", _("e-mail")),
    ("phone", _("phone")),
    ("postcode", _("postcode")),
    ("organisation_name", _("organisation")),
    ("state", _("state")),
    ("themes", _("themes")),
    ("core_areas", _("core areas")),
    ("accepts_newsletter", _("receives newsletters")),
    ("show_in_directory", _("shown in the public directory")),
    ("created_at", _("signed up")),
    ("confirmed_at", _("confirmed")),
]


def export_rows(queryset):
    queryset = queryset.with_recent_participation().prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("number")),
        Prefetch("core_areas", queryset=CoreArea.objects.order_by("position")),
    )
    for ambassador in queryset.iterator(chunk_size=500):
        yield [
            ambassador.pk,
            str(ambassador.get_kind_display()),
            ambassador.name,
            ambassador.email,
            ambassador.phone,
            ambassador.postcode,
            ambassador.organisation_name,
            str(ambassador.get_state_display()),
            ", ".join(str(theme.number) for theme in ambassador.themes.all()),
            ", ".join(area.name for area in ambassador.core_areas.all()),
            ambassador.accepts_newsletter,
            ambassador.show_in_directory,
            timezone.localtime(ambassador.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(ambassador.confirmed_at).strftime("%Y-%m-%d %H:%M")
            if ambassador.confirmed_at
            else "",
        ]


def _safe_cell(value):
    # Spreadsheet programs run cells starting with = + - @ as formulas.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@admin.register(Ambassador)
class AmbassadorAdmin(InterestsAdminMixin, SimpleHistoryAdmin):
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
    ]
    inlines = [CertificateInline, ParticipationInline, ConsentInline]
    actions = [
        "export_csv",
        "export_excel",
        "resend_confirmation",
        "revoke_certificates",
    ]
    list_per_page = 50
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
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_recent_participation()
            .annotate(theme_count=Count("themes", distinct=True))
        )

    def changelist_view(self, request, extra_context=None):
        """The list page opens with a count per state (one query)."""
        confirmed = counts_as_ambassador()
        counts = Ambassador.objects.with_recent_participation().aggregate(
            active=Count("pk", filter=confirmed & Q(is_active=True)),
            passive=Count("pk", filter=confirmed & Q(is_active=False)),
            unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True, erased_at__isnull=True)),
            lapsed=Count("pk", filter=Q(lapsed_at__isnull=False, erased_at__isnull=True)),
        )
        state_counts = [
            (AmbassadorState(state).label, counts[state], state)
            for state in ("active", "passive", "unconfirmed", "lapsed")
        ]
        extra_context = {**(extra_context or {}), "state_counts": state_counts}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.display(description=_("state"))
    def state_display(self, obj):
        return obj.get_state_display()

    @admin.display(description=_("themes"), ordering="theme_count")
    def theme_count(self, obj):
        return obj.theme_count

    def _audit_export(self, request, queryset, kind):
        # The whole selection, also when "select all" went past the page's checkboxes.
        audit_log(request, AuditAction.EXPORT, "ambassadors.ambassador", rows=queryset.count())

    @admin.action(description=_("Export the selected to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        self._audit_export(request, queryset, "csv")
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so Excel reads UTF-8 (æøå) correctly
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([str(label) for _key, label in EXPORT_COLUMNS])
        for row in export_rows(queryset):
            writer.writerow([_safe_cell(value) for value in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ambassadoerer.csv"'
        return response

    @admin.action(description=_("Export the selected to Excel"), permissions=["view"])
    def export_excel(self, request, queryset):
        self._audit_export(request, queryset, "xlsx")
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(str(_("Ambassadors")))
        sheet.append([str(label) for _key, label in EXPORT_COLUMNS])
        for row in export_rows(queryset):
            sheet.append([_safe_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="ambassadoerer.xlsx"'
        return response

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


# Stories ---------------------------------------------------------------------------------------


class StoryPictureInline(PictureInline):
    model = StoryPicture
    fields = ["preview", "image", "alt_text", "position"]


class StoryReviewForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ["title", "text", "use", "state", "decline_reason"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("state") == StoryState.DECLINED
            and not cleaned.get("decline_reason", "").strip()
        ):
            self.add_error("decline_reason", _("Give the sender a reason when declining."))
        return cleaned


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """Review: accept with edits, or decline with a reason the sender sees."""

    form = StoryReviewForm
    list_display = ["title", "sender", "state", "use", "picture_count", "submitted_at"]
    list_filter = ["state", "use", ("submitted_at", admin.DateFieldListFilter)]
    search_fields = ["title", "text"]
    date_hierarchy = "submitted_at"
    inlines = [StoryPictureInline]
    readonly_fields = ["sender", "people_consented", "submitted_at", "reviewed", "facebook"]
    actions = ["accept"]
    fieldsets = [
        (None, {"fields": ["sender", "submitted_at", "title", "text", "use", "people_consented"]}),
        (_("Review"), {"fields": ["state", "decline_reason", "reviewed"]}),
        (_("For Facebook"), {"fields": ["facebook"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("ambassador", "reviewed_by")
            .annotate(picture_total=Count("pictures"))
        )

    @admin.display(description=_("sent by"), ordering="ambassador__name")
    def sender(self, obj):
        return str(obj.ambassador) if obj.ambassador else "–"

    @admin.display(description=_("pictures"), ordering="picture_total")
    def picture_count(self, obj):
        return obj.picture_total

    @admin.display(description=_("reviewed"))
    def reviewed(self, obj):
        if not obj.reviewed_at:
            return "–"
        return f"{timezone.localtime(obj.reviewed_at):%d.%m.%Y %H:%M} · {obj.reviewed_by or ''}"

    @admin.display(description=_("Facebook-ready text and pictures"))
    def facebook(self, obj):
        if not obj.pk:
            return "–"
        if not obj.for_facebook:
            return _("The sender did not allow Facebook.")
        pictures = format_html_join(
            " ",
            '<a href="{}" download>{}</a>',
            (
                (p.get_absolute_url(), _("Download picture %(n)s") % {"n": n})
                for n, p in enumerate(obj.pictures.all(), start=1)
            ),
        )
        return format_html(
            '<textarea id="facebook-text" class="vLargeTextField" rows="8" readonly '
            'aria-label="{}">{}</textarea><p><button type="button" class="button" '
            'data-copy-target="facebook-text">{}</button> {}</p>',
            _("Facebook-ready text"),
            obj.facebook_text(),
            _("Copy the text"),
            pictures,
        )

    def save_model(self, request, obj, form, change):
        was = form.initial.get("state") if change else None
        if obj.state == StoryState.ACCEPTED and was != StoryState.ACCEPTED:
            services.story_accept(story=obj, user=request.user)  # saves the edits too
        elif obj.state == StoryState.DECLINED and was != StoryState.DECLINED:
            services.story_decline(story=obj, reason=obj.decline_reason, user=request.user)
        else:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        services.story_delete(story=obj)

    def delete_queryset(self, request, queryset):
        for story in queryset:
            services.story_delete(story=story)

    @admin.action(description=_("Accept the selected stories as they are"), permissions=["change"])
    def accept(self, request, queryset):
        accepted = 0
        for story in queryset.exclude(state=StoryState.ACCEPTED):
            services.story_accept(story=story, user=request.user)
            accepted += 1
        self.message_user(
            request, _("%(n)s stories were accepted.") % {"n": accepted}, messages.SUCCESS
        )

    class Media:
        js = ["js/copy.js"]


# Newsletters -----------------------------------------------------------------------------------


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["title", "slug", "body", "stories", "include_activities", "themes", "core_areas"]
        widgets = {"stories": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "stories" in self.fields:  # not when the newsletter is sent and read-only
            self.fields["stories"].queryset = Story.objects.for_newsletter().order_by(
                "-submitted_at"
            )
        if "slug" in self.fields:
            self.fields["slug"].required = False


@admin.register(Newsletter)
class NewsletterAdmin(InterestsAdminMixin, admin.ModelAdmin):
    form = NewsletterForm
    list_display = ["title", "state", "created_at", "sent_at", "progress"]
    list_filter = ["state"]
    search_fields = ["title", "body"]
    readonly_fields = ["state", "progress", "send_link", "created_by", "sent_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "stories", "include_activities"]}),
        (_("Who receives it"), {"fields": ["themes", "core_areas"]}),
        (_("Sending"), {"fields": ["state", "send_link", "progress", "created_by", "sent_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj and not obj.is_draft:  # what was sent is sent: nothing changes afterwards
            return [*self.readonly_fields, "title", "slug", "body", "stories",
                    "include_activities", "themes", "core_areas"]  # fmt: skip
        return self.readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress()

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if obj.is_draft:
            return "–"
        if obj.state == NewsletterState.SENT:
            return _("%(sent)s of %(total)s sent") % obj.progress
        return (
            _("%(sent)s sent, %(failed)s failed, %(pending)s remaining, %(skipped)s skipped")
            % obj.progress
        )

    @admin.display(description=_("preview and send"))
    def send_link(self, obj):
        if not obj.pk:
            return _("Save the newsletter first.")
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:ambassadors_newsletter_preview", args=[obj.pk]),
            _("Preview, test and send") if obj.is_draft else _("Show the newsletter"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False  # the archive and the delivery record stay
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:newsletter_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="ambassadors_newsletter_preview",
            ),
        ] + super().get_urls()

    def preview_view(self, request, newsletter_id):
        """See it as a recipient will, send a test to oneself, then send with the count shown."""
        if not request.user.has_perm("ambassadors.change_newsletter"):
            raise PermissionDenied
        newsletter = get_object_or_404(Newsletter, pk=newsletter_id)
        recipients = newsletters.newsletter_recipients(newsletter).count()
        if request.method == "POST" and newsletter.is_draft:
            if "test" in request.POST:
                if not request.user.email:
                    self.message_user(
                        request, _("Your user has no e-mail address."), messages.ERROR
                    )
                else:
                    newsletters.newsletter_send_test(newsletter=newsletter, to=request.user.email)
                    self.message_user(
                        request,
                        _("A test was sent to %(email)s.") % {"email": request.user.email},
                        messages.SUCCESS,
                    )
                return redirect(request.path)
            if "send" in request.POST:
                return self._send(request, newsletter, recipients)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Newsletter: %(title)s") % {"title": newsletter.title},
            "newsletter": newsletter,
            "content": newsletter.archive_html()
            if not newsletter.is_draft
            else newsletters.newsletter_render(newsletter)[0],
            "recipients": recipients,
            "progress": None
            if newsletter.is_draft
            else newsletters.newsletter_progress(newsletter),
            "confirm": request.GET.get("confirm") == "1" and newsletter.is_draft,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/ambassadors/newsletter/preview.html", context)

    def _send(self, request, newsletter, recipients):
        try:
            expected = int(request.POST.get("expected", ""))
        except ValueError:
            expected = -1
        if recipients == 0:
            self.message_user(request, _("No one would receive it."), messages.ERROR)
            return redirect(request.path)
        try:
            total = newsletters.newsletter_start_sending(
                newsletter=newsletter, expected_count=expected
            )
        except newsletters.AlreadySent:
            self.message_user(request, _("The newsletter has already been sent."), messages.ERROR)
            return redirect(request.path)
        except ValueError:
            self.message_user(
                request,
                _("The number of recipients has changed to %(n)s. Check and confirm again.")
                % {"n": recipients},
                messages.WARNING,
            )
            return redirect(f"{request.path}?confirm=1")
        audit.info(
            "user=%s sent newsletter #%s to %s recipients", request.user.pk, newsletter.pk, total
        )
        self.message_user(
            request,
            _("Sending to %(n)s ambassadors has started in the background.") % {"n": total},
            messages.SUCCESS,
        )
        return redirect(request.path)
