"""QR check-in at the door (#10): the ticket, its code, and the admin's scan page."""

import io

import zxingcpp
from django.core import mail
from django.urls import reverse
from PIL import Image

from networks import services
from networks.models import Registration
from tests.ambassadors.factories import AmbassadorFactory
from tests.ambassadors.test_ambassadors_views import log_in
from tests.networks.factories import make_activity, register


def test_confirmation_mail_carries_a_regular_qr_code_that_reads_as_the_code(db, committed):
    activity = make_activity(capacity=1)
    registration = register(activity, 1, committed)
    message = mail.outbox[-1]
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("billet-qr.png", "image/png")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(content)))
    # A regular QR code, never Micro QR: the door scanner's jsQR and phone cameras read only
    # regular ones (issue 16, item 5; tests/e2e/test_ticket_qr.py decodes it with jsQR itself).
    assert [(d.format, d.text) for d in decoded] == [
        (zxingcpp.BarcodeFormat.QRCode, registration.checkin_code)
    ]
    assert registration.checkin_code_display in message.body
    assert registration.get_ticket_url() in message.body
    # The waiting list gets no ticket until a place is free.
    register(activity, 2, committed)
    assert not mail.outbox[-1].attachments


def test_ticket_page_and_qr_image(client, db):
    activity = make_activity()
    registration = register(activity, 1)
    page = client.get(registration.get_ticket_url())
    assert page.status_code == 200
    assert registration.checkin_code_display in page.text
    assert "no-store" in page["Cache-Control"]
    qr = client.get(reverse("networks:registration-ticket-qr", args=[registration.token]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert client.get("/aktiviteter/billet/findes-ikke/").status_code == 404


def test_min_side_links_to_the_ticket(client, db):
    ambassador = AmbassadorFactory()
    activity = make_activity(title="Temadag om bolig")
    registration = services.registration_create(
        activity=activity, name=ambassador.name, email=ambassador.email, ambassador=ambassador
    )
    log_in(client, ambassador)
    page = client.get(reverse("ambassadors:ambassador-self")).text
    assert "Temadag om bolig" in page and registration.get_ticket_url() in page


def test_checkin_by_code_refuses_other_activity_used_and_unknown_codes(db):
    activity = make_activity(capacity=1)
    other = make_activity(title="Andet møde")
    first = register(activity, 1)
    waiting = register(activity, 2)
    stranger = register(other, 3)
    typed = f" {first.checkin_code[:4].lower()}-{first.checkin_code[4:]} "
    assert services.checkin_by_code(activity=activity, code=typed) == ("ok", first)
    first.refresh_from_db()
    assert first.attended
    assert services.checkin_by_code(activity=activity, code=first.checkin_code)[0] == "already"
    assert services.checkin_by_code(activity=activity, code=stranger.checkin_code)[0] == (
        "other_activity"
    )
    assert services.checkin_by_code(activity=activity, code=waiting.checkin_code)[0] == "no_place"
    assert services.checkin_by_code(activity=activity, code="ZZZZZZZZ") == ("unknown", None)
    assert services.checkin_by_code(activity=activity, code="") == ("unknown", None)
    assert Registration.objects.filter(attended=True).count() == 1


def test_admin_scan_page_answers_json_and_plain_form(
    client, project_leader, db, django_assert_max_num_queries
):
    activity = make_activity(capacity=None)
    registration = register(activity, 1)
    client.force_login(project_leader)
    url = reverse("admin:networks_activity_scan", args=[activity.pk])
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert "Start kameraet" in page.text and "vendor/jsqr/jsQR" in page.text
    answer = client.post(
        url, {"code": registration.checkin_code}, headers={"Accept": "application/json"}
    )
    assert answer.json() == {
        "ok": True,
        "result": "ok",
        "message": f"Tjekket ind: {registration.name}",
    }
    again = client.post(url, {"code": registration.checkin_code}, follow=True)
    assert "allerede tjekket ind" in again.text
    assert client.post(url, {"code": "x" * 5000}, follow=True).status_code == 200
    assert client.post(url, {"code": "\x00<script>"}, follow=True).status_code == 200


def test_scan_page_needs_the_permission(client, committee_member, db):
    activity = make_activity()
    client.force_login(committee_member)
    url = reverse("admin:networks_activity_scan", args=[activity.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"code": "ABCDEFGH"}).status_code == 403
