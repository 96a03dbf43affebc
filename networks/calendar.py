"""Activities as iCalendar (RFC 5545), for the calendar one subscribes to.

A subscribed calendar matches events by UID and keeps the copy with the highest SEQUENCE, so
the UID never changes (it is the activity's primary key and the portal's host, the same as the
one-activity `.ics` file gives) and SEQUENCE grows on every save of the activity (the model's
`sequence`). A cancelled activity stays in the feed with STATUS:CANCELLED, which is how a
calendar learns to strike it out; dropping it would leave the old copy standing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from networks.models import Activity, ActivityState

# Upcoming activities and those of the last 30 days: a calendar keeps showing what just happened
# (and a cancellation a day late still reaches it).
FEED_PAST_DAYS = 30


def activity_uid(activity: Activity, host: str) -> str:
    return f"activity-{activity.pk}@{host}"


def activity_event(activity: Activity, *, host: str, url: str) -> Event:
    """One activity as a VEVENT."""
    event = Event()
    event.add("uid", activity_uid(activity, host))
    event.add("dtstamp", activity.updated_at or timezone.now())
    if activity.updated_at:
        event.add("last-modified", activity.updated_at)
    event.add("created", activity.created_at or timezone.now())
    event.add("sequence", activity.sequence)
    event.add("dtstart", activity.starts_at)
    event.add("dtend", activity.ends_at)
    event.add("summary", activity.title)
    event.add("description", activity.description)
    event.add("location", f"{activity.place_name}, {activity.address}")
    event.add("url", url)
    cancelled = activity.state == ActivityState.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar_build(
    activities: Iterable[Activity], *, host: str, absolute_url, name: str = ""
) -> bytes:
    """The activities as one calendar; `absolute_url(path)` makes each event's link."""
    calendar = Calendar()
    calendar.add("prodid", "-//Faellesskabsportalen//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Subscribed calendars ask again this often (RFC 7986 and the older Apple/Microsoft name).
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for activity in activities:
        calendar.add_component(
            activity_event(activity, host=host, url=absolute_url(activity.get_absolute_url()))
        )
    return calendar.to_ical()


def feed_activities(now=None):
    """The calendar feed's activities: the visible ones not ended more than 30 days ago."""
    now = now or timezone.now()
    return Activity.objects.visible().upcoming(now - timedelta(days=FEED_PAST_DAYS))
