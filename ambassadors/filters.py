import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador, AmbassadorKind
from themes.models import CoreArea, Theme


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search by name"), method="search", max_length=100)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[
            (k.value, k.label) for k in AmbassadorKind if k in AmbassadorKind.organisational()
        ],
        empty_label=_("All kinds"),
    )
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

    class Meta:
        model = Ambassador
        fields = ["q", "kind", "theme", "core_area"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["theme"].label_from_instance = lambda t: (
            f"{t.number}. {t.translated('title')}"
        )
        self.form.fields["core_area"].label_from_instance = lambda a: a.translated("name")
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def search(self, queryset, name, value):
        return queryset.filter(Q(organisation_name__icontains=value) | Q(name__icontains=value))
