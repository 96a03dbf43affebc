from django.core.management.base import BaseCommand

from networks.services import registrations_forget_needs


class Command(BaseCommand):
    help = "Delete accessibility and dietary needs 30 days after each activity. Run it daily."

    def handle(self, *args, **options):
        self.stdout.write(f"Forgot the needs of {registrations_forget_needs()} registrations.")
