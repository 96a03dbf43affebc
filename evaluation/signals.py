"""Saves and deletes move the data version (udsathed/dataversion.py), which keys the cached
pages (udsathed/pagecache.py), the dashboard's figures and the progress page's goals.

Every model of the portal's own apps counts, with their many-to-many links, except the few
that change in long runs and that no cached page shows: the stamps of a newsletter or an
invitation round being sent, and the answers of a questionnaire (read only in the admin).
Bulk writes send no signals: whoever makes them calls `dataversion.changed()` itself.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

APPS = ["ambassadors", "networks", "themes", "evaluation"]
QUIET = {
    "ambassadors.NewsletterDelivery",
    "networks.ActivityInvitation",
    "evaluation.Respondent",
    "evaluation.Response",
    "evaluation.Answer",
}


def _changed(sender, **kwargs) -> None:
    from udsathed import dataversion

    dataversion.changed()


def sources() -> list:
    from django.apps import apps

    return [
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in QUIET
    ]


def connect() -> None:
    for model in sources():
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"data-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"data-delete-{label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _changed, sender=field.remote_field.through, dispatch_uid=f"data-m2m-{field}"
            )
