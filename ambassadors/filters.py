import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador, AmbassadorKind
from themes.filters import ThemeAndCoreAreaFilterSet


class DirectoryFilter(ThemeAndCoreAreaFilterSet):
    q = django_filters.CharFilter(
        label=_("Search by name"),
        method="search",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[
            (k.value, k.label) for k in AmbassadorKind if k in AmbassadorKind.organisational()
        ],
        empty_label=_("All kinds"),
    )

    class Meta:
        model = Ambassador
        fields = ["q", "kind", "theme", "core_area"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(organisation_name__icontains=value) | Q(name__icontains=value))
