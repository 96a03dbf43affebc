from django.core.management.base import BaseCommand

from ambassadors.services import ambassadors_delete_expired_unconfirmed


class Command(BaseCommand):
    help = "Delete sign-ups that were not confirmed within 7 days. Run it daily from a scheduler."

    def handle(self, *args, **options):
        deleted = ambassadors_delete_expired_unconfirmed()
        self.stdout.write(f"Deleted {deleted} unconfirmed sign-ups older than 7 days.")
