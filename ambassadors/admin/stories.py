"""The review of stories: accept with edits or decline with a reason; Facebook-ready text."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ambassadors import services
from ambassadors.admin.exports import StoryExportResource
from ambassadors.models import Story, StoryPicture, StoryState
from udsathed.core.exports import ExportActionsMixin
from udsathed.core.pictures import PictureInline


class StoryPictureInline(PictureInline):
    model = StoryPicture
    fields = ["preview", "image", "alt_text", "position"]


class StoryReviewForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ["title", "text", "use", "state", "decline_reason"]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("state") == StoryState.DECLINED
            and not cleaned.get("decline_reason", "").strip()
        ):
            self.add_error("decline_reason", _("Give the sender a reason when declining."))
        return cleaned


@admin.register(Story)
class StoryAdmin(ExportActionsMixin, admin.ModelAdmin):
    """Review: accept with edits, or decline with a reason the sender sees."""

    form = StoryReviewForm
    list_display = ["title", "sender", "state", "use", "picture_count", "submitted_at"]
    list_filter = ["state", "use", ("submitted_at", admin.DateFieldListFilter)]
    search_fields = ["title", "text"]
    date_hierarchy = "submitted_at"
    inlines = [StoryPictureInline]
    readonly_fields = ["sender", "people_consented", "submitted_at", "reviewed", "facebook"]
    actions = ["accept"]
    export_resource_class = StoryExportResource
    export_file_name = "historier"
    fieldsets = [
        (None, {"fields": ["sender", "submitted_at", "title", "text", "use", "people_consented"]}),
        (_("Review"), {"fields": ["state", "decline_reason", "reviewed"]}),
        (_("For Facebook"), {"fields": ["facebook"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("ambassador", "reviewed_by")
            .annotate(picture_total=Count("pictures"))
        )

    @admin.display(description=_("sent by"), ordering="ambassador__name")
    def sender(self, obj):
        return str(obj.ambassador) if obj.ambassador else "–"

    @admin.display(description=_("pictures"), ordering="picture_total")
    def picture_count(self, obj):
        return obj.picture_total

    @admin.display(description=_("reviewed"))
    def reviewed(self, obj):
        if not obj.reviewed_at:
            return "–"
        return f"{timezone.localtime(obj.reviewed_at):%d.%m.%Y %H:%M} · {obj.reviewed_by or ''}"

    @admin.display(description=_("Facebook-ready text and pictures"))
    def facebook(self, obj):
        if not obj.pk:
            return "–"
        if not obj.for_facebook:
            return _("The sender did not allow Facebook.")
        pictures = format_html_join(
            " ",
            '<a href="{}" download>{}</a>',
            (
                (p.get_absolute_url(), _("Download picture %(n)s") % {"n": n})
                for n, p in enumerate(obj.pictures.all(), start=1)
            ),
        )
        return format_html(
            '<textarea id="facebook-text" class="vLargeTextField" rows="8" readonly '
            'aria-label="{}">{}</textarea><p><button type="button" class="button" '
            'data-copy-target="facebook-text">{}</button> {}</p>',
            _("Facebook-ready text"),
            obj.facebook_text(),
            _("Copy the text"),
            pictures,
        )

    def save_model(self, request, obj, form, change):
        was = form.initial.get("state") if change else None
        if obj.state == StoryState.ACCEPTED and was != StoryState.ACCEPTED:
            services.story_accept(story=obj, user=request.user)  # saves the edits too
        elif obj.state == StoryState.DECLINED and was != StoryState.DECLINED:
            services.story_decline(story=obj, reason=obj.decline_reason, user=request.user)
        else:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        services.story_delete(story=obj)

    def delete_queryset(self, request, queryset):
        for story in queryset:
            services.story_delete(story=story)

    @admin.action(description=_("Accept the selected stories as they are"), permissions=["change"])
    def accept(self, request, queryset):
        accepted = 0
        for story in queryset.exclude(state=StoryState.ACCEPTED):
            services.story_accept(story=story, user=request.user)
            accepted += 1
        self.message_user(
            request, _("%(n)s stories were accepted.") % {"n": accepted}, messages.SUCCESS
        )

    class Media:
        js = ["js/copy.js"]
