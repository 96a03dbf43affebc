"""Action networks with their members, matching ambassadors to a network, invitations."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from ambassadors.models import Ambassador
from networks import services
from networks.admin.exports import MembershipExportResource, members_of
from networks.models import (
    Ball,
    Invitation,
    Membership,
    MembershipState,
    Network,
)
from themes.admin import ActiveStrategyFilter, InterestsAdminMixin
from udsathed.core.exports import ExportActionsMixin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["ambassador", "user", "role", "state", "mandate", "joined_on"]
    raw_id_fields = ["ambassador", "user"]


@admin.register(Network)
class NetworkAdmin(ExportActionsMixin, InterestsAdminMixin, TranslationAdmin):
    export_resource_class = MembershipExportResource  # the members of the selected
    export_file_name = "netvaerksmedlemmer"
    export_what = _("the members of the selected")

    def get_export_queryset(self, request, queryset):
        return members_of(queryset)

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
    search_fields = ["name_da", "name_en", "purpose_da", "outcome_da"]
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
class MembershipAdmin(ExportActionsMixin, admin.ModelAdmin):
    export_resource_class = MembershipExportResource
    export_file_name = "netvaerksmedlemmer"
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
