from django.core.management.base import BaseCommand, CommandError

from themes.models import Strategy
from themes.services import StrategyFileError, strategy_file_path, strategy_load


class Command(BaseCommand):
    help = (
        "Load a strategy from themes/strategies/<name>.toml (or a path) and make it the active "
        "one. Safe to run again: unchanged rows are left alone, edited ones are updated in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="e.g. 'fredericia', 'frederiksberg' or a path to a file")
        parser.add_argument(
            "--no-activate",
            action="store_true",
            help="Load or update the strategy without making it the active one.",
        )
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="Do nothing when a strategy is already loaded (used by 'make run').",
        )

    def handle(self, *args, name, no_activate, if_none, **options):
        if if_none and Strategy.objects.exists():
            self.stdout.write("A strategy is already loaded; leaving it as it is.")
            return
        path = strategy_file_path(name)
        try:
            result = strategy_load(path=path, activate=not no_activate)
        except StrategyFileError as exc:
            raise CommandError(f"{path.name}: {exc}\nNothing was changed.") from exc
        strategy = result.strategy
        self.stdout.write(
            self.style.SUCCESS(
                f"{strategy.name} ({strategy.municipality}): {result.created} created, "
                f"{result.updated} updated, {result.deleted} deleted, "
                f"{result.unchanged} unchanged"
                + ("; now the active strategy." if result.activated else ".")
            )
        )
