"""`manage.py import_ambassadors FILE [--dry-run] [--skip-errors] [--update-existing]`: the
admin's import from the command line, with the same rules (ambassadors.imports)."""

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ambassadors.imports import (
    ImportFileError,
    ImportReport,
    ambassadors_import,
    read_file,
)


class Command(BaseCommand):
    help = (
        "Import an existing list of ambassadors (.xlsx or .csv). Imported people are invited, "
        "not signed up: they count nowhere until they answer the invitation mail."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show every row's outcome; write nothing."
        )
        parser.add_argument(
            "--skip-errors",
            action="store_true",
            help="Import the good rows even when some rows are in error.",
        )
        parser.add_argument(
            "--update-existing",
            action="store_true",
            help="Overwrite ambassadors already in the portal with the file's values.",
        )
        parser.add_argument(
            "--by",
            default="",
            help="Who brings the list in, for the consent record (default: the system user).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            dataset = read_file(path.read_bytes(), path.name)
            report = ambassadors_import(
                dataset=dataset,
                file_name=path.name,
                user=options["by"] or f"{getpass.getuser()} (manage.py)",
                dry_run=options["dry_run"],
                skip_errors=options["skip_errors"],
                update_existing=options["update_existing"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.print_report(report)
        if report.written:
            self.stdout.write(
                self.style.SUCCESS("Imported. The invitations are sent by the worker.")
            )
        elif options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        else:
            raise CommandError(
                "Nothing was written: some rows are in error. Correct them, or use --skip-errors."
            )

    def print_report(self, report: ImportReport) -> None:
        with translation.override("da"):
            for column in report.ignored_columns:
                self.stdout.write(f"Ignored column: {column!r}")
            for row in report.rows:
                line = f"{row.line:>6}  {row.label:<24} {row.name} <{row.email}>"
                self.stdout.write(
                    self.style.ERROR(line) if row.messages and row.outcome == "error" else line
                )
                for message in row.messages:
                    self.stdout.write(f"        {message}")
            counts = report.counts
            self.stdout.write(
                f"new: {counts['new']}, already known: {counts['known']}, "
                f"updated: {counts['update']}, errors: {counts['error']}"
            )
