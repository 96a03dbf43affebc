"""The ambassadors' own pages: sign-up, the e-mail links (confirm, stay, log in), 'Min side' with
its data export and withdrawal, and the public directory."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from ambassadors import services
from ambassadors.filters import DirectoryFilter
from ambassadors.forms import AmbassadorProfileForm, AmbassadorSignUpForm, LoginLinkForm
from ambassadors.models import INVITATION_RETENTION, Ambassador
from ambassadors.tokens import read_token
from ambassadors.views.access import (
    AFTER_LOGIN_KEY,
    AmbassadorRequiredMixin,
    log_in,
    public_form_limits,
)
from themes.models import CoreArea, Theme


@method_decorator(public_form_limits("ambassador-signup"), name="dispatch")
class AmbassadorSignUpView(FormView):
    template_name = "ambassadors/ambassador_form.html"
    form_class = AmbassadorSignUpForm
    success_url = reverse_lazy("ambassadors:ambassador-signup-done")

    def form_valid(self, form):
        if not form.is_robot:
            data = form.cleaned_data
            services.ambassador_sign_up(
                kind=data["kind"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                postcode=data["postcode"],
                organisation_name=data["organisation_name"],
                description=data["description"],
                website=data["website"],
                skills=data["skills"],
                themes=data["themes"],
                core_areas=data["core_areas"],
                show_in_directory=data["show_in_directory"],
                accepts_newsletter=data["accepts_newsletter"],
                language=self.request.LANGUAGE_CODE,
            )
        return super().form_valid(form)


class AmbassadorSignUpDoneView(TemplateView):
    template_name = "ambassadors/ambassador_signup_done.html"


class TokenView(View):
    """A page reached from an e-mail link: GET shows a button, POST does the deed.

    Mail scanners follow links with GET; a POST needs a person.
    """

    purpose = ""
    max_age = None
    template_name = ""

    def get_ambassador(self):
        return read_token(self.kwargs["token"], self.purpose, self.max_age)

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        self.ambassador = self.get_ambassador()
        if self.ambassador is None:
            return render(request, "ambassadors/link_invalid.html", status=400)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, {"ambassador": self.ambassador})


class AmbassadorConfirmView(TokenView):
    purpose = "confirm"
    max_age = settings.CONFIRMATION_LINK_MAX_AGE
    template_name = "ambassadors/ambassador_confirm.html"

    def post(self, request, *args, **kwargs):
        services.ambassador_confirm(ambassador=self.ambassador)
        log_in(request, self.ambassador)
        messages.success(
            request, _("Welcome! You are now an ambassador. Your certificate is ready below.")
        )
        return redirect("ambassadors:ambassador-self")


class AmbassadorStayView(TokenView):
    purpose = "stay"
    max_age = None  # answering late still brings a lapsed ambassador back
    template_name = "ambassadors/ambassador_stay.html"

    def post(self, request, *args, **kwargs):
        services.ambassador_reconfirm(ambassador=self.ambassador)
        log_in(request, self.ambassador)
        messages.success(request, _("Thank you for staying an ambassador."))
        return redirect("ambassadors:ambassador-self")


class AmbassadorInvitationView(TokenView):
    """The personal invitation to someone imported from an existing list: yes makes them an
    ambassador (their own consent, from now on); no forgets them at once."""

    purpose = "invite"
    max_age = INVITATION_RETENTION
    template_name = "ambassadors/ambassador_invitation.html"

    def get_ambassador(self):
        ambassador = super().get_ambassador()
        # Answered already (or signed up themselves meanwhile): the link has done its work.
        if ambassador is None or ambassador.invited_at is None or ambassador.confirmed_at:
            return None
        return ambassador

    def post(self, request, *args, **kwargs):
        if request.POST.get("answer") == "no":
            services.ambassador_forget_invited(
                ambassador=self.ambassador, source="declined invitation"
            )
            return render(request, "ambassadors/ambassador_invitation_declined.html")
        services.ambassador_accept_invitation(ambassador=self.ambassador)
        log_in(request, self.ambassador)
        messages.success(
            request, _("Welcome! You are now an ambassador. Your certificate is ready below.")
        )
        return redirect("ambassadors:ambassador-self")


class AmbassadorLoginView(TokenView):
    """The magic link itself: one click from the e-mail opens 'Min side'."""

    purpose = "login"
    max_age = settings.MAGIC_LINK_MAX_AGE

    def get(self, request, *args, **kwargs):
        back = request.session.pop(AFTER_LOGIN_KEY, "")
        log_in(request, self.ambassador)
        if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
            return redirect(back)
        return redirect("ambassadors:ambassador-self")


@method_decorator(public_form_limits("login-request"), name="dispatch")
class LoginRequestView(FormView):
    template_name = "ambassadors/login_request.html"
    form_class = LoginLinkForm

    def form_valid(self, form):
        if not form.is_robot:
            ambassador = (
                Ambassador.objects.not_erased()
                .filter(email__iexact=form.cleaned_data["email"])
                .first()
            )
            if ambassador is not None and ambassador.confirmed_at is not None:
                services.ambassador_send_login_link(ambassador=ambassador)
            elif ambassador is not None and ambassador.invited_at is not None:
                # Imported and not yet answered: yes or no on the invitation page, where the
                # yes is recorded as their own consent.
                services.ambassador_send_invitation(ambassador=ambassador)
            elif ambassador is not None:
                services.ambassador_send_confirmation(ambassador=ambassador)
        # The same answer whether or not the address is known.
        return render(self.request, "ambassadors/login_request_sent.html")


class AmbassadorSelfView(AmbassadorRequiredMixin, FormView):
    """'Min side': edit details and interests, certificate, data, newsletter, withdraw."""

    template_name = "ambassadors/ambassador_self.html"
    form_class = AmbassadorProfileForm
    success_url = reverse_lazy("ambassadors:ambassador-self")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.ambassador}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ambassador"] = self.ambassador
        context["certificate"] = self.ambassador.current_certificate
        context["stories"] = self.ambassador.stories.all()[:20]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        services.ambassador_update(
            ambassador=self.ambassador,
            data=data,
            themes=data["themes"],
            core_areas=data["core_areas"],
        )
        messages.success(self.request, _("Your changes have been saved."))
        return super().form_valid(form)


class DataExportView(AmbassadorRequiredMixin, View):
    def get(self, request):
        data = services.ambassador_export(ambassador=self.ambassador)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="mine-data.json"'
        return response


class AmbassadorWithdrawView(AmbassadorRequiredMixin, TemplateView):
    template_name = "ambassadors/ambassador_withdraw.html"

    def post(self, request):
        services.ambassador_erase(ambassador=self.ambassador)
        request.session.flush()
        return render(request, "ambassadors/ambassador_withdrawn.html")


class LogoutView(View):
    def post(self, request):
        request.session.flush()
        messages.info(request, _("You are logged out."))
        return redirect("themes:home")


class DirectoryView(TemplateView):
    template_name = "ambassadors/ambassador_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = Ambassador.objects.in_directory().prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number")),
            Prefetch("core_areas", queryset=CoreArea.objects.order_by("position")),
        )
        directory = DirectoryFilter(self.request.GET, queryset=queryset)
        results = (
            directory.qs.order_by("organisation_name", "pk")
            if directory.is_valid()
            else queryset.none()
        )
        page = Paginator(results, self.paginate_by).get_page(self.request.GET.get("side"))
        query = self.request.GET.copy()
        query.pop("side", None)
        context.update(filter=directory, page_obj=page, query=query.urlencode())
        return context
