from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evaluation.demo import build_evaluation_demo
from networks.demo import build_demo, demo_delete, demo_exists


class Command(BaseCommand):
    help = (
        "Fill a development database with realistic demo content: ambassadors, the standing "
        "action network, the historical and current ad hoc networks, and balls in every state."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Remove the demo content first.")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, reset, force, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "seed_demo fills the database with made-up people; it runs only with DEBUG on."
            )
        with transaction.atomic():  # a failed rebuild keeps the old demo
            if reset:
                demo_delete()
            elif demo_exists():
                self.stdout.write("Demo content is already there (use --reset to rebuild it).")
                return
            counts = build_demo()
            counts.update(build_evaluation_demo())  # evaluation/demo.py: goals, a round
        self.stdout.write(
            self.style.SUCCESS(
                "Demo content created: "
                + ", ".join(f"{count} {name}" for name, count in counts.items())
            )
        )
