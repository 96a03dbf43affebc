from django.core.management.base import BaseCommand

from ambassadors.services import ambassadors_run_reconfirmation


class Command(BaseCommand):
    help = (
        "The yearly check: ask ambassadors whose last 'yes' is a year old whether they want to "
        "stay, and mark as lapsed those who did not answer within 4 weeks. Safe to run daily."
    )

    def handle(self, *args, **options):
        asked, lapsed = ambassadors_run_reconfirmation()
        self.stdout.write(f"Asked {asked} ambassadors to stay; {lapsed} lapsed.")
