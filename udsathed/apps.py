from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    """The project package as an app: its management commands and the staff groups."""

    name = "udsathed"

    def ready(self):
        from udsathed.groups import ensure_groups

        post_migrate.connect(ensure_groups, dispatch_uid="udsathed.ensure_groups")
