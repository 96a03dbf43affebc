from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from evaluation.dashboard import STATUS_LABELS, day_label, too_early_reason
from evaluation.metrics import GoalProgress
from udsathed.core.smallcounts import SUPPRESSED, suppressed

register = template.Library()


@register.filter
def small_count(value, measure: str = "ambassadors") -> str:
    """A count with the small-count rule for its measure (persons by default): "<5" when
    hidden, the number otherwise."""
    if value is None:
        return "–"
    if suppressed(measure, value):
        return SUPPRESSED
    return number_format(value, force_grouping=True)


def _number(progress: GoalProgress, value, hidden: bool) -> str:
    if value is None:
        return "–"
    if hidden:
        return SUPPRESSED
    if progress.is_count:
        return number_format(round(value), force_grouping=True)
    text = number_format(value, decimal_pos=0 if value == int(value) else 1)
    return f"{text} %" if progress.is_percentage else text


@register.filter
def goal_value(progress: GoalProgress) -> str:
    return _number(progress, progress.value, progress.hidden)


@register.filter
def goal_projection(progress: GoalProgress) -> str:
    return _number(progress, progress.projection, progress.projection_hidden)


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
def goal_reason(progress: GoalProgress) -> str:
    return too_early_reason(progress)


@register.filter
def day(value) -> str:
    """A date in the reader's language: "1. jan. 2026" in Danish, "Jan. 1, 2026" in English."""
    return day_label(value) if value else ""


@register.filter
def engagement_value(row: dict) -> str:
    if row["value"] is None:
        return "–"
    if row["hidden"]:
        return SUPPRESSED
    if row["key"] == "top_share":
        return f"{number_format(row['value'], decimal_pos=1)} %"
    return number_format(row["value"], force_grouping=True)


@register.filter
def measurement_value(value) -> str:
    return number_format(value, decimal_pos=0 if value == int(value) else 2, force_grouping=True)
