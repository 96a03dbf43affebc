"""What the networks app's admin lists export: balls, the registrations and attendance of an
activity (the door list), network members (udsathed.core.exports does the how)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from networks.models import Membership, Registration, sees_every_ball
from themes.models import Theme
from udsathed.core.exports import ExportResource, local_time

# A ball's free text and its sender's contact details, for those who handle every ball only:
# a network lead reads them one ball at a time (each read audited), not as a list to keep.
BALL_FREE_TEXT = ["description", "contact_name", "contact_email", "contact_phone"]


class BallExportResource(ExportResource):
    pk = Field(attribute="pk", column_name=_("no."))
    title = Field(attribute="title", column_name=_("title"))
    kind = Field(column_name=_("kind"))
    state = Field(column_name=_("state"))
    network = Field(column_name=_("action network"))
    themes = Field(column_name=_("themes"))
    received_at = Field(column_name=_("received"))
    first_response_at = Field(column_name=_("first response"))
    closed_at = Field(column_name=_("closed"))
    public_title = Field(attribute="public_title", column_name=_("public title"))
    description = Field(attribute="description", column_name=_("description"))
    contact_name = Field(attribute="contact_name", column_name=_("sender's name"))
    contact_email = Field(attribute="contact_email", column_name=_("sender's e-mail"))
    contact_phone = Field(attribute="contact_phone", column_name=_("sender's phone"))

    def __init__(self, *, request=None, **kwargs):
        super().__init__(request=request, **kwargs)
        if request is None or not sees_every_ball(request.user):
            for name in BALL_FREE_TEXT:
                del self.fields[name]

    def rows(self, queryset):
        return queryset.select_related("network").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number"))
        )

    def dehydrate_kind(self, ball):
        return str(ball.get_kind_display())

    def dehydrate_state(self, ball):
        return str(ball.get_state_display())

    def dehydrate_network(self, ball):
        return ball.network.name if ball.network else ""

    def dehydrate_themes(self, ball):
        return ", ".join(str(theme.number) for theme in ball.themes.all())

    def dehydrate_received_at(self, ball):
        return local_time(ball.received_at)

    def dehydrate_first_response_at(self, ball):
        return local_time(ball.first_response_at)

    def dehydrate_closed_at(self, ball):
        return local_time(ball.closed_at)


class RegistrationExportResource(ExportResource):
    """The door list: who is coming to which activity, and who came."""

    activity = Field(column_name=_("activity"))
    starts_at = Field(column_name=_("starts"))
    name = Field(attribute="name", column_name=_("name"))
    email = Field(attribute="email", column_name=_("e-mail"))
    status = Field(column_name=_("status"))
    attended = Field(column_name=_("came"))
    needs = Field(attribute="needs", column_name=_("accessibility or dietary needs"))
    created_at = Field(column_name=_("registered"))

    def rows(self, queryset):
        return queryset.select_related("activity").order_by("activity__starts_at", "name", "pk")

    def dehydrate_activity(self, registration):
        return registration.activity.title

    def dehydrate_starts_at(self, registration):
        return local_time(registration.activity.starts_at)

    def dehydrate_status(self, registration):
        return str(registration.get_status_display())

    def dehydrate_attended(self, registration):
        return registration.attended

    def dehydrate_created_at(self, registration):
        return local_time(registration.created_at)


class MembershipExportResource(ExportResource):
    network = Field(column_name=_("action network"))
    name = Field(column_name=_("name"))
    email = Field(column_name=_("e-mail"))
    phone = Field(column_name=_("phone"))
    role = Field(column_name=_("role"))
    state = Field(column_name=_("state"))
    joined_on = Field(column_name=_("joined"))

    def rows(self, queryset):
        return queryset.select_related("network", "ambassador", "user").order_by(
            "network__name", "pk"
        )

    def dehydrate_network(self, membership):
        return membership.network.name

    def dehydrate_name(self, membership):
        if membership.ambassador:
            return str(membership.ambassador)
        return membership.user.get_full_name() or membership.user.get_username()

    def dehydrate_email(self, membership):
        person = membership.ambassador or membership.user
        return person.email if person else ""

    def dehydrate_phone(self, membership):
        return membership.ambassador.phone if membership.ambassador else ""

    def dehydrate_role(self, membership):
        return str(membership.get_role_display())

    def dehydrate_state(self, membership):
        return str(membership.get_state_display())

    def dehydrate_joined_on(self, membership):
        return membership.joined_on.isoformat() if membership.joined_on else ""


def registrations_of(activities):
    return Registration.objects.filter(activity__in=activities)


def members_of(networks):
    return Membership.objects.filter(network__in=networks)
