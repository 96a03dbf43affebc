"""Newsletters: the public archive, the one-click unsubscribe link, and opting out on 'Min side'."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, TemplateView

from ambassadors import services
from ambassadors.models import Newsletter
from ambassadors.tokens import read_token
from ambassadors.views.access import AmbassadorRequiredMixin


class NewsletterOptOutView(AmbassadorRequiredMixin, View):
    def post(self, request):
        services.ambassador_newsletter_opt_out(ambassador=self.ambassador, source="self-service")
        messages.success(request, _("You will receive no more newsletters."))
        return redirect("ambassadors:ambassador-self")


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
