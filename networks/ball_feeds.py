"""The Atom feed of balls as they get their public answer (/bolde/feed/)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from networks.models import Ball

FEED_SIZE = 30


class BallAnswerFeed(Feed):
    """Published balls that got an answer, newest answer first: the public title, summary and
    answer, never the sender's name, contact or own text."""

    feed_type = Atom1Feed
    title = _("What became of the balls")
    subtitle = _("Ideas, concerns and challenges sent to the strategy, and the answers they got.")
    link = reverse_lazy("networks:ball-public-list")
    feed_url = reverse_lazy("networks:ball-feed")
    description_template = "networks/ball_feed_item.html"

    def items(self):
        return (
            Ball.objects.with_public_answer()
            .select_related("network")
            .only(
                "pk",
                "kind",
                "state",
                "public_title",
                "public_summary",
                "public_answer",
                "publish_consent",
                "received_at",
                "closed_at",
                "published_at",
                "network__name",
            )
            .order_by("-closed_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{item.public_title} ({item.get_state_display()})"

    def item_link(self, item):
        return item.get_public_url()

    def item_guid(self, item):
        return f"ball-{item.pk}-answer-{item.closed_at:%Y%m%d%H%M%S}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.closed_at

    def item_updateddate(self, item):
        return max(item.closed_at, item.published_at)
