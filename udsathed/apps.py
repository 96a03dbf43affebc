from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: its management commands, and the data version's signals."""

    name = "udsathed"

    def ready(self):
        from udsathed import dataversion

        dataversion.connect()
