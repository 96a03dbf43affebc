from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from evaluation.charts import small_count as _small_count
from evaluation.metrics import GoalProgress, GoalStatus

register = template.Library()

STATUS_LABELS = {
    GoalStatus.REACHED: _("Reached"),
    GoalStatus.ON_TRACK: _("On track"),
    GoalStatus.BEHIND: _("Behind"),
    GoalStatus.MISSED: _("Not reached"),
    GoalStatus.NOT_STARTED: _("Not started yet"),
    GoalStatus.NO_DATA: _("No data yet"),
}


@register.filter
def small_count(value) -> str:
    """Counts from 1 to 4 as "<5" (privacy); 0 and 5 and up as they are."""
    return _small_count(value)


def _number(progress: GoalProgress, value) -> str:
    if value is None:
        return "–"
    if progress.is_count:
        return _small_count(value)
    text = number_format(value, decimal_pos=0 if value == int(value) else 1)
    return f"{text} %" if progress.is_percentage else text


@register.filter
def goal_value(progress: GoalProgress) -> str:
    return _number(progress, progress.value)


@register.filter
def goal_target(progress: GoalProgress) -> str:
    target = progress.goal.target
    text = number_format(target, decimal_pos=0 if target == int(target) else 1)
    if progress.is_percentage:
        text = f"{text} %"
    prefix = _("at most") if progress.goal.lower_is_better else _("at least")
    return f"{prefix} {text}"


@register.filter
def goal_status(progress: GoalProgress) -> str:
    return STATUS_LABELS[progress.status]


@register.filter
def measurement_value(value) -> str:
    return number_format(value, decimal_pos=0 if value == int(value) else 2, force_grouping=True)
