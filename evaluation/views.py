from __future__ import annotations

import logging

from django.contrib.auth.mixins import AccessMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from evaluation import dashboard, exports
from evaluation.forms import PeriodForm, ResponseForm
from evaluation.models import EvaluationRound, Respondent
from evaluation.services import AlreadyAnswered, response_submit

logger = logging.getLogger(__name__)


def can_see_dashboard(user) -> bool:
    """Who holds `evaluation.view_dashboard` (committee members, project leaders, superusers)."""
    return user.is_authenticated and user.has_perm("evaluation.view_dashboard")


class DashboardAccessMixin(AccessMixin):
    """Anonymous visitors log in through the admin's log-in page; others without a role get 403."""

    login_url = reverse_lazy("admin:login")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_see_dashboard(request.user):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def period_form(self) -> PeriodForm:
        data = self.request.GET if {"fra", "til"} & set(self.request.GET) else None
        return PeriodForm(data)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


class DashboardView(DashboardAccessMixin, TemplateView):
    template_name = "evaluation/dashboard.html"

    def get(self, request, *args, **kwargs):
        return _no_store(super().get(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        form = self.period_form()
        period = form.period  # invalid input: the form shows why, the figures use the default
        query = ""
        if form.is_bound and form.is_valid():
            query = f"?fra={period.start:%Y-%m-%d}&til={period.end:%Y-%m-%d}"
        return {
            **super().get_context_data(**kwargs),
            **dashboard.dashboard_data(period),
            "form": form,
            "query": query,
        }


class _DownloadView(DashboardAccessMixin, View):
    def valid_period(self):
        form = self.period_form()
        if form.is_bound and not form.is_valid():
            messages = [str(e) for errors in form.errors.values() for e in errors]
            return None, HttpResponse(
                _("The period is not valid: %(errors)s") % {"errors": " ".join(messages)},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return form.period, None


class ChartCsvView(_DownloadView):
    """One chart's, table's or goal's data as CSV, with the same rules as the page (hidden
    values as "<5") and numbers as numbers (see `evaluation.charts.CSV_DELIMITER`)."""

    def get(self, request, slug):
        period, error = self.valid_period()
        if error:
            return error
        text = exports.table_csv(dashboard.dashboard_data(period), slug)
        if text is None:
            raise Http404
        logger.info("Dashboard CSV %s exported by user #%s", slug, request.user.pk)
        response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
        name = f"{slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return _no_store(response)


class DashboardWorkbookView(_DownloadView):
    """Every figure of the dashboard as one Excel workbook, a sheet per figure."""

    def get(self, request):
        period, error = self.valid_period()
        if error:
            return error
        logger.info("Dashboard workbook exported by user #%s", request.user.pk)
        response = HttpResponse(
            exports.workbook(dashboard.dashboard_data(period)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"fremdrift-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return _no_store(response)


class DashboardPdfView(_DownloadView):
    """The whole dashboard as a PDF report for the committee's meeting papers."""

    def get(self, request):
        from evaluation.report import render_dashboard_pdf

        period, error = self.valid_period()
        if error:
            return error
        logger.info("Dashboard PDF exported by user #%s", request.user.pk)
        pdf = render_dashboard_pdf(dashboard.dashboard_data(period))
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"fremdrift-{period.start:%Y%m%d}-{period.end:%Y%m%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return _no_store(response)


class ProgressView(TemplateView):
    """Public: the goals and where they stand today, and the effect indicators."""

    template_name = "evaluation/progress.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **dashboard.progress_data(),
            "today": timezone.localdate(),
        }


class RoundListView(ListView):
    template_name = "evaluation/round_list.html"
    context_object_name = "rounds"

    def get_queryset(self):
        return EvaluationRound.objects.published().filter(strategy__is_active=True)


class RoundDetailView(DetailView):
    template_name = "evaluation/round_detail.html"
    context_object_name = "round"

    def get_queryset(self):
        return EvaluationRound.objects.published().prefetch_related("recommendations__themes")


class ResponseCreateView(FormView):
    """The questionnaire behind a personal link; it takes one answer."""

    template_name = "evaluation/response_form.html"
    form_class = ResponseForm

    def dispatch(self, request, *args, **kwargs):
        self.respondent = get_object_or_404(
            Respondent.objects.select_related("round", "ambassador"),
            token=kwargs["token"],
            ambassador__erased_at__isnull=True,
        )
        round = self.respondent.round
        today = timezone.localdate()
        if self.respondent.answered_at:
            return self.closed(_("You have already answered. Thank you!"))
        if (round.opens_on and today < round.opens_on) or (
            round.closes_on and today > round.closes_on
        ):
            return self.closed(_("The questionnaire is not open for answers."))
        return super().dispatch(request, *args, **kwargs)

    def closed(self, message: str):
        response = render(
            self.request,
            "evaluation/response_done.html",
            {"round": self.respondent.round, "message": message},
        )
        return _no_store(response)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "questions": list(self.respondent.round.questions.all()),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "round": self.respondent.round}

    def get(self, request, *args, **kwargs):
        return _no_store(super().get(request, *args, **kwargs))

    def form_valid(self, form):
        try:
            response_submit(respondent=self.respondent, answers=form.answers())
        except AlreadyAnswered:
            return self.closed(_("You have already answered. Thank you!"))
        return self.closed(_("Thank you for your answers."))
