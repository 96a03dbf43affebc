"""The strategy in the admin; translated texts are edited in Danish and English side by side."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from themes.models import CoreArea, Milestone, Postcode, SocialProblem, Strategy, Theme


class MilestoneInline(TranslationTabularInline):
    model = Milestone
    extra = 0
    fields = ["year", "position", "title", "description"]


class SocialProblemInline(TranslationTabularInline):
    model = SocialProblem
    extra = 0
    fields = ["position", "name"]


@admin.register(Strategy)
class StrategyAdmin(TranslationAdmin):
    list_display = [
        "name",
        "municipality",
        "period_display",
        "is_active",
        "theme_count",
        "loaded_at",
    ]
    list_filter = ["is_active", "municipality"]
    search_fields = ["name_da", "name_en", "municipality", "slug"]
    readonly_fields = ["source_file", "loaded_at"]
    inlines = [MilestoneInline, SocialProblemInline]
    fieldsets = [
        (None, {"fields": ["slug", "name", "municipality", "is_active"]}),
        (_("Period"), {"fields": ["period_start", "period_end"]}),
        (
            _("Texts"),
            {
                "fields": [
                    "tagline",
                    "purpose",
                    "target_group",
                ]
            },
        ),
        (
            _("Words and contact"),
            {
                "fields": [
                    "theme_label",
                    "core_area_label",
                    "contact_email",
                ]
            },
        ),
        (_("Source"), {"fields": ["source_file", "loaded_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(theme_count=Count("themes", distinct=True))

    @admin.display(description=_("period"))
    def period_display(self, obj):
        return obj.period_display

    @admin.display(description=_("themes"), ordering="theme_count")
    def theme_count(self, obj):
        return obj.theme_count


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["number", "title", "strategy", "core_area_names", "has_film"]
    list_display_links = ["number", "title"]
    list_filter = ["strategy", "core_areas"]
    search_fields = ["title_da", "title_en", "description_da", "description_en"]
    list_select_related = ["strategy"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("core_areas")

    @admin.display(description=_("core areas"))
    def core_area_names(self, obj):
        return ", ".join(area.name for area in obj.core_areas.all())

    @admin.display(description=_("film"), boolean=True)
    def has_film(self, obj):
        return bool(obj.film_url)


@admin.register(CoreArea)
class CoreAreaAdmin(TranslationAdmin):
    list_display = ["name", "slug", "strategy", "position", "theme_count"]
    list_filter = ["strategy"]
    search_fields = ["name_da", "name_en", "promise_da", "description_da"]
    list_select_related = ["strategy"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(theme_count=Count("themes", distinct=True))

    @admin.display(description=_("themes"), ordering="theme_count")
    def theme_count(self, obj):
        return obj.theme_count

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            kwargs["queryset"] = Theme.objects.select_related("strategy")
            # Plain checkboxes: the dual list box of the admin fails axe (aria-label on a span).
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Milestone)
class MilestoneAdmin(TranslationAdmin):
    list_display = ["year", "title", "strategy"]
    list_filter = ["strategy", "year"]
    search_fields = ["title_da", "title_en", "description_da"]
    list_select_related = ["strategy"]


@admin.register(SocialProblem)
class SocialProblemAdmin(TranslationAdmin):
    list_display = ["name_da", "name_en", "position", "strategy"]
    list_filter = ["strategy"]
    search_fields = ["name_da", "name_en"]
    list_select_related = ["strategy"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "strategy"]
    list_filter = ["strategy", "name"]
    search_fields = ["code", "name"]
    list_select_related = ["strategy"]


class ActiveStrategyFilter(admin.RelatedFieldListFilter):
    """A theme or core-area list filter offering only those of the active strategy."""

    def field_choices(self, field, request, model_admin):
        return [(obj.pk, str(obj)) for obj in field.related_model.objects.of_active_strategy()]


class InterestsAdminMixin:
    """Themes and core areas of the active strategy, as checkboxes.

    There are few choices, and Django's dual list box fails axe (an aria-label on a span).
    """

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("themes", "core_areas"):
            kwargs["queryset"] = db_field.related_model.objects.of_active_strategy()
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)
