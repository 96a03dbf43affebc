"""The public network pages: the list, one network's page, joining, and answering an invitation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from ambassadors.views import AmbassadorRequiredMixin
from networks import services
from networks.models import (
    Ball,
    Invitation,
    InvitationState,
    Membership,
    MembershipState,
    Network,
    NetworkState,
)
from themes.models import CoreArea, Theme


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
