"""Background work, run by the database-backed worker (`manage.py db_worker`).

Each task is resumable: it picks the rows not yet sent, sends one mail per row and stamps the
row in its own small transaction, so a worker that dies halfway is simply started again and
no one gets the mail twice.
"""

from __future__ import annotations

import logging

from django.tasks import task

from ambassadors.models import counts_as_ambassador
from networks.models import ActivityInvitation, Registration
from udsathed.core.mail import absolute_url, build_email, send_each

logger = logging.getLogger(__name__)


@task
def send_activity_invitations(activity_id: int) -> int:
    """Mail every unsent invitation to an activity."""

    def build(invitation):
        activity = invitation.activity
        return build_email(
            to=invitation.ambassador.email,
            template="networks/email/activity_invitation",
            context={
                "ambassador": invitation.ambassador,
                "activity": activity,
                "link": absolute_url(activity.get_absolute_url()),
            },
            language=invitation.ambassador.language,
        )

    pending = (
        ActivityInvitation.objects.filter(
            counts_as_ambassador("ambassador__"),
            activity_id=activity_id,
            sent_at__isnull=True,
        )
        .select_related("activity", "ambassador")
        .order_by("pk")
    )
    return send_each(pending, build, "sent_at")


@task
def send_activity_reminders(activity_id: int | None = None) -> int:
    """Remind everyone with a place whose activity starts within ACTIVITY_REMINDER_DAYS, once
    per start time (of one activity, or of all). Run when an activity is saved and every few
    minutes by `resume_sending`; a run finds the due places afresh, so one scheduled for a start
    that has since moved sends nothing, and two runs at once send no one the mail twice."""

    def build(registration):
        return build_email(
            to=registration.email,
            template="networks/email/activity_reminder",
            context={
                "registration": registration,
                "activity": registration.activity,
                "activity_link": absolute_url(registration.activity.get_absolute_url()),
                "cancel_link": absolute_url(registration.get_cancel_url()),
            },
            language=registration.mail_language,
        )

    pending = Registration.objects.reminder_due().select_related("activity", "ambassador")
    if activity_id is not None:
        pending = pending.filter(activity_id=activity_id)
    # The stamp names the start the mail told, read in the same locked row as the mail.
    return send_each(
        pending.order_by("pk"),
        build,
        "reminded_at",
        also_stamp=lambda registration: {"reminded_for": registration.activity.start_as_told},
    )
