from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, TemplateView
from icalendar import Calendar as ICalendar
from icalendar import Event as ICalEvent

from ambassadors.views import AmbassadorRequiredMixin, current_ambassador, public_form_limits
from networks import services
from networks.filters import ActivityFilter
from networks.forms import BallForm, RegistrationForm
from networks.models import (
    Activity,
    ActivityPicture,
    ActivityState,
    Ball,
    BallEvent,
    Invitation,
    InvitationState,
    Membership,
    MembershipState,
    Network,
    NetworkState,
    Registration,
    RegistrationStatus,
)
from themes.models import CoreArea, Theme
from udsathed.core.pictures import picture_response

JUST_SENT = "ball_just_sent"
JUST_SENT_SECONDS = 3600


@method_decorator(public_form_limits("ball-create"), name="dispatch")
class BallCreateView(FormView):
    template_name = "networks/ball_form.html"
    form_class = BallForm
    extra_context = {"response_days": settings.BALL_FIRST_RESPONSE_DAYS}

    def form_valid(self, form):
        if form.is_robot:
            return render(self.request, "networks/ball_robot.html")
        data = form.cleaned_data
        ball = services.ball_submit(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            themes=data["themes"],
            core_areas=data["core_areas"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            contact_consent=data["contact_consent"],
            publish_consent=data["publish_consent"],
            language=self.request.LANGUAGE_CODE,
            form_key=data["form_key"],
        )
        # The receipt is shown once on the ball's page: a cookie for that page's path only, not
        # a session (no session row per anonymous ball). It holds no secret and needs no
        # signature: the address is the secret, and a forged cookie would only show the thanks
        # to someone who already has the ball's page.
        url = ball.get_absolute_url()
        response = HttpResponseRedirect(url)  # redirect() would first try the path as a URL name
        response.set_cookie(
            JUST_SENT,
            "1",
            max_age=JUST_SENT_SECONDS,
            path=url,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


@method_decorator(never_cache, name="dispatch")
class BallStatusView(DetailView):
    """The sender's private page, reached only through the unguessable token."""

    template_name = "networks/ball_detail.html"
    context_object_name = "ball"
    slug_field = slug_url_kwarg = "token"

    def get_queryset(self):
        return Ball.objects.select_related("network").prefetch_related(
            Prefetch(
                "events",
                queryset=BallEvent.objects.filter(is_public=True).select_related("network"),
            )
        )

    def get_object(self, queryset=None):
        token = self.kwargs["token"]
        if len(token) > 40:
            raise Http404("No such ball")
        return super().get_object(queryset)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.COOKIES.get(JUST_SENT):  # the receipt is shown once
            response.delete_cookie(JUST_SENT, path=request.path, samesite="Lax")
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["just_sent"] = self.request.COOKIES.get(JUST_SENT) == "1"
        return context


class NetworkListView(TemplateView):
    template_name = "networks/network_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        networks = Network.objects.public().prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number"))
        )
        context["standing"] = [n for n in networks if n.is_standing]
        context["current"] = [
            n for n in networks if not n.is_standing and n.state == NetworkState.ACTIVE
        ]
        context["past"] = sorted(
            (n for n in networks if n.state == NetworkState.CLOSED),
            key=lambda n: n.ends_on or n.starts_on or n.created_at.date(),
            reverse=True,
        )
        return context


class NetworkDetailView(DetailView):
    template_name = "networks/network_detail.html"
    context_object_name = "network"

    def get_queryset(self):
        return Network.objects.public().prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number")),
            Prefetch("core_areas", queryset=CoreArea.objects.order_by("position")),
            Prefetch(
                "balls",
                queryset=Ball.objects.published().only(
                    "pk", "public_title", "state", "network_id", "received_at"
                ),
                to_attr="public_balls",
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(state=MembershipState.ACTIVE).select_related(
                    "ambassador", "user"
                ),
                to_attr="active_memberships",
            ),
        )


class NetworkJoinView(AmbassadorRequiredMixin, View):
    """An ambassador asks to join an open ad hoc network (identity proven by their link)."""

    def post(self, request, slug):
        network = get_object_or_404(Network.objects.public(), slug=slug)
        try:
            services.network_join_request(network=network, ambassador=self.ambassador)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("Thank you! The project leaders will confirm your place in the network."),
            )
        return redirect(network.get_absolute_url())


@method_decorator(never_cache, name="dispatch")
class InvitationAnswerView(View):
    def dispatch(self, request, token):
        self.invitation = get_object_or_404(
            Invitation.objects.select_related("network", "ambassador"), token=token[:40]
        )
        return super().dispatch(request, token)

    def get(self, request, token):
        return render(request, "networks/invitation_answer.html", {"invitation": self.invitation})

    def post(self, request, token):
        if self.invitation.state == InvitationState.PENDING:
            accept = request.POST.get("answer") == "yes"
            services.invitation_answer(invitation=self.invitation, accept=accept)
            self.invitation.refresh_from_db()
        return render(request, "networks/invitation_answer.html", {"invitation": self.invitation})


class ActivityListView(TemplateView):
    """Upcoming (default) or past activities, filtered by kind, theme and core area."""

    template_name = "networks/activity_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        past = self.request.GET.get("tid") == "tidligere"
        base = Activity.objects.visible()
        base = base.past() if past else base.upcoming()
        activities = ActivityFilter(self.request.GET, queryset=base.with_counts())
        results = activities.qs if activities.is_valid() else base.none()
        page = Paginator(results.select_related("network"), 20).get_page(
            self.request.GET.get("side")
        )
        query = self.request.GET.copy()
        query.pop("side", None)
        context.update(filter=activities, page_obj=page, past=past, query=query.urlencode())
        return context


@method_decorator(public_form_limits("activity-register"), name="dispatch")
class ActivityDetailView(DetailView):
    """The activity page; its form registers (ambassadors through their link, or by name)."""

    template_name = "networks/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self):
        return (
            Activity.objects.visible()
            .with_counts()
            .select_related("network")
            .prefetch_related(
                Prefetch("themes", queryset=Theme.objects.order_by("number")),
                Prefetch("core_areas", queryset=CoreArea.objects.order_by("position")),
                "pictures",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ambassador = current_ambassador(self.request)
        context["ambassador"] = ambassador
        if self.object.registration_open() and (self.object.is_public or ambassador):
            context["form"] = kwargs.get("form") or RegistrationForm(ambassador=ambassador)
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        ambassador = current_ambassador(request)
        if not self.object.is_public and ambassador is None:
            messages.info(request, _("This activity is for ambassadors. Open your page first."))
            return redirect("ambassadors:login-request")
        form = RegistrationForm(request.POST, ambassador=ambassador)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=200)
        if form.is_robot:
            return redirect(self.object.get_absolute_url())
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                activity=self.object,
                name=data["name"],
                email=ambassador.email if ambassador else data["email"],
                needs=data["needs"],
                ambassador=ambassador,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(self.object.get_absolute_url())
        if registration.status == RegistrationStatus.WAITLISTED:
            messages.warning(
                request,
                _("The activity is full. You are on the waiting list and will hear from us."),
            )
        else:
            messages.success(request, _("You are registered. We have sent you an e-mail."))
        return redirect(self.object.get_absolute_url())


class ActivityCalendarView(View):
    """The activity as an iCalendar file (RFC 5545) to add to one's calendar."""

    def get(self, request, slug):
        activity = get_object_or_404(Activity.objects.visible(), slug=slug)
        calendar = ICalendar()
        calendar.add("prodid", "-//Faellesskabsportalen//DA")
        calendar.add("version", "2.0")
        event = ICalEvent()
        event.add("uid", f"activity-{activity.pk}@{request.get_host()}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", activity.starts_at)
        event.add("dtend", activity.ends_at)
        event.add("summary", activity.title)
        event.add("description", activity.description)
        event.add("location", f"{activity.place_name}, {activity.address}")
        event.add("url", request.build_absolute_uri(activity.get_absolute_url()))
        if activity.state == ActivityState.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{activity.slug}.ics"'
        return response


@method_decorator(never_cache, name="dispatch")
class RegistrationCancelView(View):
    def dispatch(self, request, token):
        self.registration = get_object_or_404(
            Registration.objects.select_related("activity"), token=token[:40]
        )
        return super().dispatch(request, token)

    def get(self, request, token):
        return render(
            request, "networks/registration_cancel.html", {"registration": self.registration}
        )

    def post(self, request, token):
        services.registration_cancel(registration=self.registration)
        self.registration.refresh_from_db()
        return render(
            request, "networks/registration_cancel.html", {"registration": self.registration}
        )


@method_decorator(never_cache, name="dispatch")
class RegistrationTicketView(DetailView):
    """The personal ticket: QR code and short code to show at the door, and the way out."""

    template_name = "networks/registration_ticket.html"
    context_object_name = "registration"
    slug_field = "token"
    slug_url_kwarg = "token"

    def get_queryset(self):
        return Registration.objects.select_related("activity")


@never_cache
def registration_ticket_qr(request, token: str):
    registration = get_object_or_404(
        Registration.objects.filter(status=RegistrationStatus.REGISTERED), token=token[:40]
    )
    qr = services.ticket_qr(registration=registration, kind="svg")
    response = HttpResponse(qr, content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def activity_picture(request, slug: str, pk: int):
    """A picture of the minutes; drafts' pictures only for staff who can see the draft."""
    activities = Activity.objects.all() if request.user.is_staff else Activity.objects.visible()
    picture = get_object_or_404(
        ActivityPicture.objects.filter(activity__in=activities), activity__slug=slug, pk=pk
    )
    return picture_response(picture.image)
