from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from ambassadors.models import Ambassador
from evaluation import services
from evaluation.admin_exports import RoundResultsExportResource
from evaluation.models import (
    Answer,
    EvaluationRound,
    Goal,
    Indicator,
    Measurement,
    Question,
    QuestionKind,
    Recommendation,
    Respondent,
)
from udsathed.core.exports import resource_response


@admin.register(Goal)
class GoalAdmin(TranslationAdmin):
    list_display = ["title", "metric", "target", "period_start", "period_end", "strategy"]
    list_filter = ["strategy", "metric"]
    search_fields = ["title_da", "title_en", "slug"]
    date_hierarchy = "period_start"
    fieldsets = [
        (None, {"fields": ["strategy", "slug", "position", "title"]}),
        (_("Measure"), {"fields": ["metric", "target", "period_start", "period_end"]}),
        (_("Texts"), {"fields": ["description"]}),
    ]


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 1
    fields = ["measured_on", "value", "source"]


@admin.register(Indicator)
class IndicatorAdmin(TranslationAdmin):
    list_display = ["name", "unit", "lower_is_better", "measurement_count", "strategy"]
    list_filter = ["strategy"]
    search_fields = ["name_da", "name_en"]
    inlines = [MeasurementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("measurements"))

    @admin.display(description=_("measurements"), ordering="n")
    def measurement_count(self, obj):
        return obj.n


class QuestionInline(TranslationTabularInline):
    model = Question
    extra = 0
    fields = ["position", "point", "kind", "text", "required"]


class RecommendationInline(TranslationStackedInline):
    model = Recommendation
    extra = 0
    fields = ["position", "topic", "text", "background", "themes", "state"]


class RespondentInline(admin.TabularInline):
    model = Respondent
    extra = 0
    fields = ["ambassador", "sent_at", "answered_at"]
    readonly_fields = ["sent_at", "answered_at"]
    autocomplete_fields = ["ambassador"]


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(TranslationAdmin):
    list_display = ["title", "year", "is_published", "progress", "results_link"]
    list_filter = ["is_published", "strategy"]
    search_fields = ["title_da", "title_en"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["progress", "results_link"]
    inlines = [QuestionInline, RecommendationInline, RespondentInline]
    actions = ["choose_active_ambassadors", "send_questionnaire"]
    fieldsets = [
        (None, {"fields": ["strategy", "year", "title", "slug", "is_published", "summary"]}),
        (
            _("Questionnaire"),
            {"fields": ["opens_on", "closes_on", "progress", "results_link"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                chosen=Count("respondents", distinct=True),
                answered=Count("responses", distinct=True),
            )
        )

    @admin.display(description=_("answers"))
    def progress(self, obj):
        if obj.pk is None:
            return "–"
        return _("%(answered)s of %(chosen)s answered") % {
            "answered": getattr(obj, "answered", obj.responses.count()),
            "chosen": getattr(obj, "chosen", obj.respondents.count()),
        }

    @admin.display(description=_("results"))
    def results_link(self, obj):
        if obj.pk is None:
            return "–"
        url = reverse("admin:evaluation_evaluationround_results", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Results"))

    @admin.action(
        description=_("Choose every active ambassador to answer the questionnaire"),
        permissions=["change"],
    )
    def choose_active_ambassadors(self, request, queryset):
        added = sum(
            services.round_add_respondents(round=r, ambassadors=Ambassador.objects.active())
            for r in queryset
        )
        self.message_user(
            request, _("%(n)s ambassadors were chosen.") % {"n": added}, messages.SUCCESS
        )

    @admin.action(
        description=_("Send the questionnaire to the chosen ambassadors (in the background)"),
        permissions=["change"],
    )
    def send_questionnaire(self, request, queryset):
        waiting = sum(services.round_send_questionnaire(round=r) for r in queryset)
        self.message_user(
            request,
            _("%(n)s questionnaires are on their way.") % {"n": waiting},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "<int:round_id>/results/",
                self.admin_site.admin_view(self.results_view),
                name="evaluation_evaluationround_results",
            ),
        ] + super().get_urls()

    def results_view(self, request, round_id):
        """Answers per question: counts per score and the average; free texts listed as given.
        With ?format=csv or ?format=xlsx, the same as a spreadsheet."""
        if not request.user.has_perm("evaluation.view_answer"):
            raise PermissionDenied
        round = get_object_or_404(EvaluationRound, pk=round_id)
        questions = list(round.questions.all())
        answers = Answer.objects.filter(question__round=round)
        scores = {}
        for row in (
            answers.filter(score__isnull=False)
            .order_by()
            .values("question", "score")
            .annotate(n=Count("pk"))
        ):
            scores.setdefault(row["question"], {})[row["score"]] = row["n"]
        averages = dict(
            answers.filter(score__isnull=False)
            .order_by()
            .values("question")
            .annotate(avg=Avg("score"))
            .values_list("question", "avg")
        )
        texts = {}
        for question_id, text in (
            answers.exclude(text="").order_by("question", "pk").values_list("question", "text")
        ):
            texts.setdefault(question_id, []).append(text)
        rows = []
        for question in questions:
            counts = scores.get(question.pk, {})
            rows.append(
                {
                    "question": question,
                    "is_scale": question.kind == QuestionKind.SCALE,
                    "scores": [(score, counts.get(score, 0)) for score in range(1, 6)],
                    "answered": sum(counts.values())
                    if question.kind == QuestionKind.SCALE
                    else len(texts.get(question.pk, [])),
                    "average": averages.get(question.pk),
                    "texts": texts.get(question.pk, []),
                }
            )
        if request.GET.get("format") in ("csv", "xlsx"):
            return resource_response(
                request=request,
                resource=RoundResultsExportResource(request=request),
                rows=rows,
                target="evaluation.answer",
                file_format=request.GET["format"],
                file_name=f"resultater-{round.pk}",
                sheet_title=round.title,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Results: %(title)s") % {"title": round.title},
            "round": round,
            "rows": rows,
            "responses": round.responses.count(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/evaluation/evaluationround/results.html", context)
