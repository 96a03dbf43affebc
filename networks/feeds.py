"""The public feeds: the activities' calendar to subscribe to, the Atom feed of upcoming
activities, and the Atom feed of balls as they get their public answer.

Both take the activity page's filters (`ActivityFilter`: kind, theme, core area), so the feed of
one theme or core area is the page's own address with `kalender.ics` or `feed/` in front of the
query. A filter value that does not exist gives an empty feed, as it gives an empty page."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from networks.calendar import calendar_build, feed_activities
from networks.filters import ActivityFilter
from networks.models import Activity, Ball
from networks.services.publication import PUBLIC_COLUMNS

FEED_ITEMS = 50


def filtered(query, queryset):
    activities = ActivityFilter(query, queryset=queryset)
    return activities.qs if activities.is_valid() else queryset.none()


class ActivityCalendarFeedView(View):
    """`kalender.ics`: every visible activity not ended more than 30 days ago, for a calendar
    application to subscribe to (with `webcal://`) and fetch again by itself."""

    def get(self, request):
        activities = filtered(request.GET, feed_activities())
        body = calendar_build(
            activities,
            host=request.get_host(),
            absolute_url=request.build_absolute_uri,
            name=_("Activities – Fællesskabsportalen"),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="kalender.ics"'
        return response


class ActivityFeed(Feed):
    """The upcoming activities as Atom, newest first to start."""

    feed_type = Atom1Feed

    def get_object(self, request):
        # The feed object is shared by every request, so the query travels as the feed's object.
        return request.GET

    def title(self):
        return _("Upcoming activities – Fællesskabsportalen")

    def subtitle(self):
        return _("Meetings, theme days, workshops and events of the strategy.")

    def link(self):
        return reverse("networks:activity-list")

    def items(self, query):
        upcoming = Activity.objects.visible().upcoming(timezone.now())
        return filtered(query, upcoming)[:FEED_ITEMS]

    def item_title(self, item: Activity) -> str:
        return item.title

    def item_description(self, item: Activity) -> str:
        when = date_format(timezone.localtime(item.starts_at), "j. F Y H:i")
        cancelled = f"{_('Cancelled')}. " if item.is_cancelled else ""
        return f"{cancelled}{when}, {item.place_name}. {item.description}"

    def item_pubdate(self, item: Activity):
        return item.created_at

    def item_updateddate(self, item: Activity):
        return item.updated_at


BALL_FEED_ITEMS = 30


class BallAnswerFeed(Feed):
    """Published balls that got an answer, newest answer first: the public title, summary and
    answer, never the sender's name, contact or own text."""

    feed_type = Atom1Feed
    title = gettext_lazy("What became of the balls")
    subtitle = gettext_lazy(
        "Ideas, concerns and challenges sent to the strategy, and the answers they got."
    )
    link = reverse_lazy("networks:ball-public-list")
    feed_url = reverse_lazy("networks:ball-feed")
    description_template = "networks/ball_feed_item.html"

    def items(self):
        return (
            Ball.objects.with_public_answer()
            .select_related("network")
            .only(*PUBLIC_COLUMNS)
            .order_by("-closed_at", "-pk")[:BALL_FEED_ITEMS]
        )

    def item_title(self, item):
        return f"{item.public_title} ({item.get_state_display()})"

    def item_link(self, item):
        return item.get_public_url()

    def item_guid(self, item):
        return f"ball-{item.pk}-answer-{self.item_pubdate(item):%Y%m%d%H%M%S}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        # A ball closed before its closing time was recorded (an old or hand-made row) has only
        # its publishing time.
        return item.closed_at or item.published_at

    def item_updateddate(self, item):
        return max(self.item_pubdate(item), item.published_at)
