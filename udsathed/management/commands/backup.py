from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import connection

from udsathed.backup import backup_write


class Command(BaseCommand):
    help = (
        "Write one dated archive with the database dump and every uploaded picture (from the "
        "local folder or the object storage) to backups/ (git-ignored), or to --output. "
        "`manage.py restore` brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The archive (.tar) to write")

    def handle(self, *args, output, **options):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = (
            output
            or settings.BASE_DIR / "backups" / f"{connection.settings_dict['NAME']}-{stamp}.tar"
        )
        manifest = backup_write(
            settings_dict=connection.settings_dict, storage=default_storage, target=target
        )
        self.stdout.write(f"{target} (the database and {len(manifest['files'])} pictures)")
