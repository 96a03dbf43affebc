import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.models import Activity, ActivityKind, Ball, BallKind, BallState, Network
from themes.filters import ThemeAndCoreAreaFilterSet


class ActivityFilter(ThemeAndCoreAreaFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityKind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Activity
        fields = ["kind", "theme", "core_area"]


class PublicBallFilter(ThemeAndCoreAreaFilterSet):
    """The public list of balls: by state, kind, theme, core area, network, year, and words of
    the public texts only (never the sender's own)."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=100)
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=BallState.choices, empty_label=_("All states")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=BallKind.choices, empty_label=_("All kinds")
    )
    network = django_filters.ModelChoiceFilter(
        label=_("Network"),
        queryset=Network.objects.filter(pk__in=Ball.objects.published().values("network")),
        empty_label=_("All networks"),
    )
    year = django_filters.NumberFilter(
        label=_("Year received"), field_name="received_at", lookup_expr="year"
    )

    class Meta:
        model = Ball
        fields = ["q", "state", "kind", "theme", "core_area", "network", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs["class"] = "form-control"
        self.form.fields["year"].widget.attrs["class"] = "form-control"

    def search(self, queryset, name, value):
        words = value.split()[:5]
        for word in words:
            queryset = queryset.filter(
                Q(public_title__icontains=word)
                | Q(public_summary__icontains=word)
                | Q(public_answer__icontains=word)
            )
        return queryset
