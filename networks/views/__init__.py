"""The networks app's public pages, one module per concept: `balls` (the sender's form and
page), `publication` (the public record of balls), `networks`, `activities`. Everything is
importable from `networks.views` as before (`networks/urls.py` reads them here)."""

from networks.views.activities import (
    ActivityCalendarView,
    ActivityDetailView,
    ActivityListView,
    RegistrationCancelView,
    RegistrationTicketView,
    activity_picture,
    registration_ticket_qr,
)
from networks.views.balls import JUST_SENT, JUST_SENT_SECONDS, BallCreateView, BallStatusView
from networks.views.networks import (
    InvitationAnswerView,
    NetworkDetailView,
    NetworkJoinView,
    NetworkListView,
)
from networks.views.publication import BallConsentView, BallPublicDetailView, BallPublicListView

__all__ = [
    "JUST_SENT",
    "JUST_SENT_SECONDS",
    "ActivityCalendarView",
    "ActivityDetailView",
    "ActivityListView",
    "BallConsentView",
    "BallCreateView",
    "BallPublicDetailView",
    "BallPublicListView",
    "BallStatusView",
    "InvitationAnswerView",
    "NetworkDetailView",
    "NetworkJoinView",
    "NetworkListView",
    "RegistrationCancelView",
    "RegistrationTicketView",
    "activity_picture",
    "registration_ticket_qr",
]
