from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    """The project package as an app: its management commands and the staff groups."""

    name = "udsathed"
    default = True  # this module also holds the static files' configuration below

    def ready(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from udsathed.admin_names import mark_for_translation
        from udsathed.groups import ensure_groups

        post_migrate.connect(ensure_groups, dispatch_uid="udsathed.ensure_groups")
        mark_for_translation(
            TOTPDevice, verbose_name="TOTP device", verbose_name_plural="TOTP devices"
        )


class PortalStaticFilesConfig(StaticFilesConfig):
    """`collectstatic` leaves out what the portal never serves, so it is neither hashed,
    compressed nor deployed: ReDoc (the API's documentation is Swagger UI) and Django REST
    framework's browsable API (the API answers in JSON only). Half of the 13 MB the installed
    apps bring, and half of the time collectstatic spends compressing."""

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "drf_spectacular_sidecar/redoc/*",
        "rest_framework/*",
    ]
