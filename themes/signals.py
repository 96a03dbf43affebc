"""Signals of the strategy, for the apps above `themes` (which `themes` may not import).

`strategy_loaded` is sent by `strategy_load` inside its transaction, after the strategy's own
rows are in place: `strategy`, the parsed file (`data`) and the `result` being counted. A
receiver loads its own part of the file (evaluation: the goals) with `themes.services.sync_row`;
an error it raises (`StrategyFileError`) rolls the whole load back.
"""

from django.dispatch import Signal

strategy_loaded = Signal()
