"""The first-response promise, shown (#10): on the receipt, the status page and the dashboard."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import dateformat, timezone

from networks.models import Ball


def test_receipt_and_status_page_say_when_the_sender_will_hear_from_us(
    client, fredericia, settings, django_capture_on_commit_callbacks
):
    settings.BALL_FIRST_RESPONSE_DAYS = 10
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("networks:ball-create"),
            {
                "kind": "idea",
                "title": "Flere bænke ved havnen",
                "description": "Der mangler steder at sidde.",
                "contact_email": "borger@example.dk",
            },
        )
    ball = Ball.objects.get()
    due = timezone.localtime(ball.received_at + timedelta(days=10))
    promise = f"Du hører fra os senest {dateformat.format(due, 'j. F Y')}."
    assert promise in mail.outbox[-1].body
    assert promise in client.get(ball.get_absolute_url()).text


def test_dashboard_shows_the_share_answered_within_the_promise(client, committee_member, db):
    client.force_login(committee_member)
    page = client.get("/dashboard/").text
    assert "Bolde besvaret inden for" in page
