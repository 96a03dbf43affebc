"""Issue 22, item 2: the newsletter archive as an Atom feed."""

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Newsletter, NewsletterState

pytestmark = pytest.mark.django_db


def sent(title, **kwargs):
    now = timezone.now()
    return Newsletter.objects.create(
        title=title,
        body="Tekst",
        state=NewsletterState.SENT,
        sent_html=f"<h1>{title}</h1><p>Nyt fra strategien.</p><script>alert(1)</script>",
        send_started_at=now,
        sent_at=now,
        **kwargs,
    )


def test_newsletter_feed_parses_and_holds_only_sent_newsletters(client):
    newsletter = sent("Nyhedsbrev juni")
    Newsletter.objects.create(title="Kladde", body="Hemmelig kladde")
    response = client.get(reverse("newsletter-feed"))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["Nyhedsbrev juni"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{newsletter.get_absolute_url()}"
    assert "Nyt fra strategien." in entry.summary
    assert "<script" not in entry.summary and "Kladde" not in response.content.decode()


def test_newsletter_pages_link_the_feed(client):
    newsletter = sent("Nyhedsbrev maj")
    for url in (reverse("newsletter-list"), newsletter.get_absolute_url()):
        html = client.get(url).content.decode()
        assert (
            f'type="application/atom+xml" title="Nyhedsbreve" href="{reverse("newsletter-feed")}"'
            in html
        )
