import django_filters
from django.utils.translation import gettext_lazy as _

from networks.models import Activity, ActivityKind
from themes.filters import ThemeAndCoreAreaFilterSet


class ActivityFilter(ThemeAndCoreAreaFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityKind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Activity
        fields = ["kind", "theme", "core_area"]
