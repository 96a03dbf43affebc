from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from udsathed.demo.evaluation import build_evaluation_demo
from udsathed.demo.portal import build_demo, demo_delete, demo_exists
from udsathed.demo.scale import build_scale, scale_delete, scale_exists


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
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also add N municipalities of bulk data; 100 for the benchmark.",
        )

    def handle(self, *args, reset, force, scale, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "seed_demo fills the database with made-up people; it runs only with DEBUG on."
            )
        if scale:
            self.handle_scale(scale=scale, reset=reset)
            return
        with transaction.atomic():  # a failed rebuild keeps the old demo
            if reset:
                demo_delete()
            elif demo_exists():
                self.stdout.write("Demo content is already there (use --reset to rebuild it).")
                return
            counts = build_demo()
            counts.update(build_evaluation_demo())  # udsathed/demo/evaluation.py: goals, a round
        self.stdout.write(
            self.style.SUCCESS(
                "Demo content created: "
                + ", ".join(f"{count} {name}" for name, count in counts.items())
            )
        )

    def handle_scale(self, *, scale: int, reset: bool) -> None:
        """The small demo (once) plus N municipalities of bulk rows; nothing if already there."""
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if reset:
            with transaction.atomic():
                scale_delete()
                demo_delete()
        elif scale_exists():
            self.stdout.write("Scale data is already there (use --reset to rebuild it).")
            return
        if not demo_exists():
            with transaction.atomic():
                build_demo()
                build_evaluation_demo()
        counts = build_scale(scale=scale, progress=self.progress)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale {scale} data created: "
                + ", ".join(f"{count} {name}" for name, count in counts.items())
            )
        )

    def progress(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = min(width, width * done // max(total, 1))
        bar = "#" * filled + "." * (width - filled)
        self.stdout.write(f"\r{label:<22} [{bar}] {done:>9,}", ending="")
        if done >= total:
            self.stdout.write("")
        self.stdout.flush()
