from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    """The project package as an app: its management commands and the staff groups."""

    name = "udsathed"

    def ready(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from udsathed.admin_names import mark_for_translation
        from udsathed.groups import ensure_groups

        post_migrate.connect(ensure_groups, dispatch_uid="udsathed.ensure_groups")
        mark_for_translation(
            TOTPDevice, verbose_name="TOTP device", verbose_name_plural="TOTP devices"
        )
