"""The small-count rule, per measure: persons hidden from 1 to 4, events never, and shares,
means and medians over fewer than 5 persons or balls hidden whatever their value."""

import pytest
from django.template import Context, Template

from udsathed.core.smallcounts import MEASURES, suppressed


@pytest.mark.parametrize(
    ("measure", "value", "base", "hidden"),
    [
        # Counts of persons: 1 to 4 hidden, 0 and 5 shown.
        ("ambassadors", 0, None, False),
        ("ambassadors", 1, None, True),
        ("ambassadors", 4, None, True),
        ("ambassadors", 5, None, False),
        ("attendances", 3, None, True),
        ("attendees", 2, None, True),
        ("members", 1, None, True),
        ("respondents", 4, None, True),
        ("senders", 1, None, True),
        # Counts of events: never hidden.
        ("plenary_meetings", 1, None, False),
        ("meetings", 2, None, False),
        ("networks", 3, None, False),
        ("activities", 1, None, False),
        ("initiatives", 4, None, False),
        ("newsletters", 1, None, False),
        ("balls", 2, None, False),
        # Shares, means and medians: hidden over fewer than 5, whatever the value.
        ("share_of_balls", 100.0, 1, True),
        ("share_of_balls", 50.0, 4, True),
        ("share_of_balls", 60.0, 5, False),
        ("median_of_balls", 2.0, 2, True),
        ("median_of_balls", 2.0, 12, False),
        ("share_of_ambassadors", 75.0, 4, True),
        ("share_of_ambassadors", 80.0, 150, False),
        ("share_of_attendances", 55.0, 3, True),
        ("mean_score", 4.5, 2, True),
        ("mean_score", 4.5, 9, False),
        # Nothing to show is never "<5".
        ("ambassadors", None, None, False),
        ("share_of_balls", None, 0, False),
    ],
)
def test_small_count_rule_per_measure(measure, value, base, hidden):
    assert suppressed(measure, value, base=base) is hidden


def test_a_share_without_its_base_is_refused():
    with pytest.raises(ValueError):
        suppressed("share_of_balls", 50.0)


def test_every_measure_has_a_rule():
    for measure in MEASURES:
        value = 3 if MEASURES[measure].statistic == "count" else 50.0
        suppressed(measure, value, base=3)


@pytest.mark.parametrize(("n", "shown"), [(0, "0"), (1, "&lt;5"), (4, "&lt;5"), (5, "5")])
def test_the_persons_filter_hides_a_single_member(n, shown):
    template = Template("{% load smallcounts %}{{ n|persons }}")
    assert template.render(Context({"n": n})) == shown
