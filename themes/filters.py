import django_filters
from django.utils.translation import gettext_lazy as _

from themes.models import CoreArea, Theme


class ThemeAndCoreAreaFilterSet(django_filters.FilterSet):
    """Filters by a theme and a core area of the active strategy, with translated labels."""

    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        field_name="themes",
        queryset=Theme.objects.of_active_strategy(),
        empty_label=_("All themes"),
    )
    core_area = django_filters.ModelChoiceFilter(
        label=_("Core area"),
        field_name="core_areas",
        queryset=CoreArea.objects.of_active_strategy(),
        empty_label=_("All core areas"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["theme"].label_from_instance = lambda t: f"{t.number}. {t.title}"
        fields["core_area"].label_from_instance = lambda area: area.name
        for field in fields.values():
            field.widget.attrs.setdefault("class", "form-select")
