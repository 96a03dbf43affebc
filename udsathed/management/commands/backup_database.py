from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from udsathed.backup import database_dump


class Command(BaseCommand):
    help = "Write a pg_dump of the database to backups/ (git-ignored), or to --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The dump file to write")

    def handle(self, *args, output, **options):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = (
            output
            or settings.BASE_DIR / "backups" / f"{connection.settings_dict['NAME']}-{stamp}.dump"
        )
        database_dump(settings_dict=connection.settings_dict, target=target)
        self.stdout.write(str(target))
