"""Goals, effect indicators and evaluation rounds: how the committee follows the strategy.

- A `Goal` is a process goal measured from the portal's own records: a metric (see
  `evaluation.metrics`), a target and a period. Goals come with the strategy file and can be
  added or changed in the admin for later periods.
- An `Indicator` is an effect goal measured outside the portal (for instance the national count of
  homeless people); its `Measurement`s are typed in by hand with their source.
- An `EvaluationRound` (such as the 2021 evaluation) holds a questionnaire that is sent to chosen
  ambassadors, each of whom answers once through a personal link, and the recommendations the
  round led to.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador
from themes.models import Strategy, Theme
from udsathed.core.fields import CprMaskedCharField, CprMaskedTextField


class Metric(models.TextChoices):
    """What a goal measures; each value is computed by `evaluation.metrics.compute_goals`."""

    CONFIRMED_AMBASSADORS = "confirmed_ambassadors", _("Confirmed ambassadors")
    SHARE_LIVING_LOCALLY = (
        "share_living_locally",
        _("Share of ambassadors living in the municipality (%)"),
    )
    STARTED_INITIATIVES = (
        "started_initiatives",
        _("Networks, dialogue meetings, theme days and similar started"),
    )
    PLENARY_MEETINGS = "plenary_meetings", _("Plenary meetings held")
    MEDIAN_FIRST_RESPONSE_DAYS = (
        "median_first_response_days",
        _("Median days to the first response to a ball"),
    )
    SHARE_ANSWERED_IN_TIME = (
        "share_answered_in_time",
        _("Share of balls answered within the promised time (%)"),
    )

    @classmethod
    def lower_is_better(cls) -> set[str]:
        return {cls.MEDIAN_FIRST_RESPONSE_DAYS}

    @classmethod
    def cumulative(cls) -> set[str]:
        """Counts that grow through the period, so progress can be judged part of the way."""
        return {cls.STARTED_INITIATIVES, cls.PLENARY_MEETINGS}

    @classmethod
    def percentages(cls) -> set[str]:
        return {cls.SHARE_LIVING_LOCALLY, cls.SHARE_ANSWERED_IN_TIME}

    @classmethod
    def counts(cls) -> set[str]:
        return {cls.CONFIRMED_AMBASSADORS, cls.STARTED_INITIATIVES, cls.PLENARY_MEETINGS}


class GoalQuerySet(models.QuerySet):
    def of_active_strategy(self) -> GoalQuerySet:
        return self.filter(strategy__is_active=True).order_by("period_start", "position", "pk")

    def overlapping(self, start, end) -> GoalQuerySet:
        """Goals whose period shares at least one day with `start`..`end`."""
        return self.filter(period_start__lte=end, period_end__gte=start)


class Goal(models.Model):
    """A process goal: a metric computed from recorded data, a target and a period."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="goals", verbose_name=_("strategy")
    )
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        help_text=_("Matches the goal in the strategy file when the file is loaded again."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = CprMaskedCharField(_("title"), max_length=200)
    description = CprMaskedTextField(_("description"), blank=True)
    metric = models.CharField(_("measured as"), max_length=40, choices=Metric.choices)
    target = models.DecimalField(
        _("target"),
        max_digits=8,
        decimal_places=1,
        help_text=_(
            "For percentages a number from 0 to 100. For the median response time the target is "
            "a maximum; for everything else a minimum."
        ),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["strategy", "period_start", "position"]
        # The committee's dashboard and its report: a permission, so access is one rule.
        permissions = [("view_dashboard", _("Can read the dashboard of progress"))]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="unique_goal_slug"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="goal_period_in_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(condition=Q(target__gte=0), name="goal_target_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.metric in Metric.percentages() and self.target is not None and self.target > 100:
            from django.core.exceptions import ValidationError

            raise ValidationError({"target": _("A percentage cannot be more than 100.")})

    @property
    def lower_is_better(self) -> bool:
        return self.metric in Metric.lower_is_better()


class Indicator(models.Model):
    """An effect goal followed through figures from outside the portal."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("strategy")
    )
    name = models.CharField(_("name"), max_length=200)
    description = CprMaskedTextField(_("what it shows"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("E.g. 'people'."))
    lower_is_better = models.BooleanField(
        _("lower is better"), default=False, help_text=_("Tick when the goal is a fall.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("effect indicator")
        verbose_name_plural = _("effect indicators")
        ordering = ["strategy", "position", "name"]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    """One figure for an indicator: the value, the day it describes and where it comes from."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicator"),
    )
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = CprMaskedCharField(
        _("source"), max_length=300, help_text=_("Who counted, and where the figure is published.")
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], name="one_measurement_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"


class EvaluationRoundQuerySet(models.QuerySet):
    def published(self) -> EvaluationRoundQuerySet:
        return self.filter(is_published=True)


class EvaluationRound(models.Model):
    """An evaluation of the strategy, such as the one in 2021."""

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="evaluation_rounds",
        verbose_name=_("strategy"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    slug = models.SlugField(_("short name in the address"), max_length=60, unique=True)
    title = CprMaskedCharField(_("title"), max_length=200)
    summary = CprMaskedTextField(_("summary"), blank=True, help_text=_("Shown publicly."))
    opens_on = models.DateField(_("questionnaire opens"), null=True, blank=True)
    closes_on = models.DateField(
        _("questionnaire closes"),
        null=True,
        blank=True,
        help_text=_("After this day the links no longer take answers. Empty: open."),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public evaluation pages.")
    )

    objects = EvaluationRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:round-detail", kwargs={"slug": self.slug})


class EvaluationPoint(models.TextChoices):
    PROCESS = "process", _("Process")
    CONTENT = "content", _("Content")
    WAY_OF_WORKING = "way_of_working", _("Way of working")
    RESULT = "result", _("Result")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale from 1 to 5")
    TEXT = "text", _("Free text")


class Question(models.Model):
    """A question in a round's questionnaire, grouped by the evaluation point it covers."""

    round = models.ForeignKey(
        EvaluationRound,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("evaluation round"),
    )
    point = models.CharField(_("evaluation point"), max_length=20, choices=EvaluationPoint.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = CprMaskedCharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["round", "position", "pk"]

    def __str__(self) -> str:
        return self.text


def new_response_token() -> str:
    return secrets.token_urlsafe(24)


class RespondentQuerySet(models.QuerySet):
    def answered(self) -> RespondentQuerySet:
        return self.filter(answered_at__isnull=False)


class Respondent(models.Model):
    """An ambassador asked to answer a round; one per person and round, answered at most once.

    The personal link carries the random `token`. The answers are stored in `Response` rows
    that point to the round, not to the person, so the results are anonymous.
    """

    round = models.ForeignKey(
        EvaluationRound,
        on_delete=models.CASCADE,
        related_name="respondents",
        verbose_name=_("evaluation round"),
    )
    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.CASCADE,
        related_name="evaluation_requests",
        verbose_name=_("ambassador"),
    )
    token = models.CharField(max_length=40, unique=True, default=new_response_token, editable=False)
    created_at = models.DateTimeField(_("chosen"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = RespondentQuerySet.as_manager()

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(fields=["round", "ambassador"], name="one_request_per_round")
        ]
        indexes = [models.Index(fields=["round", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.ambassador} – {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:response-create", kwargs={"token": self.token})


class Response(models.Model):
    """One filled-in questionnaire. `respondent` is unique, so answering twice counts once.

    The link to the respondent is kept only to enforce that; results never show it.
    """

    round = models.ForeignKey(
        EvaluationRound,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("evaluation round"),
    )
    respondent = models.OneToOneField(
        Respondent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("respondent"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return _("Response #%(pk)s") % {"pk": self.pk}


class Answer(models.Model):
    """The answer to one question in one response."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    text = CprMaskedTextField(_("text"), max_length=3000, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="answer_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return str(self.score) if self.score is not None else self.text[:40]


class RecommendationState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    CARRIED_OUT = "carried_out", _("Carried out")


class Recommendation(models.Model):
    """What an evaluation round recommends, why, and how far it has come."""

    round = models.ForeignKey(
        EvaluationRound,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("evaluation round"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    topic = CprMaskedCharField(_("topic"), max_length=120, blank=True)
    text = CprMaskedTextField(_("recommendation"))
    background = CprMaskedTextField(_("background"), blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="recommendations", blank=True, verbose_name=_("themes")
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RecommendationState.choices,
        default=RecommendationState.PROPOSED,
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["round", "position", "pk"]

    def __str__(self) -> str:
        return self.topic or self.text[:60]
