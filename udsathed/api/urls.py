from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from udsathed.api import views

router = DefaultRouter()
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("core-areas", views.CoreAreaViewSet, basename="corearea")
router.register("networks", views.NetworkViewSet, basename="network")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("newsletters", views.NewsletterViewSet, basename="newsletter")
router.register("balls", views.BallViewSet, basename="ball")

app_name = "api"

urlpatterns = [
    path("strategy/", views.StrategyView.as_view(), name="strategy"),
    path("goals/", views.GoalListView.as_view(), name="goal-list"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
