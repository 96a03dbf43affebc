"""Enqueue again every send that was left unfinished (udsathed/sending.py says how). `make run`
runs it before the worker starts; in production the scheduler runs it every five minutes."""

from django.core.management.base import BaseCommand

from udsathed.sending import sending_resume


class Command(BaseCommand):
    help = "Enqueue unfinished newsletter and invitation sends again, and the reminders due."

    def handle(self, *args, **options):
        resumed = sending_resume()
        self.stdout.write(
            f"Resumed: {resumed['newsletters']} newsletters, {resumed['activities']} activities' "
            f"invitations{', the reminders due' if resumed['reminders'] else ''}."
        )
