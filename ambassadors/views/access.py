"""How the ambassadors' pages know who is there: the session an e-mail link opens, the mixin of the
self-service pages, and the rate limits of the public forms (the networks app uses them too)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.decorators import ratelimit

from ambassadors.models import Ambassador

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
