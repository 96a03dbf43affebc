from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ambassadors.models import Ambassador
from networks import services
from networks.forms import BallTransitionForm, BulkAnswerForm
from networks.models import (
    Activity,
    ActivityPicture,
    AnswerTemplate,
    Ball,
    BallComment,
    BallEvent,
    BallState,
    Invitation,
    Membership,
    MembershipState,
    Network,
    Registration,
    RegistrationStatus,
    first_response_days,
    sees_every_ball,
)
from themes.admin import ActiveStrategyFilter, InterestsAdminMixin
from udsathed.core.pictures import PictureInline

# ---- balls -------------------------------------------------------------------------------


class AgeFilter(admin.SimpleListFilter):
    title = _("age")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [
            ("week", _("Less than a week")),
            ("month", _("1–4 weeks")),
            ("older", _("More than 4 weeks")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        week, month = now - timedelta(days=7), now - timedelta(days=28)
        if self.value() == "week":
            return queryset.filter(received_at__gte=week)
        if self.value() == "month":
            return queryset.filter(received_at__lt=week, received_at__gte=month)
        if self.value() == "older":
            return queryset.filter(received_at__lt=month)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("first response")
    parameter_name = "response"

    def lookups(self, request, model_admin):
        return [
            (
                "overdue",
                _("Overdue (no response after %(days)s days)") % {"days": first_response_days()},
            ),
            ("waiting", _("Waiting for a first response")),
            ("answered", _("Has had a response")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "waiting":
            return queryset.awaiting_first_response()
        if self.value() == "answered":
            return queryset.filter(first_response_at__isnull=False)
        return queryset


class BallEventInline(admin.TabularInline):
    model = BallEvent
    extra = 0
    fields = ["created_at", "from_state", "to_state", "network", "public_note", "actor"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class BallCommentInline(admin.StackedInline):
    model = BallComment
    extra = 1
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False  # comments are a log: added, never edited

    def has_delete_permission(self, request, obj=None):
        return False


class BallNetworkFilter(admin.RelatedOnlyFieldListFilter):
    """The networks that hold balls, while there are few enough to read in a sidebar.

    At national scale thousands of networks hold balls; a list that long is neither read nor
    cheap to draw, so past MAX_CHOICES the filter gives way to searching by the network's
    name."""

    MAX_CHOICES = 100

    def field_choices(self, field, request, model_admin):
        # One query, as before, but never more than MAX_CHOICES + 1 networks built: building
        # thousands only to throw them away cost as much as drawing them.
        held = model_admin.get_queryset(request).exclude(network=None).values("network")
        networks = field.related_model._default_manager.filter(pk__in=held)
        if ordering := self.field_admin_ordering(field, request, model_admin):
            networks = networks.order_by(*ordering)  # else the model's own ordering
        networks = list(networks[: self.MAX_CHOICES + 1])
        if len(networks) > self.MAX_CHOICES:
            return []
        return [(network.pk, str(network)) for network in networks]


@admin.register(Ball)
class BallAdmin(InterestsAdminMixin, admin.ModelAdmin):
    """Triage for project leaders; network leads see (and comment on) their networks' balls."""

    list_display = ["number", "title", "kind", "state", "network", "received_at", "response_flag"]
    list_display_links = ["number", "title"]
    list_filter = [
        "state",
        "kind",
        OverdueFilter,
        AgeFilter,
        ("network", BallNetworkFilter),
        ("themes", ActiveStrategyFilter),
        ("core_areas", ActiveStrategyFilter),
    ]
    search_fields = ["title", "description", "public_title", "=id", "network__name"]
    list_select_related = ["network"]
    date_hierarchy = "received_at"
    list_per_page = 50
    show_full_result_count = False  # no second COUNT(*) of every ball on each page view
    readonly_fields = [
        "state",
        "network",
        "duplicate_of",
        "public_answer",
        "received_at",
        "first_response_at",
        "closed_at",
        "cpr_masked",
        "status_link",
        "transition_link",
        "duplicate_list",
    ]
    fieldsets = [
        (
            _("Where the ball is"),
            {
                "fields": [
                    "transition_link",
                    "state",
                    "network",
                    "duplicate_of",
                    "duplicate_list",
                    "public_answer",
                ]
            },
        ),
        (
            _("The ball"),
            {"fields": ["kind", "title", "description", "themes", "core_areas", "public_title"]},
        ),
        (
            _("Sender"),
            {
                "fields": [
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                    "contact_consent",
                    "language",
                ]
            },
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "received_at",
                    "first_response_at",
                    "closed_at",
                    "cpr_masked",
                    "status_link",
                ]
            },
        ),
    ]
    inlines = [BallEventInline, BallCommentInline]
    actions = ["mark_assessing", "pass_to_standing_network", "answer_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def _is_lead_only(self, request) -> bool:
        return not sees_every_ball(request.user)

    def has_view_permission(self, request, obj=None):
        if super().has_view_permission(request, obj):
            return True
        return request.user.is_staff and Network.objects.led_by(request.user).exists()

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_readonly_fields(self, request, obj=None):
        if self._is_lead_only(request):
            fields = [*Ball._meta.fields, *Ball._meta.many_to_many]
            return [f.name for f in fields if f.name != "id"] + ["status_link"]
        return super().get_readonly_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [
                (
                    None,
                    {
                        "fields": [
                            "kind",
                            "title",
                            "description",
                            "themes",
                            "core_areas",
                            "contact_name",
                            "contact_email",
                            "contact_phone",
                            "contact_consent",
                            "language",
                        ]
                    },
                )
            ]
        if self._is_lead_only(request):
            return [fs for fs in fieldsets if "transition_link" not in fs[1]["fields"]] + [
                (_("State"), {"fields": ["state", "network", "public_answer"]})
            ]
        return fieldsets

    def get_inline_instances(self, request, obj=None):
        return [] if obj is None else super().get_inline_instances(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Someone else's ball is a 404, not a hint that it exists.
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("No such ball")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, BallComment) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        formset.save_m2m()

    def save_model(self, request, obj, form, change):
        if self._is_lead_only(request):
            return  # leads only comment; the ball itself stays as it is
        if not change:
            obj.save()
            services.ball_record_received(ball=obj, actor=request.user)
            return
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        if super().has_change_permission(request, obj):
            return True
        # Leads may open the change page to add comments (all ball fields are read-only).
        return (
            obj is not None
            and self.has_view_permission(request, obj)
            and request.user.has_perm("networks.add_ballcomment")
        )

    @admin.display(description=_("no."), ordering="pk")
    def number(self, obj):
        return obj.pk

    @admin.display(description=_("response"))
    def response_flag(self, obj):
        if obj.first_response_at:
            return "✓"
        if obj.is_overdue():
            return format_html('<strong class="ball-overdue">{}</strong>', _("Overdue"))
        return _("by %(date)s") % {"date": timezone.localtime(obj.response_due).strftime("%d.%m")}

    @admin.display(description=_("sender's status page"))
    def status_link(self, obj):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), _("Open as the sender sees it")
        )

    MAX_DUPLICATES_LISTED = 20

    @admin.display(description=_("duplicates"))
    def duplicate_list(self, obj):
        """The balls closed as duplicates of this one, as links: one query, at most
        MAX_DUPLICATES_LISTED shown, the rest behind a link to the filtered list."""
        if obj.pk is None:
            return "–"
        limit = self.MAX_DUPLICATES_LISTED
        duplicates = list(obj.duplicates.order_by("pk").only("pk", "title")[: limit + 1])
        if not duplicates:
            return "–"
        links = format_html_join(
            ", ",
            '<a href="{}">#{} {}</a>',
            (
                (reverse("admin:networks_ball_change", args=[ball.pk]), ball.pk, ball.title)
                for ball in duplicates[:limit]
            ),
        )
        if len(duplicates) <= limit:
            return links
        everything = f"{reverse('admin:networks_ball_changelist')}?duplicate_of={obj.pk}"
        return format_html('{} <a href="{}">{}</a>', links, everything, _("All duplicates"))

    @admin.display(description=_("next step"))
    def transition_link(self, obj):
        if obj.pk is None:
            return "–"
        url = reverse("admin:networks_ball_transition", args=[obj.pk])
        move = format_html('<a class="button" href="{}">{}</a>', url, _("Move the ball"))
        if obj.network_id is None:
            return move
        match = reverse("admin:networks_network_match", args=[obj.network_id])
        return format_html(
            '{} <a class="button" href="{}?ball={}">{}</a>',
            move,
            match,
            obj.pk,
            _("Suggest ambassadors for the ball"),
        )

    def get_urls(self):
        return [
            path(
                "<int:ball_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="networks_ball_transition",
            ),
        ] + super().get_urls()

    def transition_view(self, request, ball_id):
        if not request.user.has_perm("networks.change_ball"):
            raise PermissionDenied
        ball = get_object_or_404(self.get_queryset(request), pk=ball_id)
        form = BallTransitionForm(request.POST or None, ball=ball)
        if request.method == "POST" and "insert_template" in request.POST:
            form = form.with_template_inserted()
        elif request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            note = data["public_note"]
            if not note.strip() and data["template"]:  # chosen but not inserted: use it as is
                note = data["template"].text_for(ball.language)
            try:
                services.ball_transition(
                    ball=ball,
                    to_state=data["to_state"],
                    actor=request.user,
                    public_note=note,
                    network=data["network"],
                    duplicate_of=data["duplicate_of"],
                )
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                self.message_user(request, _("The ball has been moved."), messages.SUCCESS)
                return redirect("admin:networks_ball_change", ball.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Move ball #%(pk)s") % {"pk": ball.pk},
            "ball": ball,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/networks/ball/transition.html", context)

    def _bulk(self, request, queryset, to_state, network=None, answer_for=None):
        """Move every selected ball one step, each with its own answer (`answer_for(ball)`)."""
        moved, refused = 0, 0
        for ball in queryset:
            try:
                services.ball_transition(
                    ball=ball,
                    to_state=to_state,
                    actor=request.user,
                    network=network,
                    public_note=answer_for(ball) if answer_for else "",
                )
                moved += 1
            except ValidationError:
                refused += 1
        self.message_user(
            request,
            _("Moved %(moved)s balls; %(refused)s could not take that step.")
            % {"moved": moved, "refused": refused},
            messages.SUCCESS if not refused else messages.WARNING,
        )

    @admin.action(description=_("Mark as being assessed"), permissions=["change"])
    def mark_assessing(self, request, queryset):
        self._bulk(request, queryset, BallState.ASSESSING)

    @admin.action(description=_("Pass to the standing action network"), permissions=["change"])
    def pass_to_standing_network(self, request, queryset):
        network = services.standing_network()
        if network is None:
            self.message_user(
                request, _("There is no standing action network yet."), messages.ERROR
            )
            return
        self._bulk(request, queryset, BallState.PASSED, network=network)

    @admin.action(description=_("Close or decline with an answer…"), permissions=["change"])
    def answer_selected(self, request, queryset):
        """An in-between page: pick a template, edit the answer, then move all the balls."""
        if "insert_template" in request.POST:
            form = BulkAnswerForm(request.POST).with_template_inserted()
        else:
            form = BulkAnswerForm(request.POST if "apply" in request.POST else None)
            if form.is_bound and form.is_valid():
                to_state = form.cleaned_data["to_state"]
                self._bulk(request, queryset, to_state, answer_for=form.answer_for)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Close or decline %(n)s balls with an answer") % {"n": queryset.count()},
            "balls": queryset.select_related(None).only("pk", "title", "state", "language"),
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/networks/ball/bulk_answer.html", context)


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "state", "is_active", "position"]
    list_filter = ["state", "is_active"]
    search_fields = ["title", "text", "text_en"]


# ---- networks ----------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["ambassador", "user", "role", "state", "mandate", "joined_on"]
    raw_id_fields = ["ambassador", "user"]


@admin.register(Network)
class NetworkAdmin(InterestsAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "state",
        "starts_on",
        "ends_on",
        "citizen_driven",
        "member_count",
        "ball_count",
    ]
    list_filter = [
        "kind",
        "state",
        "citizen_driven",
        ("themes", ActiveStrategyFilter),
        ("core_areas", ActiveStrategyFilter),
    ]
    search_fields = ["name", "purpose", "outcome"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    readonly_fields = ["match_link"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "state", "citizen_driven", "open_for_members"]}),
        (
            _("Task"),
            {
                "fields": [
                    "purpose",
                    "expected_result",
                    "themes",
                    "core_areas",
                    "starts_on",
                    "ends_on",
                ]
            },
        ),
        (_("Outcome"), {"fields": ["outcome"]}),
        (_("Find ambassadors"), {"fields": ["match_link"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                members=Count(
                    "memberships",
                    filter=Q(memberships__state=MembershipState.ACTIVE),
                    distinct=True,
                ),
                ball_total=Count("balls", distinct=True),
            )
        )

    @admin.display(description=_("members"), ordering="members")
    def member_count(self, obj):
        return obj.members

    @admin.display(description=_("balls"), ordering="ball_total")
    def ball_count(self, obj):
        return obj.ball_total

    @admin.display(description=_("matching"))
    def match_link(self, obj):
        if obj.pk is None:
            return _("Save the network first.")
        url = reverse("admin:networks_network_match", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Suggest ambassadors"))

    def get_urls(self):
        return [
            path(
                "<int:network_id>/match/",
                self.admin_site.admin_view(self.match_view),
                name="networks_network_match",
            ),
        ] + super().get_urls()

    def match_view(self, request, network_id):
        """Suggested ambassadors for the network (or one of its balls); invite in one go."""
        if not request.user.has_perm("networks.add_invitation"):
            raise PermissionDenied
        network = get_object_or_404(Network, pk=network_id)
        ball = None
        if request.GET.get("ball", "").isdigit():
            ball = Ball.objects.filter(pk=request.GET["ball"]).first()
        suggestions = services.suggest_ambassadors(network=network, ball=ball)
        if request.method == "POST":
            chosen = Ambassador.objects.confirmed().filter(
                pk__in=[pk for pk in request.POST.getlist("ambassador") if pk.isdigit()]
            )
            sent = services.invitations_send(
                network=network, ambassadors=chosen, actor=request.user, ball=ball
            )
            self.message_user(request, _("Sent %(n)s invitations.") % {"n": sent}, messages.SUCCESS)
            return redirect("admin:networks_network_change", network.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Suggested ambassadors for %(name)s") % {"name": network.name},
            "network": network,
            "ball": ball,
            "suggestions": suggestions.prefetch_related("themes")[:100],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/networks/network/match.html", context)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["network", "ambassador", "user", "role", "state", "joined_on"]
    list_filter = ["state", "role", ("network", admin.RelatedOnlyFieldListFilter)]
    search_fields = [
        "network__name",
        "ambassador__name",
        "ambassador__organisation_name",
        "user__username",
    ]
    list_select_related = ["network", "ambassador", "user"]
    raw_id_fields = ["ambassador", "user"]
    actions = ["approve"]

    @admin.action(description=_("Approve the selected requests to join"), permissions=["change"])
    def approve(self, request, queryset):
        for membership in queryset.filter(state=MembershipState.REQUESTED):
            services.membership_approve(membership=membership)
        self.message_user(request, _("The requests were approved."), messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["ambassador", "network", "ball", "state", "created_at", "answered_at"]
    list_filter = ["state", ("network", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["ambassador__name", "network__name"]
    list_select_related = ["ambassador", "network", "ball"]
    readonly_fields = [
        "network",
        "ball",
        "ambassador",
        "state",
        "invited_by",
        "created_at",
        "answered_at",
    ]

    def has_add_permission(self, request):
        return False  # invitations are sent from a network's "Suggest ambassadors" page


# ---- activities --------------------------------------------------------------------------


class ActivityPictureInline(PictureInline):
    model = ActivityPicture
    fields = ["preview", "image", "alt_text", "caption", "position"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["name", "email", "status", "attended", "needs", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = []


@admin.register(Activity)
class ActivityAdmin(InterestsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "state", "registered", "waitlisted", "capacity"]
    list_filter = [
        "kind",
        "state",
        "is_public",
        ("starts_at", admin.DateFieldListFilter),
        ("themes", ActiveStrategyFilter),
        ("core_areas", ActiveStrategyFilter),
    ]
    search_fields = ["title", "description", "place_name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    list_select_related = ["network"]
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
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "activity", "status", "attended", "created_at"]
    list_filter = ["status", "attended", ("activity", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "activity__title"]
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
