from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: its management commands."""

    name = "udsathed"
