"""The public record of the balls (/bolde/, /bolde/nr/<number>/) and the sender's say on it.

Only published balls are shown, and of them only what staff wrote for the public (title,
summary), the ball's kind, themes, core areas, network, state, dates and the answers it got.
Never the sender's name, contact or own text, nor staff's internal comments."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from ambassadors.views import public_form_limits
from networks.filters import PublicBallFilter
from networks.models import Ball
from networks.services.publication import (
    ball_consent_change,
    ball_record,
    public_steps,
    published_balls,
)

PAGE_SIZE = 20


class BallPublicListView(TemplateView):
    """The published balls, newest first, with the counts over all balls above them."""

    template_name = "networks/ball_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        balls = PublicBallFilter(self.request.GET, queryset=published_balls())
        results = balls.qs if balls.is_valid() else Ball.objects.none()
        results = results.order_by("-received_at", "-pk")
        page = Paginator(results, PAGE_SIZE).get_page(self.request.GET.get("side"))
        query = self.request.GET.copy()
        query.pop("side", None)
        context.update(filter=balls, page_obj=page, query=query.urlencode(), record=ball_record())
        return context


class BallPublicDetailView(DetailView):
    """One published ball and its public steps as a timeline."""

    template_name = "networks/ball_public_detail.html"
    context_object_name = "ball"
    pk_url_kwarg = "number"

    def get_queryset(self):
        return published_balls().prefetch_related(
            Prefetch("events", queryset=public_steps(), to_attr="public_steps")
        )


@method_decorator(never_cache, name="dispatch")
@method_decorator(public_form_limits("ball-consent"), name="dispatch")
class BallConsentView(View):
    """The sender changes their answer on showing the ball in public (from the status page)."""

    def post(self, request, token):
        if len(token) > 40:
            raise Http404("No such ball")
        ball = get_object_or_404(Ball.objects.only("pk", "token", "publish_consent"), token=token)
        consent = request.POST.get("publish_consent") == "yes"
        ball_consent_change(ball=ball, consent=consent)
        if consent:
            messages.success(
                request,
                _("Thank you. We may now tell the public what became of your ball."),
            )
        else:
            messages.success(
                request, _("Your ball will not be shown in public. It is taken off if it was.")
            )
        return redirect(ball.get_absolute_url())
