"""What the ambassadors app's admin lists export (udsathed.core.exports does the how)."""

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from ambassadors.models import Ambassador
from udsathed.core.exports import ExportResource, local_time


class AmbassadorExportResource(ExportResource):
    pk = Field(attribute="pk", column_name=_("ID"))
    kind = Field(column_name=_("kind"))
    name = Field(attribute="name", column_name=_("name"))
    email = Field(attribute="email", column_name=_("e-mail"))
    phone = Field(attribute="phone", column_name=_("phone"))
    postcode = Field(attribute="postcode", column_name=_("postcode"))
    organisation_name = Field(attribute="organisation_name", column_name=_("organisation"))
    state = Field(column_name=_("state"))
    themes = Field(column_name=_("themes"))
    core_areas = Field(column_name=_("core areas"))
    accepts_newsletter = Field(column_name=_("receives newsletters"))
    show_in_directory = Field(column_name=_("shown in the public directory"))
    created_at = Field(column_name=_("signed up"))
    confirmed_at = Field(column_name=_("confirmed"))

    def rows(self, queryset):
        """The selection with what the columns read, in one query: the themes and core areas as
        texts joined in SQL, not as model instances built per row (most of the time of an
        export of tens of thousands went to building those)."""
        language = get_language() or settings.LANGUAGE_CODE
        area = Coalesce(NullIf(f"corearea__name_{language}", Value("")), "corearea__name_da")
        themes = (
            Ambassador.themes.through.objects.filter(ambassador=OuterRef("pk"))
            .values("ambassador")
            .annotate(
                text=StringAgg(Cast("theme__number", TextField()), ", ", order_by="theme__number")
            )
            .values("text")
        )
        areas = (
            Ambassador.core_areas.through.objects.filter(ambassador=OuterRef("pk"))
            .values("ambassador")
            .annotate(text=StringAgg(area, ", ", order_by="corearea__position"))
            .values("text")
        )
        return queryset.with_recent_participation().annotate(
            theme_numbers=Subquery(themes), core_area_names=Subquery(areas)
        )

    def dehydrate_kind(self, ambassador):
        return str(ambassador.get_kind_display())

    def dehydrate_state(self, ambassador):
        return str(ambassador.get_state_display())

    def dehydrate_themes(self, ambassador):
        return ambassador.theme_numbers or ""

    def dehydrate_core_areas(self, ambassador):
        return ambassador.core_area_names or ""

    def dehydrate_accepts_newsletter(self, ambassador):
        return ambassador.accepts_newsletter

    def dehydrate_show_in_directory(self, ambassador):
        return ambassador.show_in_directory

    def dehydrate_created_at(self, ambassador):
        return local_time(ambassador.created_at)

    def dehydrate_confirmed_at(self, ambassador):
        return local_time(ambassador.confirmed_at)


class StoryExportResource(ExportResource):
    pk = Field(attribute="pk", column_name=_("ID"))
    title = Field(attribute="title", column_name=_("title"))
    sender = Field(column_name=_("sender"))
    state = Field(column_name=_("state"))
    use = Field(column_name=_("may be used in"))
    people_consented = Field(column_name=_("the people in the pictures agreed"))
    submitted_at = Field(column_name=_("sent"))
    reviewed_at = Field(column_name=_("reviewed"))
    text = Field(attribute="text", column_name=_("text"))

    def rows(self, queryset):
        return queryset.select_related("ambassador")

    def dehydrate_sender(self, story):
        return str(story.ambassador) if story.ambassador else ""

    def dehydrate_state(self, story):
        return str(story.get_state_display())

    def dehydrate_use(self, story):
        return str(story.get_use_display())

    def dehydrate_people_consented(self, story):
        return story.people_consented

    def dehydrate_submitted_at(self, story):
        return local_time(story.submitted_at)

    def dehydrate_reviewed_at(self, story):
        return local_time(story.reviewed_at)
