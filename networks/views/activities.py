"""The public activity pages: the list, one activity with its registration form, the calendar
file, the ticket, cancelling, and the minutes' pictures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from ambassadors.views import current_ambassador, public_form_limits
from networks import services
from networks.calendar import calendar_build
from networks.filters import ActivityFilter
from networks.forms import RegistrationForm
from networks.models import (
    Activity,
    ActivityPicture,
    Registration,
    RegistrationStatus,
)
from themes.models import CoreArea, Theme
from udsathed.core.pictures import picture_response


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
        page = Paginator(results, 20).get_page(self.request.GET.get("side"))
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
                language=request.LANGUAGE_CODE,
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
        body = calendar_build(
            [activity], host=request.get_host(), absolute_url=request.build_absolute_uri
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
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
