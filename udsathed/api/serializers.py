"""The API's shapes. Fields are listed one by one (never `__all__`): a new model field stays
out of the API until someone decides the public may see it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ambassadors.models import Newsletter
from evaluation.models import Indicator, Measurement
from evaluation.templatetags.evaluation_tags import goal_status, goal_target, goal_value
from networks.models import Activity, Ball, BallEvent, Network
from themes.models import CoreArea, Strategy, Theme


class TranslatedField(serializers.CharField):
    """A text kept in Danish and English: modeltranslation's field gives the active language's
    (the API activates the one asked for), Danish where no English was written."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class AbsoluteUrlField(serializers.SerializerMethodField):
    """The object's public page, as an absolute address."""

    def __init__(self, **kwargs):
        super().__init__(method_name="get_page_url", **kwargs)


class PageUrlMixin:
    @extend_schema_field(serializers.URLField())
    def get_page_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CoreAreaSerializer(PageUrlMixin, serializers.ModelSerializer):
    name = TranslatedField()
    promise = TranslatedField()
    description = TranslatedField()
    url = AbsoluteUrlField()

    class Meta:
        model = CoreArea
        fields = ["id", "slug", "position", "name", "promise", "description", "themes", "url"]
        read_only_fields = fields


class ThemeSerializer(PageUrlMixin, serializers.ModelSerializer):
    title = TranslatedField()
    description = TranslatedField()
    url = AbsoluteUrlField()

    class Meta:
        model = Theme
        fields = ["id", "number", "title", "description", "film_url", "core_areas", "url"]
        read_only_fields = fields


class StrategySerializer(serializers.ModelSerializer):
    name = TranslatedField()
    tagline = TranslatedField()
    purpose = TranslatedField()
    target_group = TranslatedField()
    themes = ThemeSerializer(many=True, read_only=True)
    core_areas = CoreAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Strategy
        fields = [
            "slug",
            "name",
            "municipality",
            "period_start",
            "period_end",
            "tagline",
            "purpose",
            "target_group",
            "themes",
            "core_areas",
        ]
        read_only_fields = fields


class NetworkSerializer(PageUrlMixin, serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    url = AbsoluteUrlField()

    class Meta:
        model = Network
        fields = [
            "slug",
            "name",
            "kind",
            "kind_label",
            "state",
            "state_label",
            "purpose",
            "expected_result",
            "outcome",
            "starts_on",
            "ends_on",
            "citizen_driven",
            "open_for_members",
            "themes",
            "core_areas",
            "url",
        ]
        read_only_fields = fields


class ActivitySerializer(PageUrlMixin, serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = AbsoluteUrlField()
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "slug",
            "title",
            "kind",
            "kind_label",
            "state",
            "state_label",
            "starts_at",
            "ends_at",
            "place_name",
            "address",
            "capacity",
            "registration_deadline",
            "is_public",
            "description",
            "summary",
            "network",
            "themes",
            "core_areas",
            "url",
            "calendar_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_calendar_url(self, obj) -> str:
        request = self.context["request"]
        return request.build_absolute_uri(f"{obj.get_absolute_url()}kalender.ics")


class NewsletterSerializer(PageUrlMixin, serializers.ModelSerializer):
    sent_at = serializers.DateTimeField(source="send_started_at", read_only=True)
    html = serializers.SerializerMethodField()
    url = AbsoluteUrlField()

    class Meta:
        model = Newsletter
        fields = ["slug", "title", "sent_at", "html", "url"]
        read_only_fields = fields

    def get_html(self, obj) -> str:
        """What the archive page shows: the copy frozen at sending, sanitised again."""
        return str(obj.archive_html())


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "source"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    name = TranslatedField()
    measurements = MeasurementSerializer(source="shown", many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "lower_is_better", "measurements"]
        read_only_fields = fields


class GoalSerializer(serializers.Serializer):
    """A goal as the progress page shows it. The figures are the page's own words, through its
    template filters (counts of persons from 1 to 4 read "<5"), so the API follows whatever
    rule the page follows and gives no raw value the page would hide."""

    slug = serializers.CharField(source="goal.slug")
    title = serializers.SerializerMethodField()
    metric = serializers.CharField(source="goal.metric")
    target = serializers.DecimalField(source="goal.target", max_digits=12, decimal_places=2)
    target_display = serializers.SerializerMethodField()
    period_start = serializers.DateField(source="goal.period_start")
    period_end = serializers.DateField(source="goal.period_end")
    value_display = serializers.SerializerMethodField()
    status = serializers.CharField()
    status_label = serializers.SerializerMethodField()
    measured_until = serializers.DateField(allow_null=True)

    def get_title(self, progress) -> str:
        return progress.goal.title

    def get_target_display(self, progress) -> str:
        return str(goal_target(progress))

    def get_value_display(self, progress) -> str:
        return str(goal_value(progress))

    def get_status_label(self, progress) -> str:
        return str(goal_status(progress))


class BallAnswerSerializer(serializers.ModelSerializer):
    """An answer the ball got, as its public page shows it: the note of a step that closed it."""

    state = serializers.CharField(source="to_state", read_only=True)
    answer = serializers.CharField(source="public_note", read_only=True)
    answered_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = BallEvent
        fields = ["state", "answer", "answered_at"]
        read_only_fields = fields


class BallSerializer(serializers.ModelSerializer):
    """A published ball: staff's public title and summary, never the sender's name, contact
    or own text."""

    number = serializers.IntegerField(source="pk", read_only=True)
    title = serializers.CharField(source="public_title", read_only=True)
    summary = serializers.CharField(source="public_summary", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    days_to_first_response = serializers.IntegerField(read_only=True, allow_null=True)
    answers = BallAnswerSerializer(source="public_answers", many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Ball
        fields = [
            "number",
            "title",
            "summary",
            "kind",
            "kind_label",
            "state",
            "state_label",
            "themes",
            "core_areas",
            "network",
            "received_at",
            "days_to_first_response",
            "answers",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_public_url()
        return request.build_absolute_uri(path) if request else path
