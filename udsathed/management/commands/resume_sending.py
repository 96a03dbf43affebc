"""Enqueue again every send that was left unfinished (a worker died, the machine restarted).

Django's tasks framework does not retry a task whose worker disappeared; this command looks at
the data instead: newsletters still sending, activity invitations not yet mailed, and activity
reminders due (a place whose activity starts within ACTIVITY_REMINDER_DAYS and whose holder was
not reminded of that start). Each task sends only what is not stamped as sent, so running this
while a worker is busy with the same job sends no one a second mail. `make run` runs it before
the worker starts; in production run it at worker start and every few minutes.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ambassadors.models import DeliveryStatus, Newsletter, NewsletterState
from ambassadors.tasks import send_newsletter
from networks.models import ActivityInvitation, ActivityState, Registration
from networks.tasks import send_activity_invitations, send_activity_reminders


class Command(BaseCommand):
    help = "Enqueue unfinished newsletter and invitation sends again, and the reminders due."

    def handle(self, *args, **options):
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
        self.stdout.write(
            f"Resumed: {len(newsletters)} newsletters, {len(activities)} activities' invitations"
            f"{', the reminders due' if reminders else ''}."
        )
