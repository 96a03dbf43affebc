import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from ambassadors import services
from ambassadors.models import (
    Ambassador,
    DeliveryStatus,
    Newsletter,
    NewsletterDelivery,
    NewsletterState,
)
from ambassadors.services import newsletters
from ambassadors.tasks import send_newsletter
from tests.ambassadors.factories import AmbassadorFactory

HOSTILE_MARKDOWN = """
# Hej

<script>alert("x")</script>

<img src="x" onerror="alert(1)">

[klik](javascript:alert(1)) og <a href="#" onclick="steal()">her</a>

<iframe src="https://evil.example"></iframe><style>body{display:none}</style>

**Fed** tekst og en [rigtig link](https://fredericia.dk).
"""


def make_newsletter(**extra):
    return Newsletter.objects.create(**{"title": "Nyt fra strategien", "body": "Hej alle", **extra})


def test_markdown_is_rendered_and_sanitised():
    html = str(newsletters.render_markdown(HOSTILE_MARKDOWN))
    assert "<h1>Hej</h1>" in html
    assert "<strong>Fed</strong>" in html
    assert 'href="https://fredericia.dk"' in html and 'rel="noopener noreferrer"' in html
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style"):
        assert bad not in html


def test_segment_by_interest_leaves_out_lapsed_withdrawn_and_unsubscribed(fredericia):
    theme = fredericia.themes.get(number=3)
    area = fredericia.core_areas.first()
    by_theme = AmbassadorFactory()
    by_theme.themes.add(theme)
    by_area = AmbassadorFactory()
    by_area.core_areas.add(area)
    neither = AmbassadorFactory()
    lapsed = AmbassadorFactory(lapsed_at=timezone.now())
    lapsed.themes.add(theme)
    no_mail = AmbassadorFactory(accepts_newsletter=False)
    no_mail.themes.add(theme)
    unconfirmed = AmbassadorFactory(confirmed_at=None)
    newsletter = make_newsletter()
    everyone = set(newsletters.newsletter_recipients(newsletter))
    assert everyone == {by_theme, by_area, neither}
    newsletter.themes.add(theme)
    assert set(newsletters.newsletter_recipients(newsletter)) == {by_theme}
    newsletter.core_areas.add(area)
    assert set(newsletters.newsletter_recipients(newsletter)) == {by_theme, by_area}
    assert unconfirmed not in everyone


def test_send_reaches_each_recipient_once_with_one_click_unsubscribe(fredericia, committed):
    people = AmbassadorFactory.create_batch(3)
    AmbassadorFactory(accepts_newsletter=False)
    newsletter = make_newsletter(body="Hej **alle**\n\n<script>x()</script>")
    total = committed(newsletters.newsletter_start_sending, newsletter=newsletter, expected_count=3)
    assert total == 3
    newsletter.refresh_from_db()
    assert newsletter.state == NewsletterState.SENDING
    assert send_newsletter.call(newsletter.pk) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body and link in message.alternatives[0].content
    assert "<strong>alle</strong>" in message.alternatives[0].content
    assert "<script>" not in message.alternatives[0].content
    newsletter.refresh_from_db()
    assert newsletter.state == NewsletterState.SENT and newsletter.sent_at
    # Running the task again sends nothing more.
    assert send_newsletter.call(newsletter.pk) == 0
    assert len(mail.outbox) == 3
    with pytest.raises(newsletters.AlreadySent):
        newsletters.newsletter_start_sending(newsletter=newsletter)


def test_unsubscribed_meanwhile_is_skipped(fredericia, committed):
    stays, leaves = AmbassadorFactory.create_batch(2)
    newsletter = make_newsletter()
    committed(newsletters.newsletter_start_sending, newsletter=newsletter)
    services.ambassador_newsletter_opt_out(ambassador=leaves, source="test")
    assert send_newsletter.call(newsletter.pk) == 1
    assert [m.to[0] for m in mail.outbox] == [stays.email]
    assert NewsletterDelivery.objects.get(ambassador=leaves).status == DeliveryStatus.SKIPPED


def test_changed_segment_asks_again(fredericia):
    AmbassadorFactory.create_batch(2)
    newsletter = make_newsletter()
    with pytest.raises(ValueError):
        newsletters.newsletter_start_sending(newsletter=newsletter, expected_count=5)
    newsletter.refresh_from_db()
    assert newsletter.is_draft and not newsletter.deliveries.exists()


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: not an Exception, so nothing in the task catches it."""


class RecordingBackend(BaseEmailBackend):
    """A test backend that keeps who got what, without building 20,000 MIME messages."""

    sent: list[str] = []
    limit: int | None = None

    def send_messages(self, messages):
        for message in messages:
            if self.limit is not None and len(self.sent) >= self.limit:
                raise WorkerKilled
            assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            self.sent.extend(message.to)
        return len(messages)


def test_twenty_thousand_killed_halfway_and_resumed_each_exactly_once(fredericia, settings):
    now = timezone.now()
    Ambassador.objects.bulk_create(
        Ambassador(
            kind="citizen", name=f"Modtager {n}", email=f"m{n}@example.dk", accepts_newsletter=True,
            confirmed_at=now, last_confirmed_at=now,
        )
        for n in range(20_000)
    )  # fmt: skip
    newsletter = make_newsletter()
    assert newsletters.newsletter_start_sending(newsletter=newsletter) == 20_000

    RecordingBackend.sent = []
    RecordingBackend.limit = 10_000  # the worker dies as it tries the 10,001st mail
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RecordingBackend"}}
    with pytest.raises(WorkerKilled):
        send_newsletter.call(newsletter.pk)
    assert len(RecordingBackend.sent) == 10_000
    progress = newsletters.newsletter_progress(newsletter)
    assert (progress["sent"], progress["pending"]) == (10_000, 10_000)

    RecordingBackend.limit = None  # the worker is started again
    assert send_newsletter.call(newsletter.pk) == 10_000
    recipients = RecordingBackend.sent
    assert len(recipients) == len(set(recipients)) == 20_000
    newsletter.refresh_from_db()
    assert newsletter.state == NewsletterState.SENT


@pytest.mark.django_db(transaction=True)
def test_resume_sending_finishes_a_newsletter_whose_worker_died(fredericia):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    people = AmbassadorFactory.create_batch(3)
    newsletter = make_newsletter()
    newsletters.newsletter_start_sending(newsletter=newsletter)
    # The worker took the task and died with it: the task row is stuck, one mail went out.
    DBTaskResult.objects.all().delete()
    NewsletterDelivery.objects.filter(ambassador=people[0]).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )
    call_command("resume_sending", verbosity=0)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[1:])
    newsletter.refresh_from_db()
    assert newsletter.state == NewsletterState.SENT
    call_command("resume_sending", verbosity=0)  # nothing left: nothing enqueued
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_unsubscribe_link_opens_in_the_recipients_language(fredericia, committed):
    danish, english = AmbassadorFactory(language="da"), AmbassadorFactory(language="en")
    newsletter = make_newsletter(body="Hej")
    committed(newsletters.newsletter_start_sending, newsletter=newsletter, expected_count=2)
    send_newsletter.call(newsletter.pk)
    links = {
        message.to[0]: message.extra_headers["List-Unsubscribe"].strip("<>")
        for message in mail.outbox
    }
    assert "/en/nyhedsbreve/" in links[english.email]
    assert "/en/" not in links[danish.email]
