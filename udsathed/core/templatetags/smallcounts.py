"""`{{ n|persons }}`: a count of persons with the small-count rule (core/smallcounts.py)."""

from django import template
from django.utils.formats import number_format

from udsathed.core.smallcounts import SUPPRESSED, suppressed

register = template.Library()


@register.filter
def persons(value) -> str:
    """A count of persons in a breakdown cell (a network's members): 1 to 4 read "<5"."""
    if value is None:
        return "–"
    if suppressed("members", value):
        return SUPPRESSED
    return number_format(value, force_grouping=True)


@register.filter
def persons_hidden(value) -> bool:
    """Whether a count of persons is hidden, for text that words the hidden case itself."""
    return suppressed("members", value)
