"""The read-only API's views: each one's queryset is the one its public page uses."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.decorators.http import conditional_page
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets

from ambassadors.models import Newsletter
from evaluation import dashboard
from evaluation.models import Goal, Indicator
from networks.filters import ActivityFilter, PublicBallFilter
from networks.models import Activity, Network
from networks.services.publication import published_balls
from themes.filters import ThemeAndCoreAreaFilterSet
from themes.models import CoreArea, Strategy, Theme
from udsathed.api import serializers

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=[code for code, _name in settings.LANGUAGES],
    description="The language of the texts; without it, the request's Accept-Language.",
)


def chosen_language(request) -> str:
    """`?lang=` when it names a language of the site, else the request's Accept-Language (the
    API is outside the language-prefixed pages, where LocaleMiddleware would always choose
    Danish for an unprefixed address)."""
    asked = request.GET.get("lang", "")
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language_from_request(request)


class PublicApiMixin:
    """Read-only, in the language asked for, with an ETag (Django's conditional GET: a client
    sending `If-None-Match` with the last ETag gets 304 and no body)."""

    @method_decorator(conditional_page)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        # Active for the rest of the request, rendering included, as LocaleMiddleware does it.
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ["Accept-Language"])
        return response


class NetworkFilter(ThemeAndCoreAreaFilterSet):
    class Meta:
        model = Network
        fields = ["kind", "state", "theme", "core_area"]


@extend_schema(parameters=[LANGUAGE_PARAMETER])
class StrategyView(PublicApiMixin, generics.RetrieveAPIView):
    """The strategy the portal runs, with its themes and core areas."""

    serializer_class = serializers.StrategySerializer
    pagination_class = None

    def get_object(self):
        strategy = (
            Strategy.objects.active()
            .prefetch_related(
                Prefetch(
                    "themes",
                    queryset=Theme.objects.order_by("number").prefetch_related("core_areas"),
                ),
                Prefetch(
                    "core_areas",
                    queryset=CoreArea.objects.order_by("position").prefetch_related("themes"),
                ),
            )
            .first()
        )
        if strategy is None:
            raise Http404
        return strategy


@extend_schema_view(
    list=extend_schema(parameters=[LANGUAGE_PARAMETER]),
    retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER]),
)
class ThemeViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """The themes (or principles) of the active strategy."""

    serializer_class = serializers.ThemeSerializer
    lookup_field = "number"

    def get_queryset(self):
        return Theme.objects.of_active_strategy().prefetch_related("core_areas")


@extend_schema_view(
    list=extend_schema(parameters=[LANGUAGE_PARAMETER]),
    retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER]),
)
class CoreAreaViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """The core areas of the active strategy."""

    serializer_class = serializers.CoreAreaSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return CoreArea.objects.of_active_strategy().prefetch_related("themes")


@extend_schema_view(
    list=extend_schema(parameters=[LANGUAGE_PARAMETER]),
    retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER]),
)
class NetworkViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """The action networks the networks page shows (all but planned ones)."""

    serializer_class = serializers.NetworkSerializer
    lookup_field = "slug"
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = NetworkFilter

    def get_queryset(self):
        return Network.objects.public().prefetch_related("themes", "core_areas")


TIME_PARAMETER = OpenApiParameter(
    "tid",
    OpenApiTypes.STR,
    enum=["tidligere"],
    description="`tidligere`: past activities, newest first (as on the page); "
    "without it, upcoming ones, soonest first.",
)


@extend_schema_view(
    list=extend_schema(parameters=[LANGUAGE_PARAMETER, TIME_PARAMETER]),
    retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER]),
)
class ActivityViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """The activities the activity page shows, with its filters (kind, theme, core area)."""

    serializer_class = serializers.ActivitySerializer
    lookup_field = "slug"
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ActivityFilter

    def get_queryset(self):
        # The network is shown by its slug: fetched for the page's activities alone, where a
        # join hashed every network before the page was cut.
        visible = Activity.objects.visible().prefetch_related(
            Prefetch("network", queryset=Network.objects.only("pk", "slug")), "themes", "core_areas"
        )
        if self.action != "list":
            return visible
        now = timezone.now()
        return (
            visible.past(now)
            if self.request.GET.get("tid") == "tidligere"
            else (visible.upcoming(now))
        )


@extend_schema_view(list=extend_schema(parameters=[LANGUAGE_PARAMETER]))
class NewsletterViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """The newsletter archive: what was sent, as it was sent."""

    serializer_class = serializers.NewsletterSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Newsletter.objects.published().only(
            "title", "slug", "sent_at", "send_started_at", "sent_html"
        )


@extend_schema_view(
    list=extend_schema(parameters=[LANGUAGE_PARAMETER]),
    retrieve=extend_schema(parameters=[LANGUAGE_PARAMETER]),
)
class BallViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """The published balls (/bolde/), newest first, with the page's filters: what staff wrote
    for the public and the answers the balls got."""

    serializer_class = serializers.BallSerializer
    lookup_field = "pk"
    lookup_url_kwarg = "number"
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = PublicBallFilter

    def get_queryset(self):
        return published_balls().order_by("-received_at", "-pk")


@extend_schema(parameters=[LANGUAGE_PARAMETER])
class GoalListView(PublicApiMixin, mixins.ListModelMixin, generics.GenericAPIView):
    """The strategy's goals and where each stands today, as the progress page shows them."""

    serializer_class = serializers.GoalSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's call
            return Goal.objects.none()
        return dashboard.progress_data()["goals"]

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


@extend_schema(parameters=[LANGUAGE_PARAMETER])
class IndicatorListView(PublicApiMixin, mixins.ListModelMixin, generics.GenericAPIView):
    """The effect indicators with their measurements and sources."""

    serializer_class = serializers.IndicatorSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's call
            return Indicator.objects.none()
        return dashboard.progress_data()["indicators"]

    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)
