from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation.metrics import Period
from evaluation.models import Question, QuestionKind

EARLIEST = date(2000, 1, 1)
LONGEST_YEARS = 25


def default_period(today: date | None = None) -> Period:
    """From 1 January last year until today: two seasons of meetings side by side."""
    today = today or timezone.localdate()
    return Period(date(today.year - 1, 1, 1), today)


class PeriodForm(forms.Form):
    """The period every figure on the dashboard covers (`fra` and `til` in the address)."""

    fra = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date as YYYY-MM-DD, e.g. 2020-01-31.")},
    )
    til = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date as YYYY-MM-DD, e.g. 2020-12-31.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            default = default_period()
            self.initial = {"fra": default.start.isoformat(), "til": default.end.isoformat()}

    def clean(self):
        data = super().clean()
        default = default_period()
        start, end = data.get("fra") or default.start, data.get("til") or default.end
        if self.errors:
            return data
        if start > end:
            raise forms.ValidationError(
                _("The period must end on or after the day it starts."), code="order"
            )
        if start < EARLIEST:
            self.add_error("fra", _("The dashboard has no figures from before 2000."))
        latest = date(timezone.localdate().year + 1, 12, 31)
        if end > latest:
            self.add_error("til", _("The period cannot end after the end of next year."))
        if (end - start).days > LONGEST_YEARS * 366:
            raise forms.ValidationError(
                _("Choose a period of at most %(years)s years.") % {"years": LONGEST_YEARS},
                code="too_long",
            )
        data["period"] = Period(start, end)
        return data

    @property
    def period(self) -> Period:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period"]
        return default_period()


class ResponseForm(forms.Form):
    """The questionnaire: one field per question, a 1-5 scale or free text."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        scale = [(str(n), str(n)) for n in range(1, 6)]
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.SCALE:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=scale,
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=question.required,
                    help_text=_("1 is the least, 5 the most."),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    max_length=3000,
                    required=question.required,
                    help_text=_("Please do not write names or health details of others."),
                )
            self.fields[name].point = question.get_point_display()

    def answers(self) -> dict[int, int | str | None]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    def grouped(self):
        """The fields grouped by evaluation point, in the questions' order."""
        groups: list[tuple[str, list]] = []
        for question in self.questions:
            bound = self[f"q{question.pk}"]
            point = question.get_point_display()
            if not groups or groups[-1][0] != point:
                groups.append((point, []))
            groups[-1][1].append(bound)
        return groups
