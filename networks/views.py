from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, TemplateView

from ambassadors.views import AmbassadorRequiredMixin, public_form_limits
from networks import services
from networks.forms import BallForm
from networks.models import (
    Ball,
    BallEvent,
    Invitation,
    InvitationState,
    Membership,
    MembershipState,
    Network,
)
from themes.models import CoreArea, Theme

JUST_SENT = "ball_just_sent"


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
            language=self.request.LANGUAGE_CODE,
        )
        self.request.session[JUST_SENT] = ball.token
        return redirect(ball.get_absolute_url())


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["just_sent"] = self.request.session.pop(JUST_SENT, None) == self.object.token
        return context


class NetworkListView(TemplateView):
    template_name = "networks/network_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        networks = Network.objects.public().prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number"))
        )
        context["standing"] = [n for n in networks if n.is_standing]
        context["current"] = [n for n in networks if not n.is_standing and n.state == "active"]
        context["past"] = sorted(
            (n for n in networks if n.state == "closed"),
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
                queryset=Ball.objects.exclude(public_title="").only(
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
