"""Background work, run by the database-backed worker (`manage.py db_worker`).

Each task is resumable: it picks the rows not yet sent, sends one mail per row and stamps the
row in its own small transaction, so a worker that dies halfway is simply started again and
no one gets the mail twice.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from networks.models import ActivityInvitation, Registration
from udsathed.mail import absolute_url, build_email

logger = logging.getLogger(__name__)
BATCH = 100


def _send_each(queryset, build, stamp_field: str, *, also_stamp=None) -> int:
    """Send one mail per row of `queryset` (rows not stamped yet), each in its own commit:
    a worker killed halfway has stamped every mail it sent, and a second worker skips rows
    the first one holds. `also_stamp(row)` gives further fields to save with the stamp."""
    sent = 0
    last_pk = 0
    while True:
        ids = list(queryset.filter(pk__gt=last_pk).values_list("pk", flat=True)[:BATCH])
        if not ids:
            return sent
        last_pk = ids[-1]
        for pk in ids:
            with transaction.atomic():
                row = (
                    queryset.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
                )
                if row is None:  # stamped meanwhile, or another worker has it right now
                    continue
                try:
                    build(row).send()
                except Exception:  # one bad address must not stop the rest; retried next run
                    logger.exception("Could not send %s #%s", stamp_field, row.pk)
                    continue
                stamps = {stamp_field: timezone.now(), **(also_stamp(row) if also_stamp else {})}
                for field, value in stamps.items():
                    setattr(row, field, value)
                row.save(update_fields=list(stamps))
                sent += 1


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
            activity_id=activity_id,
            sent_at__isnull=True,
            ambassador__erased_at__isnull=True,
            ambassador__lapsed_at__isnull=True,
        )
        .select_related("activity", "ambassador")
        .order_by("pk")
    )
    return _send_each(pending, build, "sent_at")


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
            language=registration.ambassador.language if registration.ambassador else "da",
        )

    pending = Registration.objects.reminder_due().select_related("activity", "ambassador")
    if activity_id is not None:
        pending = pending.filter(activity_id=activity_id)
    # The stamp names the start the mail told, read in the same locked row as the mail.
    return _send_each(
        pending.order_by("pk"),
        build,
        "reminded_at",
        also_stamp=lambda registration: {"reminded_for": registration.activity.start_as_told},
    )
