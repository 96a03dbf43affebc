from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Balls, networks and activities")

    def ready(self):
        # `ambassadors` cannot import this app; its erasure and export reach our rows this way.
        from ambassadors.signals import ambassador_erased, ambassador_exporting
        from networks import privacy

        ambassador_erased.connect(privacy.on_ambassador_erased, dispatch_uid="networks-erase")
        ambassador_exporting.connect(
            privacy.on_ambassador_exporting, dispatch_uid="networks-export"
        )
