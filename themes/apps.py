from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("The strategy")

    def ready(self):
        from udsathed.groups import ensure_groups

        post_migrate.connect(ensure_groups, dispatch_uid="udsathed.ensure_groups")
