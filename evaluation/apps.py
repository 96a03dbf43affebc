from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Goals and evaluation")

    def ready(self):
        # `ambassadors` cannot import this app; its erasure and export reach our rows this way.
        from ambassadors.signals import ambassador_erased, ambassador_exporting
        from evaluation import privacy, services
        from themes.signals import strategy_loaded

        strategy_loaded.connect(services.on_strategy_loaded, dispatch_uid="evaluation-goals")

        ambassador_erased.connect(privacy.on_ambassador_erased, dispatch_uid="evaluation-erase")
        ambassador_exporting.connect(
            privacy.on_ambassador_exporting, dispatch_uid="evaluation-export"
        )
