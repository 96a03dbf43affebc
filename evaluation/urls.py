from django.urls import path

from evaluation import views
from udsathed.core.cache import public_page

app_name = "evaluation"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/rapport.pdf", views.DashboardPdfView.as_view(), name="dashboard-pdf"),
    path("dashboard/tal.xlsx", views.DashboardWorkbookView.as_view(), name="dashboard-xlsx"),
    path("dashboard/data/<slug:slug>.csv", views.ChartCsvView.as_view(), name="dashboard-csv"),
    path("fremdrift/", public_page(views.ProgressView.as_view()), name="progress"),
    path("evaluering/", public_page(views.RoundListView.as_view()), name="round-list"),
    path("evaluering/<slug:slug>/", views.RoundDetailView.as_view(), name="round-detail"),
    path(
        "evaluering/svar/<str:token>/",
        views.ResponseCreateView.as_view(),
        name="response-create",
    ),
]
