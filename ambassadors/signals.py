"""Signals by which the apps above `ambassadors` take part in a person's erasure and export.

`ambassadors` may not import `networks` or `evaluation`, yet a person also lives in their
tables (registrations, memberships, invitations, balls, questionnaire requests). So the app
that owns those rows connects a receiver in its `AppConfig.ready()` and handles its own rows.

`ambassador_erased`
    Sent by `ambassador_erase` inside its transaction, after the ambassador row is locked and
    BEFORE its personal fields are emptied, with `ambassador`, the old `email`, `name` and
    `phone`, and `now` (the erasure time). Receivers erase or anonymise every row of their app
    that belongs to the person: the ones linked to the ambassador and the ones made with the
    same e-mail (any case) without the link. A receiver that raises rolls the whole erasure
    back, so a person is erased everywhere or nowhere.

`ambassador_exporting`
    Sent by `ambassador_export` with `ambassador` and `email`. Each receiver returns a dict
    mapping section names to lists of JSON-ready dicts; the export merges them. A section name
    may be given by one receiver only.
"""

from django.dispatch import Signal

ambassador_erased = Signal()
ambassador_exporting = Signal()
