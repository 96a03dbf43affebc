from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from evaluation.models import (
    EvaluationPoint,
    EvaluationRound,
    Goal,
    Indicator,
    Measurement,
    Metric,
    Question,
    QuestionKind,
    Recommendation,
    Respondent,
)
from networks.models import Activity, ActivityKind, ActivityState
from tests.ambassadors.factories import AmbassadorFactory
from tests.themes.factories import StrategyFactory
from themes.models import Strategy


def active_strategy():
    return Strategy.objects.active().first() or StrategyFactory()


def at(day: date, hour: int = 12) -> datetime:
    """An aware time on `day` in the municipality's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = ActivityKind.DIALOGUE
    title = factory.Sequence(lambda n: f"Dialogmøde {n}")
    slug = factory.Sequence(lambda n: f"dialogmoede-{n}")
    description = "Vi taler om fællesskaber."
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + timedelta(hours=2))
    place_name = "Rådhuset"
    address = "Gothersgade 20, 7000 Fredericia"
    state = ActivityState.HELD


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    strategy = factory.LazyFunction(active_strategy)
    slug = factory.Sequence(lambda n: f"maal-{n}")
    title = factory.Sequence(lambda n: f"Mål {n}")
    metric = Metric.CONFIRMED_AMBASSADORS
    target = 10
    period_start = date(2020, 1, 1)
    period_end = date(2020, 12, 31)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    strategy = factory.LazyFunction(active_strategy)
    name = "Hjemløse i kommunen"
    unit = "personer"
    lower_is_better = True


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = date(2019, 2, 1)
    value = 57
    source = "VIVE, national kortlægning af hjemløshed"


class EvaluationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationRound

    strategy = factory.LazyFunction(active_strategy)
    year = 2021
    title = factory.Sequence(lambda n: f"Evaluering 2021 ({n})")
    slug = factory.Sequence(lambda n: f"evaluering-2021-{n}")
    summary = "Vi spurgte ambassadørerne, hvordan det går."
    is_published = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    round = factory.SubFactory(EvaluationRoundFactory)
    point = EvaluationPoint.PROCESS
    kind = QuestionKind.SCALE
    text = factory.Sequence(lambda n: f"Spørgsmål {n}")
    position = factory.Sequence(lambda n: n)


class RespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Respondent

    round = factory.SubFactory(EvaluationRoundFactory)
    ambassador = factory.SubFactory(AmbassadorFactory)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    round = factory.SubFactory(EvaluationRoundFactory)
    topic = "Fokus"
    text = "Gør målgruppen skarpere."
    background = "Mange oplevede strategien som for bred."
