from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from udsathed.backup import RestoreRefused, backup_restore


class Command(BaseCommand):
    help = (
        "Bring back an archive from `manage.py backup`: the database and the pictures, into an "
        "empty installation (a database that was created but not migrated, an empty picture "
        "storage). A database that has tables is refused unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar written by `manage.py backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop every table in the database and overwrite pictures of the same name",
        )

    def handle(self, *args, archive, replace, **options):
        if not archive.is_file():
            raise CommandError(f"There is no file {archive}.")
        settings_dict = connection.settings_dict
        # The restore works through connections of its own; Django's must not hold the tables.
        connection.close()
        try:
            manifest = backup_restore(
                settings_dict=settings_dict,
                storage=default_storage,
                source=archive,
                replace=replace,
            )
        except RestoreRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the database {settings_dict['NAME']} and {len(manifest['files'])} "
            f"pictures from {archive} (made {manifest['created_at']})."
        )
