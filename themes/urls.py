from django.urls import path

from themes import views

app_name = "themes"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("temaer/", views.ThemeListView.as_view(), name="theme-list"),
    path("temaer/<int:number>/", views.ThemeDetailView.as_view(), name="theme-detail"),
    path("kerneomraader/<slug:slug>/", views.CoreAreaDetailView.as_view(), name="corearea-detail"),
    path("om/", views.AboutView.as_view(), name="about"),
    path("tilgaengelighed/", views.AccessibilityView.as_view(), name="accessibility"),
]
