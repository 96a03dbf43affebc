from django.test import Client
from django.urls import reverse

from ambassadors.models import Ambassador, ConsentRecord, Newsletter
from ambassadors.services import newsletters
from ambassadors.tasks import send_newsletter
from ambassadors.tokens import make_token
from tests.ambassadors.factories import AmbassadorFactory
from tests.ambassadors.test_ambassadors_views import log_in
from tests.ambassadors.test_newsletters_services import HOSTILE_MARKDOWN, make_newsletter


def test_newsletter_opt_out_is_one_click(client, fredericia):
    ambassador = AmbassadorFactory(accepts_newsletter=True)
    log_in(client, ambassador)
    client.post(reverse("ambassadors:newsletter-opt-out"))
    ambassador.refresh_from_db()
    assert not ambassador.accepts_newsletter


def test_unsubscribe_is_one_click_without_login_or_csrf(fredericia):
    ambassador = AmbassadorFactory()
    url = reverse("newsletter-unsubscribe", kwargs={"token": make_token(ambassador, "unsubscribe")})
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200 and "Afmeld" in page.text
    assert page["Cache-Control"] == "no-store"
    # What a mail program sends for RFC 8058: a POST with just this body, no cookie, no token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    ambassador.refresh_from_db()
    assert not ambassador.accepts_newsletter
    record = ConsentRecord.objects.filter(ambassador=ambassador).latest("created_at")
    assert (record.kind, record.granted, record.source) == ("newsletter", False, "unsubscribe-link")
    assert ambassador not in Ambassador.objects.newsletter_recipients()
    assert client.get(url.replace("/afmeld/", "/afmeld/x")).status_code == 404
    assert (
        client.post(reverse("newsletter-unsubscribe", kwargs={"token": "forged"})).status_code
        == 404
    )


def test_archive_shows_sent_newsletters_without_recipient_data(client, fredericia, committed):
    people = AmbassadorFactory.create_batch(2)
    draft = Newsletter.objects.create(title="Kladde", body="Ikke sendt")
    sent = make_newsletter(body=HOSTILE_MARKDOWN)
    committed(newsletters.newsletter_start_sending, newsletter=sent)
    send_newsletter.call(sent.pk)
    listing = client.get(reverse("newsletter-list"))
    assert sent.title in listing.text and draft.title not in listing.text
    page = client.get(sent.get_absolute_url())
    assert page.status_code == 200
    assert "<strong>Fed</strong>" in page.text and "onerror" not in page.text
    for person in people:
        assert person.email not in page.text
    assert client.get(draft.get_absolute_url()).status_code == 404
