"""Issue 22, items 1, 2 and 4: the calendar to subscribe to, the Atom feed of activities, and
the activity page's structured data."""

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from networks.models import ActivityState
from tests.evaluation.factories import ActivityFactory
from themes.models import Theme

pytestmark = pytest.mark.django_db


def soon(days=3, **kwargs):
    return ActivityFactory(
        starts_at=timezone.now() + timedelta(days=days), state=ActivityState.OPEN, **kwargs
    )


def calendar_events(client, query=""):
    response = client.get(reverse("networks:activity-calendar-feed") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_calendar_feed_parses_and_holds_upcoming_and_last_30_days(client):
    upcoming = soon()
    recent = ActivityFactory(starts_at=timezone.now() - timedelta(days=10))
    old = ActivityFactory(starts_at=timezone.now() - timedelta(days=40))
    draft = soon(title="Kladde")
    draft.state = ActivityState.PLANNED
    draft.save()
    events = calendar_events(client)
    assert set(events) == {upcoming.title, recent.title}
    assert old.title not in events
    event = events[upcoming.title]
    assert str(event["UID"]) == f"activity-{upcoming.pk}@testserver"
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == upcoming.starts_at.replace(microsecond=0)


def test_cancelled_activity_reaches_the_calendar_feed_as_cancelled_with_a_higher_sequence(client):
    activity = soon()
    before = calendar_events(client)[activity.title]
    activity.state = ActivityState.CANCELLED
    activity.save()
    after = calendar_events(client)[activity.title]
    assert after["STATUS"] == "CANCELLED"
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_moved_activity_keeps_its_uid_and_raises_its_sequence(client):
    activity = soon()
    activity.starts_at += timedelta(hours=1)
    activity.ends_at += timedelta(hours=1)
    activity.save(update_fields=["starts_at", "ends_at"])
    activity.refresh_from_db()
    assert activity.sequence == 1
    event = calendar_events(client)[activity.title]
    assert int(event["SEQUENCE"]) == 1


def test_calendar_feed_per_theme_and_core_area_uses_the_page_filters(client, fredericia):
    theme = Theme.objects.of_active_strategy().first()
    area = theme.core_areas.first()
    tagged = soon(title="Med tema")
    tagged.themes.add(theme)
    tagged.core_areas.add(area)
    soon(title="Uden tema")
    assert set(calendar_events(client, f"?theme={theme.pk}")) == {"Med tema"}
    assert set(calendar_events(client, f"?core_area={area.pk}")) == {"Med tema"}
    assert calendar_events(client, "?theme=999999") == {}


def test_activity_list_links_the_calendar_with_webcal_and_the_feeds(client, fredericia):
    theme = Theme.objects.of_active_strategy().first()
    html = client.get(reverse("networks:activity-list"), {"theme": theme.pk}).content.decode()
    assert f'href="webcal://testserver/aktiviteter/kalender.ics?theme={theme.pk}"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert 'rel="alternate" type="text/calendar"' in html


def test_activity_atom_feed_parses(client):
    activity = soon()
    cancelled = soon(title="Aflyst møde")
    cancelled.state = ActivityState.CANCELLED
    cancelled.save()
    response = client.get(reverse("networks:activity-feed"))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert activity.title in titles
    entry = next(e for e in feed.entries if e.title == "Aflyst møde")
    assert entry.link == f"http://testserver{cancelled.get_absolute_url()}"
    assert "Aflyst" in entry.summary or "Cancelled" in entry.summary


def test_english_calendar_feed_names_itself_in_english(client):
    soon()
    response = client.get("/en" + reverse("networks:activity-calendar-feed"))
    assert b"X-WR-CALNAME:Activities" in response.content


def test_activity_page_carries_schema_org_event_microdata(client):
    activity = soon()
    html = client.get(activity.get_absolute_url()).content.decode()
    assert 'itemscope itemtype="https://schema.org/Event"' in html
    assert 'itemprop="name"' in html
    assert (
        f'itemprop="startDate" datetime="{timezone.localtime(activity.starts_at).isoformat()}"'
        in html
    )
    assert 'itemprop="location" itemscope itemtype="https://schema.org/Place"' in html
    assert 'href="https://schema.org/EventScheduled"' in html


def test_feeds_bounded_queries(client, django_assert_max_num_queries, fredericia):
    theme = Theme.objects.of_active_strategy().first()
    for n in range(40):
        activity = soon(days=1 + n)
        activity.themes.add(theme)
    with django_assert_max_num_queries(6):
        client.get(reverse("networks:activity-calendar-feed"))
    with django_assert_max_num_queries(6):
        client.get(reverse("networks:activity-feed"), {"theme": theme.pk})
