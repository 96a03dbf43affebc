"""What the ambassadors app's admin lists export (udsathed.core.exports does the how)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from themes.models import CoreArea, Theme
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
        """The selection with what the columns read, in a fixed number of queries."""
        return queryset.with_recent_participation().prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number")),
            Prefetch("core_areas", queryset=CoreArea.objects.order_by("position")),
        )

    def dehydrate_kind(self, ambassador):
        return str(ambassador.get_kind_display())

    def dehydrate_state(self, ambassador):
        return str(ambassador.get_state_display())

    def dehydrate_themes(self, ambassador):
        return ", ".join(str(theme.number) for theme in ambassador.themes.all())

    def dehydrate_core_areas(self, ambassador):
        return ", ".join(area.name for area in ambassador.core_areas.all())

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
