"""Demo content for the evaluation pages: goals for later periods, an effect indicator with
made-up figures, and a published 2021 evaluation round with questions and recommendations.

Idempotent: rows are matched on fixed slugs and names, so seeding again (or after --reset of
the networks demo) adds nothing twice. Needs the active strategy; without one it does nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
    RecommendationState,
)
from themes.models import Strategy

LATER_GOALS = [
    {
        "slug": "demo-stormoede-{year}",
        "title": "Mindst ét stormøde i {year}",
        "title_en": "At least one plenary meeting in {year}",
        "metric": Metric.PLENARY_MEETINGS,
        "target": Decimal(1),
    },
    {
        "slug": "demo-svartid-{year}",
        "title": "Bolde får første svar inden for 10 dage (median) i {year}",
        "title_en": "Balls get a first answer within 10 days (median) in {year}",
        "metric": Metric.MEDIAN_FIRST_RESPONSE_DAYS,
        "target": Decimal(10),
    },
]
QUESTIONS = [
    (
        EvaluationPoint.PROCESS,
        QuestionKind.SCALE,
        "Hvor godt er du blevet inddraget?",
        "How well have you been involved?",
    ),
    (
        EvaluationPoint.CONTENT,
        QuestionKind.SCALE,
        "Hvor relevante er strategiens temaer for dig?",
        "How relevant are the strategy's themes to you?",
    ),
    (
        EvaluationPoint.WAY_OF_WORKING,
        QuestionKind.SCALE,
        "Hvor godt virker netværkene?",
        "How well do the networks work?",
    ),
    (
        EvaluationPoint.RESULT,
        QuestionKind.SCALE,
        "Har strategien gjort en forskel?",
        "Has the strategy made a difference?",
    ),
    (
        EvaluationPoint.RESULT,
        QuestionKind.TEXT,
        "Hvad skal vi gøre anderledes?",
        "What should we do differently?",
    ),
]
RECOMMENDATIONS = [
    (
        "Fokus",
        "Ret strategien mod de mest udsatte voksne og arbejd med få, klare fokusområder.",
        "Mange ambassadører oplevede strategien som så bred, at det var svært at se, hvad den "
        "skulle føre til.",
        [1, 2, 3, 4, 5, 6, 7, 11, 12],
        RecommendationState.CARRIED_OUT,
        (
            "Focus",
            "Aim the strategy at the most vulnerable adults and work with a few clear focus areas.",
            "Many ambassadors found the strategy so broad that it was hard to see what it "
            "should lead to.",
        ),
    ),
    (
        "Inddragelse",
        "Gør rollen som ambassadør tydeligere, og ryd op i listen over ambassadører.",
        "Listen rummede mange, der ikke længere var aktive, og flere savnede at vide, hvad der "
        "forventes af dem.",
        [5, 7, 8, 9, 10, 12],
        RecommendationState.ADOPTED,
        (
            "Involvement",
            "Make the ambassador's role clearer, and tidy up the list of ambassadors.",
            "The list held many who were no longer active, and several wanted to know what is "
            "expected of them.",
        ),
    ),
    (
        "Organisering",
        "Lad et stående handlingsnetværk med mandat tage imod boldene.",
        "Boldene landede hos få personer, og det tog tid at samle et hold om hver af dem.",
        [9],
        RecommendationState.PROPOSED,
        (
            "Organisation",
            "Let a standing action network with a mandate receive the balls.",
            "The balls landed with a few people, and it took time to gather a team around each "
            "of them.",
        ),
    ),
]
HOMELESS = [(date(2019, 2, 1), 57), (date(2022, 2, 1), 49), (date(2024, 2, 1), 44)]


def build_evaluation_demo() -> dict[str, int]:
    strategy = Strategy.objects.active().first()
    if strategy is None:
        return {}
    year = timezone.localdate().year
    goals = 0
    for i, spec in enumerate(LATER_GOALS):
        _, created = Goal.objects.get_or_create(
            strategy=strategy,
            slug=spec["slug"].format(year=year),
            defaults={
                "title": spec["title"].format(year=year),
                "title_en": spec["title_en"].format(year=year),
                "metric": spec["metric"],
                "target": spec["target"],
                "period_start": date(year, 1, 1),
                "period_end": date(year, 12, 31),
                "position": 10 + i,
            },
        )
        goals += created
    indicator, _ = Indicator.objects.get_or_create(
        strategy=strategy,
        name="Hjemløse borgere i kommunen (demo)",
        defaults={
            "name_en": "Homeless citizens in the municipality (demo)",
            "unit": "personer",
            "unit_en": "people",
            "lower_is_better": True,
        },
    )
    for day, value in HOMELESS:
        Measurement.objects.get_or_create(
            indicator=indicator,
            measured_on=day,
            defaults={"value": value, "source": "Demotal i stil med den nationale kortlægning"},
        )
    round, created_round = EvaluationRound.objects.get_or_create(
        slug="evaluering-2021",
        defaults={
            "strategy": strategy,
            "year": 2021,
            "title": "Evalueringen 2021",
            "summary": "I foråret og sommeren 2021 spurgte vi ambassadører og samarbejdspartnere, "
            "hvordan strategien virkede. Det førte til disse anbefalinger.",
            "title_en": "The 2021 evaluation",
            "summary_en": "In the spring and summer of 2021 we asked ambassadors and partners "
            "how the strategy worked. It led to these recommendations.",
            "is_published": True,
        },
    )
    if created_round:
        Question.objects.bulk_create(
            Question(round=round, point=point, kind=kind, text=text, text_en=text_en, position=i)
            for i, (point, kind, text, text_en) in enumerate(QUESTIONS)
        )
        themes = {theme.number: theme for theme in strategy.themes.all()}
        for i, (topic, text, background, numbers, state, english) in enumerate(RECOMMENDATIONS):
            topic_en, text_en, background_en = english
            recommendation = Recommendation.objects.create(
                round=round,
                position=i,
                topic=topic,
                text=text,
                background=background,
                topic_en=topic_en,
                text_en=text_en,
                background_en=background_en,
                state=state,
            )
            recommendation.themes.set([themes[n] for n in numbers if n in themes])
    return {"goals": goals, "evaluation rounds": int(created_round)}
