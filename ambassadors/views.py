import json

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from ambassadors import services
from ambassadors.certificate import render_certificate_pdf
from ambassadors.filters import DirectoryFilter
from ambassadors.forms import (
    AmbassadorProfileForm,
    AmbassadorSignUpForm,
    LoginLinkForm,
    StoryForm,
)
from ambassadors.models import (
    Ambassador,
    Certificate,
    Newsletter,
    StoryPicture,
    StoryState,
)
from ambassadors.tokens import read_token
from themes.models import CoreArea, Theme
from udsathed.core.mail import absolute_url
from udsathed.core.pictures import picture_response

SESSION_KEY = "ambassador"
AFTER_LOGIN_KEY = "ambassador_after_login"


def typed_email(request) -> str:
    return (request.POST.get("email") or request.POST.get("contact_email") or "").strip().lower()


def email_key(group, request):
    """Rate-limit key: the e-mail typed into the form, case-insensitively."""
    return typed_email(request)


def email_rate(group, request):
    """5 an hour per e-mail address; a form sent without one is limited by address only."""
    return "5/h" if typed_email(request) else None


def public_form_limits(group: str) -> list:
    """Per address and per e-mail, counted in the shared cache; over the limit the visitor
    gets the friendly 429 page and nothing is saved."""
    return [
        ratelimit(group=group, key="ip", rate="20/h", method="POST", block=True),
        ratelimit(group=group, key=email_key, rate=email_rate, method="POST", block=True),
        sensitive_post_parameters(),
    ]


def log_in(request, ambassador):
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": ambassador.pk, "v": ambassador.token_version}
    request.session.set_expiry(int(settings.AMBASSADOR_SESSION_AGE.total_seconds()))


def current_ambassador(request):
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    return (
        Ambassador.objects.not_erased()
        .filter(pk=data.get("id"), token_version=data.get("v"))
        .first()
    )


class AmbassadorRequiredMixin:
    """Self-service pages: the ambassador proved their e-mail through a link. Never cached."""

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        self.ambassador = current_ambassador(request)
        if self.ambassador is None:
            messages.info(
                request, _("Enter your e-mail, and we will send you a link to your page.")
            )
            # After the e-mail link, come back here (or to the page the form was on).
            if request.method == "GET":
                back = request.get_full_path()
            else:
                back = request.headers.get("Referer", "")
            if url_has_allowed_host_and_scheme(back, {request.get_host()}):
                request.session[AFTER_LOGIN_KEY] = back
            return redirect("ambassadors:login-request")
        return super().dispatch(request, *args, **kwargs)


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


class CertificateDownloadView(AmbassadorRequiredMixin, View):
    def get(self, request):
        certificate = self.ambassador.current_certificate
        if certificate is None:
            raise Http404("No valid certificate")
        pdf = render_certificate_pdf(
            certificate, verify_url=absolute_url(certificate.get_absolute_url())
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="ambassadoerbevis-{certificate.number}.pdf"'
        )
        return response


class DataExportView(AmbassadorRequiredMixin, View):
    def get(self, request):
        data = services.ambassador_export(ambassador=self.ambassador)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="mine-data.json"'
        return response


class NewsletterOptOutView(AmbassadorRequiredMixin, View):
    def post(self, request):
        services.ambassador_newsletter_opt_out(ambassador=self.ambassador, source="self-service")
        messages.success(request, _("You will receive no more newsletters."))
        return redirect("ambassadors:ambassador-self")


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


class CertificateVerifyView(DetailView):
    """Public: is this certificate valid, for whom, since when. Nothing else."""

    template_name = "ambassadors/certificate_verify.html"
    context_object_name = "certificate"
    slug_field = slug_url_kwarg = "code"

    def get_queryset(self):
        return Certificate.objects.select_related("ambassador")

    def get_object(self, queryset=None):
        code = self.kwargs["code"].strip().upper()
        if not code.isalnum() or len(code) > 16:
            raise Http404("Malformed code")
        self.kwargs["code"] = code
        return super().get_object(queryset)


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


@method_decorator(public_form_limits("story"), name="dispatch")
class StoryCreateView(AmbassadorRequiredMixin, FormView):
    """An ambassador sends a story with pictures from their page."""

    template_name = "ambassadors/story_form.html"
    form_class = StoryForm
    success_url = reverse_lazy("ambassadors:ambassador-self")

    def form_valid(self, form):
        if form.is_robot:  # the honeypot was filled in: pretend all went well, save nothing
            messages.success(self.request, _("Thank you. We have received your story."))
            return redirect(self.success_url)
        data = form.cleaned_data
        services.story_submit(
            ambassador=self.ambassador,
            title=data["title"],
            text=data["text"],
            use=data["use"],
            people_consented=data["people_consented"],
            pictures=data["pictures"],
            form_key=data["form_key"] or None,
        )
        messages.success(
            self.request,
            _("Thank you. We have received your story and will tell you what we decide."),
        )
        return redirect(self.success_url)


def story_picture(request, pk: int):
    """Pictures of accepted stories are public; the others only for their sender and staff."""
    picture = get_object_or_404(StoryPicture.objects.select_related("story"), pk=pk)
    story = picture.story
    allowed = (
        story.state == StoryState.ACCEPTED
        or request.user.has_perm("ambassadors.view_story")
        or (
            story.ambassador_id is not None
            and getattr(current_ambassador(request), "pk", None) == story.ambassador_id
        )
    )
    if not allowed:
        raise Http404
    response = picture_response(picture.image)
    if story.state != StoryState.ACCEPTED:
        response["Cache-Control"] = "private, no-store"
    return response


class NewsletterListView(TemplateView):
    template_name = "ambassadors/newsletter_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        newsletters = Newsletter.objects.published().only(
            "title", "slug", "sent_at", "send_started_at"
        )
        context["page_obj"] = Paginator(newsletters, 20).get_page(self.request.GET.get("side"))
        return context


class NewsletterDetailView(DetailView):
    template_name = "ambassadors/newsletter_detail.html"
    context_object_name = "newsletter"

    def get_queryset(self):
        return Newsletter.objects.published()


@method_decorator(csrf_exempt, name="dispatch")
class NewsletterUnsubscribeView(View):
    """The link in every newsletter. GET asks; POST (our button, or the mail program's
    RFC 8058 one-click request, which carries no cookie or CSRF token, so the signed token is
    what authorises it) unsubscribes at once, without logging in."""

    template_name = "ambassadors/newsletter_unsubscribe.html"

    def dispatch(self, request, token):
        self.ambassador = read_token(token, "unsubscribe", max_age=None)
        if self.ambassador is None:
            response = render(request, "ambassadors/link_invalid.html", status=404)
        else:
            response = super().dispatch(request, token)
        response["Cache-Control"] = "no-store"
        return response

    def get(self, request, token):
        return render(request, self.template_name, {"ambassador": self.ambassador, "done": False})

    def post(self, request, token):
        ambassador = self.ambassador
        services.ambassador_newsletter_opt_out(ambassador=ambassador, source="unsubscribe-link")
        return render(request, self.template_name, {"ambassador": ambassador, "done": True})
