"""Cache invalidation for the dashboard and the progress page (evaluation/dashboard.py).

Any saved or deleted row the figures are computed from moves the data version on, so the next
request computes afresh. Bulk writes send no signals: whoever makes them (the demo and scale
seeders) calls `dashboard.data_changed()` itself.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

# The models the dashboard's and the progress page's figures read.
SOURCES = [
    "ambassadors.Ambassador",
    "ambassadors.Participation",
    "networks.Ball",
    "networks.BallEvent",
    "networks.Network",
    "networks.Membership",
    "networks.Activity",
    "networks.Registration",
    "evaluation.Goal",
    "evaluation.Indicator",
    "evaluation.Measurement",
    "themes.Strategy",
    "themes.Theme",
    "themes.CoreArea",
]


def _changed(sender, **kwargs) -> None:
    from evaluation.dashboard import data_changed

    data_changed()


def connect() -> None:
    from django.apps import apps

    for label in SOURCES:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboard-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboard-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _changed, sender=field.remote_field.through, dispatch_uid=f"dashboard-m2m-{field}"
            )
