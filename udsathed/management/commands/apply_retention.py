from django.core.management.base import BaseCommand

from udsathed.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Apply every retention rule: unconfirmed sign-ups after 7 days, registration needs 30 "
        "days after the activity, ball senders' contact details and lapsed ambassadors after "
        "the times in the settings. Run it nightly."
    )

    def handle(self, *args, **options):
        for rule, count in retention_apply().items():
            self.stdout.write(f"{rule}: {count}")
