"""The triage of balls: the list with its filters, moving a ball, bulk answers, answer templates."""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from networks import services
from networks.admin.exports import BallExportResource
from networks.forms import BallTransitionForm, BulkAnswerForm
from networks.models import (
    AnswerTemplate,
    Ball,
    BallComment,
    BallEvent,
    BallState,
    Network,
    first_response_days,
    sees_every_ball,
    sees_published_only,
)
from networks.services import publication
from networks.services.publication import public_answers, public_steps
from themes.admin import ActiveStrategyFilter, InterestsAdminMixin
from udsathed.core.exports import ExportActionsMixin


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


class PublishedFilter(admin.SimpleListFilter):
    title = _("public pages")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Published")),
            ("ready", _("Ready to publish (sender agreed, summary written)")),
            ("agreed", _("Sender agreed, not published")),
            ("no", _("Not published")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.published()
        unpublished = queryset.filter(published_at__isnull=True)
        if self.value() == "ready":
            return (
                unpublished.filter(publish_consent=True)
                .exclude(public_title="")
                .exclude(public_summary="")
            )
        if self.value() == "agreed":
            return unpublished.filter(publish_consent=True)
        if self.value() == "no":
            return unpublished
        return queryset


class BallEventInline(admin.TabularInline):
    model = BallEvent
    extra = 0
    fields = ["created_at", "kind", "from_state", "to_state", "network", "public_note", "actor"]
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
class BallAdmin(ExportActionsMixin, InterestsAdminMixin, admin.ModelAdmin):
    """Triage for project leaders; network leads see (and comment on) their networks' balls."""

    export_resource_class = BallExportResource  # the free text for who handles every ball
    export_file_name = "bolde"

    list_display = [
        "number",
        "title",
        "kind",
        "state",
        "network",
        "received_at",
        "response_flag",
        "published_flag",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        "state",
        "kind",
        PublishedFilter,
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
        "publish_consent",
        "published_at",
        "publication_link",
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
            {"fields": ["kind", "title", "description", "themes", "core_areas"]},
        ),
        (
            _("Public pages"),
            {
                "fields": [
                    "publication_link",
                    "publish_consent",
                    "published_at",
                    "public_title",
                    "public_summary",
                ],
                "description": _(
                    "Write the public title and summary in your own words: never the sender's "
                    "text, name or anything that could tell who sent it. The answers the ball "
                    "got are shown as they were written."
                ),
            },
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
    actions = [
        "mark_assessing",
        "pass_to_standing_network",
        "answer_selected",
        "publish_selected",
        "unpublish_selected",
    ]
    # What a committee member reads: the public record only, never the free text.
    PUBLIC_FIELDS = [
        "public_title",
        "public_summary",
        "kind",
        "state",
        "network",
        "themes",
        "core_areas",
        "public_answer",
        "received_at",
        "first_response_at",
        "closed_at",
        "published_at",
        "public_page_link",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def _is_lead_only(self, request) -> bool:
        return not sees_every_ball(request.user)

    def _is_published_only(self, request) -> bool:
        # Asked several times per page: the answer is kept on the request.
        if not hasattr(request, "_ball_published_only"):
            request._ball_published_only = sees_published_only(request.user)
        return request._ball_published_only

    def has_view_permission(self, request, obj=None):
        if super().has_view_permission(request, obj):
            return True
        if request.user.is_staff and request.user.has_perm("networks.view_published_ball"):
            return True
        return request.user.is_staff and Network.objects.led_by(request.user).exists()

    def get_list_display(self, request):
        if self._is_published_only(request):
            return ["number", "public_title", "kind", "state", "network", "received_at"]
        return super().get_list_display(request)

    def get_list_display_links(self, request, list_display):
        if self._is_published_only(request):
            return ["number", "public_title"]
        return super().get_list_display_links(request, list_display)

    def get_search_fields(self, request):
        if self._is_published_only(request):
            return ["public_title", "public_summary", "=id"]
        return super().get_search_fields(request)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        if self._is_published_only(request):
            return {}
        return super().get_actions(request, action_location=action_location)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self._is_published_only(request):
            # The page's heading and breadcrumb name the ball: by its public title only.
            name = f"#{obj.pk} {obj.public_title}"
            context.update(original=name, subtitle=name)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        if self._is_published_only(request):
            raise PermissionDenied  # the log names the ball by its own title
        return super().history_view(request, object_id, extra_context)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_readonly_fields(self, request, obj=None):
        if self._is_published_only(request):
            return self.PUBLIC_FIELDS
        if self._is_lead_only(request):
            fields = [*Ball._meta.fields, *Ball._meta.many_to_many]
            return [f.name for f in fields if f.name != "id"] + ["status_link", "public_page_link"]
        if obj is None:  # a ball taken by phone: staff note the sender's answer once
            return [f for f in self.readonly_fields if f != "publish_consent"]
        # After that the consent is the sender's to change, on the status page.
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
                            "publish_consent",
                            "language",
                        ]
                    },
                )
            ]
        if self._is_published_only(request):
            return [(None, {"fields": self.PUBLIC_FIELDS})]
        if self._is_lead_only(request):
            # Leads read the public record too, but only project leaders publish.
            fieldsets = [
                (
                    name,
                    {
                        **options,
                        "fields": [
                            "public_page_link" if f == "publication_link" else f
                            for f in options["fields"]
                        ],
                    },
                )
                for name, options in fieldsets
                if "transition_link" not in options["fields"]
            ]
            return fieldsets + [(_("State"), {"fields": ["state", "network", "public_answer"]})]
        return fieldsets

    def get_inline_instances(self, request, obj=None):
        if obj is None or self._is_published_only(request):
            return []
        return super().get_inline_instances(request, obj)

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

    @admin.display(description=_("published"), boolean=True, ordering="published_at")
    def published_flag(self, obj):
        return obj.is_published

    @admin.display(description=_("public page"))
    def public_page_link(self, obj):
        if obj.pk is None or not obj.is_published:
            return "–"
        return format_html('<a href="{}">{}</a>', obj.get_public_url(), _("Open the public page"))

    @admin.display(description=_("public page"))
    def publication_link(self, obj):
        if obj.pk is None:
            return "–"
        url = reverse("admin:networks_ball_public_preview", args=[obj.pk])
        preview = format_html(
            '<a class="button" href="{}">{}</a>', url, _("Preview the public page")
        )
        if obj.is_published:
            return format_html("{} {}", preview, self.public_page_link(obj))
        return preview

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
            path(
                "<int:ball_id>/public-preview/",
                self.admin_site.admin_view(self.public_preview_view),
                name="networks_ball_public_preview",
            ),
        ] + super().get_urls()

    def public_preview_view(self, request, ball_id):
        """The ball's public page as it is or would be, with publish / take off buttons."""
        if not request.user.has_perm("networks.change_ball"):
            raise PermissionDenied
        ball = get_object_or_404(
            self.get_queryset(request)
            .select_related("network")
            .prefetch_related(
                "themes",
                "core_areas",
                Prefetch("events", queryset=public_answers(), to_attr="public_answers"),
            ),
            pk=ball_id,
        )
        if request.method == "POST":
            try:
                if "publish" in request.POST:
                    publication.ball_publish(ball=ball, actor=request.user)
                    self.message_user(request, _("The ball is published."), messages.SUCCESS)
                elif "unpublish" in request.POST:
                    publication.ball_unpublish(ball=ball, actor=request.user)
                    self.message_user(
                        request, _("The ball is taken off the public pages."), messages.SUCCESS
                    )
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
            return redirect("admin:networks_ball_public_preview", ball.pk)
        # The public steps, as the public page shows them (one query).
        ball.public_steps = list(public_steps().filter(ball=ball))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Public page of ball #%(pk)s") % {"pk": ball.pk},
            "ball": ball,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/networks/ball/public_preview.html", context)

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

    @admin.action(
        description=_("Publish (the sender agreed, a public summary is written)"),
        permissions=["change"],
    )
    def publish_selected(self, request, queryset):
        """Publish each selected ball whose sender agreed and that has a public title and
        summary; the others are left as they are and counted."""
        self._bulk_publication(request, queryset, publication.ball_publish)

    @admin.action(description=_("Take off the public pages"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self._bulk_publication(request, queryset, publication.ball_unpublish)

    def _bulk_publication(self, request, queryset, service):
        done, refused = 0, 0
        for ball in queryset.select_related(None).only("pk"):
            try:
                done += service(ball=ball, actor=request.user) is not None
            except ValidationError:
                refused += 1
        self.message_user(
            request,
            _("Changed %(done)s balls; %(refused)s could not be published.")
            % {"done": done, "refused": refused},
            messages.SUCCESS if not refused else messages.WARNING,
        )

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
class AnswerTemplateAdmin(TranslationAdmin):
    list_display = ["title", "state", "is_active", "position"]
    list_filter = ["state", "is_active"]
    search_fields = ["title", "text_da", "text_en"]
