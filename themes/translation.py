"""The strategy's texts in Danish and English (see udsathed/core/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from themes.models import CoreArea, Milestone, SocialProblem, Strategy, Theme


@register(Strategy)
class StrategyTranslation(TranslationOptions):
    fields = ("name", "tagline", "purpose", "target_group", "theme_label", "core_area_label")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "description")


@register(SocialProblem)
class SocialProblemTranslation(TranslationOptions):
    fields = ("name",)


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("title", "description")


@register(CoreArea)
class CoreAreaTranslation(TranslationOptions):
    fields = ("name", "promise", "description")
