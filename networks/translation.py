"""What networks publish, in Danish and English (see udsathed/core/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from networks.models import Activity, ActivityPicture, AnswerTemplate, Network


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "purpose", "expected_result", "outcome")


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "description", "summary")


@register(ActivityPicture)
class ActivityPictureTranslation(TranslationOptions):
    fields = ("alt_text", "caption")


@register(AnswerTemplate)
class AnswerTemplateTranslation(TranslationOptions):
    fields = ("text",)
