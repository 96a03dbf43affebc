from django.urls import path

from themes import views
from udsathed.core.cache import public_page

app_name = "themes"

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("temaer/", public_page(views.ThemeListView.as_view()), name="theme-list"),
    path("temaer/<int:number>/", public_page(views.ThemeDetailView.as_view()), name="theme-detail"),
    path(
        "kerneomraader/<slug:slug>/",
        public_page(views.CoreAreaDetailView.as_view()),
        name="corearea-detail",
    ),
    path("om/", public_page(views.AboutView.as_view()), name="about"),
    path("tilgaengelighed/", public_page(views.AccessibilityView.as_view()), name="accessibility"),
]
