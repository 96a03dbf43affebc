"""The evaluation's texts in Danish and English (see udsathed/core/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from evaluation.models import EvaluationRound, Goal, Indicator, Question, Recommendation


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "description", "unit")


@register(EvaluationRound)
class EvaluationRoundTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text",)


@register(Recommendation)
class RecommendationTranslation(TranslationOptions):
    fields = ("topic", "text", "background")
