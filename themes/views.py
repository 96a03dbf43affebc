from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from themes.models import CoreArea, Strategy, Theme


def themes_with_core_areas():
    return Theme.objects.of_active_strategy().prefetch_related(
        Prefetch("core_areas", queryset=CoreArea.objects.order_by("position"))
    )


class ActiveStrategyMixin:
    """Pages about the strategy the site runs; the strategy object is fetched once."""

    def get_strategy(self):
        if not hasattr(self, "_strategy"):
            self._strategy = Strategy.objects.active().first()
        return self._strategy

    def get_context_data(self, **kwargs):
        # Overrides the lazy context-processor value so the page reuses this query.
        return super().get_context_data(strategy=self.get_strategy(), **kwargs)


class HomeView(ActiveStrategyMixin, TemplateView):
    template_name = "themes/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["themes"] = Theme.objects.of_active_strategy()
        context["core_areas"] = CoreArea.objects.of_active_strategy()
        return context


class ThemeListView(ActiveStrategyMixin, ListView):
    template_name = "themes/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return themes_with_core_areas()


class ThemeDetailView(ActiveStrategyMixin, DetailView):
    template_name = "themes/theme_detail.html"
    context_object_name = "theme"

    slug_field = slug_url_kwarg = "number"

    def get_queryset(self):
        return themes_with_core_areas()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        siblings = list(Theme.objects.of_active_strategy().only("number", "title_da", "title_en"))
        index = next(i for i, t in enumerate(siblings) if t.pk == self.object.pk)
        context["previous_theme"] = siblings[index - 1] if index > 0 else None
        context["next_theme"] = siblings[index + 1] if index + 1 < len(siblings) else None
        return context


class CoreAreaDetailView(ActiveStrategyMixin, DetailView):
    template_name = "themes/corearea_detail.html"
    context_object_name = "core_area"

    def get_queryset(self):
        return CoreArea.objects.of_active_strategy().prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["core_areas"] = CoreArea.objects.of_active_strategy().only(
            "slug", "name", "name_en"
        )
        return context


class AboutView(ActiveStrategyMixin, TemplateView):
    template_name = "themes/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        strategy = context["strategy"]
        if strategy is not None:
            context["milestones"] = strategy.milestones.all()
            context["social_problems"] = strategy.social_problems.all()
        return context


class AccessibilityView(ActiveStrategyMixin, TemplateView):
    template_name = "themes/accessibility.html"
