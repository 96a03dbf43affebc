"""The public ball pages: the form that sends a ball and the sender's private status page."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView

from ambassadors.views import public_form_limits
from networks import services
from networks.forms import BallForm
from networks.models import (
    Ball,
    BallEvent,
)

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
