"""The networks app's writes, one module per concept (as its models): `balls` (receiving a
ball, its steps, the duplicate answer), `networks` (members, join requests, invitations to a
network, suggested ambassadors), `activities` (registrations, waiting list, check-in, activity
invitations and reminders), `publication` (the public record of balls: consent, publishing, what
the public sees). Everything is importable from `networks.services` as before; a test
that replaces a name a service looks up replaces it in the concept's module."""

from networks.services.activities import (
    CheckinResult,
    activity_invite_ambassadors,
    activity_reminders_schedule,
    attendance_mark,
    checkin_by_code,
    registration_cancel,
    registration_create,
    registrations_forget_needs,
    ticket_qr,
    waitlist_promote,
)
from networks.services.balls import (
    ball_duplicate_answer,
    ball_record_received,
    ball_submit,
    ball_transition,
)
from networks.services.networks import (
    invitation_answer,
    invitations_send,
    membership_approve,
    network_join_request,
    standing_network,
    suggest_ambassadors,
)
from networks.services.publication import (
    ball_consent_change,
    ball_publish,
    ball_record,
    ball_unpublish,
)

__all__ = [
    "CheckinResult",
    "activity_invite_ambassadors",
    "activity_reminders_schedule",
    "attendance_mark",
    "ball_consent_change",
    "ball_duplicate_answer",
    "ball_publish",
    "ball_record",
    "ball_record_received",
    "ball_submit",
    "ball_transition",
    "ball_unpublish",
    "checkin_by_code",
    "invitation_answer",
    "invitations_send",
    "membership_approve",
    "network_join_request",
    "registration_cancel",
    "registration_create",
    "registrations_forget_needs",
    "standing_network",
    "suggest_ambassadors",
    "ticket_qr",
    "waitlist_promote",
]
