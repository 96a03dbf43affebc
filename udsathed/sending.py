"""Enqueue again every send that was left unfinished (a worker died, the machine restarted).

Django's tasks framework does not retry a task whose worker disappeared; this looks at the data
instead: newsletters still sending, activity invitations not yet mailed, the invitations and
reminders to imported ambassadors (ambassadors.imports) that are due, and activity reminders
due (a place whose activity starts within ACTIVITY_REMINDER_DAYS and whose holder was not reminded
of that start). Each task sends only what is not stamped as sent, so running this while a worker
is busy with the same job sends no one a second mail. Run by `manage.py resume_sending` (which
`make run` runs before the worker starts) and every five minutes by the scheduler
(udsathed/tasks.py).
"""

from django.utils import timezone

from ambassadors.models import Ambassador, DeliveryStatus, Newsletter, NewsletterState
from ambassadors.tasks import send_ambassador_invitations, send_newsletter
from networks.models import ActivityInvitation, ActivityState, Registration
from networks.tasks import send_activity_invitations, send_activity_reminders


def sending_resume() -> dict[str, int]:
    """Enqueue the unfinished sends and the reminders due; returns how many of each."""
    newsletters = list(
        Newsletter.objects.filter(
            state=NewsletterState.SENDING, deliveries__status=DeliveryStatus.PENDING
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for pk in newsletters:
        send_newsletter.enqueue(pk)
    activities = list(
        ActivityInvitation.objects.filter(
            sent_at__isnull=True,
            activity__state__in=[ActivityState.OPEN, ActivityState.FULL],
            activity__ends_at__gte=timezone.now(),
        )
        .values_list("activity_id", flat=True)
        .distinct()
    )
    for pk in activities:
        send_activity_invitations.enqueue(pk)
    reminders = Registration.objects.reminder_due().exists()
    if reminders:
        send_activity_reminders.enqueue()
    invitations = (
        Ambassador.objects.invitation_due().exists()
        or Ambassador.objects.invitation_reminder_due().exists()
    )
    if invitations:
        send_ambassador_invitations.enqueue()
    return {
        "newsletters": len(newsletters),
        "activities": len(activities),
        "reminders": int(reminders),
        "invitations": int(invitations),
    }
