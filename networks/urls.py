from django.urls import path

from networks import feeds, views
from udsathed.core.cache import public_page

app_name = "networks"

urlpatterns = [
    # The public record and the feed come before the sender's page: `bolde/<token>/` would
    # otherwise take "feed" for a token.
    path("bolde/", public_page(views.BallPublicListView.as_view()), name="ball-public-list"),
    path("bolde/feed/", public_page(feeds.BallAnswerFeed()), name="ball-feed"),
    path(
        "bolde/nr/<int:number>/",
        public_page(views.BallPublicDetailView.as_view()),
        name="ball-public-detail",
    ),
    path("bolde/send/", views.BallCreateView.as_view(), name="ball-create"),
    path("bolde/<str:token>/", views.BallStatusView.as_view(), name="ball-status"),
    path(
        "bolde/<str:token>/samtykke/",
        views.BallConsentView.as_view(),
        name="ball-consent",
    ),
    path("netvaerk/", public_page(views.NetworkListView.as_view()), name="network-list"),
    path(
        "netvaerk/invitation/<str:token>/",
        views.InvitationAnswerView.as_view(),
        name="invitation-answer",
    ),
    path(
        "netvaerk/<slug:slug>/",
        public_page(views.NetworkDetailView.as_view()),
        name="network-detail",
    ),
    path("netvaerk/<slug:slug>/deltag/", views.NetworkJoinView.as_view(), name="network-join"),
    path("aktiviteter/", public_page(views.ActivityListView.as_view()), name="activity-list"),
    path(
        "aktiviteter/afmeld/<str:token>/",
        views.RegistrationCancelView.as_view(),
        name="registration-cancel",
    ),
    path(
        "aktiviteter/billet/<str:token>/",
        views.RegistrationTicketView.as_view(),
        name="registration-ticket",
    ),
    path(
        "aktiviteter/billet/<str:token>/qr.svg",
        views.registration_ticket_qr,
        name="registration-ticket-qr",
    ),
    path(
        "aktiviteter/kalender.ics",
        feeds.ActivityCalendarFeedView.as_view(),
        name="activity-calendar-feed",
    ),
    path("aktiviteter/feed/", public_page(feeds.ActivityFeed()), name="activity-feed"),
    path("aktiviteter/<slug:slug>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path(
        "aktiviteter/<slug:slug>/billeder/<int:pk>/",
        views.activity_picture,
        name="activity-picture",
    ),
    path(
        "aktiviteter/<slug:slug>/kalender.ics",
        views.ActivityCalendarView.as_view(),
        name="activity-calendar",
    ),
]
