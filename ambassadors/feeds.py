"""The newsletter archive as an Atom feed: what the archive page shows, newest first."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from ambassadors.models import Newsletter

FEED_ITEMS = 20


class NewsletterFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Newsletters – Fællesskabsportalen")

    def subtitle(self):
        return _("News from the strategy and its ambassadors.")

    def link(self):
        return reverse("newsletter-list")

    def items(self):
        # The archive copy: frozen when sending started, the same for every recipient (each
        # mail's own unsubscribe link is added to the mail, never to this copy).
        return Newsletter.objects.published().only(
            "title", "slug", "sent_at", "send_started_at", "sent_html"
        )[:FEED_ITEMS]

    def item_title(self, item: Newsletter) -> str:
        return item.title

    def item_description(self, item: Newsletter) -> str:
        return item.archive_html()

    def item_pubdate(self, item: Newsletter):
        return item.send_started_at or item.sent_at

    def item_updateddate(self, item: Newsletter):
        return item.sent_at or item.send_started_at
