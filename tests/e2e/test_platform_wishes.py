"""In Chromium (#10): register and open the ticket's QR code, check in at the door with the
typed code; close a ball with an answer template. (The recipient count before a newsletter is
sent is in test_newsletter_journey.py.)"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from networks.models import Activity, AnswerTemplate, BallState, Registration
from tests.e2e.conftest import assert_accessible, assert_no_console_errors, screenshot
from tests.e2e.test_admin_pages import logged_in_leader  # noqa: F401
from tests.networks.factories import BallFactory


@pytest.fixture(autouse=True)
def portal_base_url(settings, live_server):
    settings.PORTAL_BASE_URL = live_server.url


def test_register_open_ticket_and_check_in_by_typed_code(logged_in_leader, strategy):  # noqa: F811
    page = logged_in_leader
    start = timezone.now() + timedelta(hours=1)
    activity = Activity.objects.create(
        kind="plenary",
        title="Stormøde i aften",
        description="Vi mødes.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place_name="Rådhuset",
        address="Gothersgade 20, 7000 Fredericia",
        state="open",
    )
    page.goto(activity.get_absolute_url())
    page.locator("#id_name").fill("Åse Ørnebjerg")
    page.locator("#id_email").fill("aase@example.dk")
    page.get_by_role("button", name="Tilmeld").click()
    expect(page.get_by_text("Du er tilmeldt.")).to_be_visible()
    registration = Registration.objects.get()
    ticket = re.search(r"https?://\S*/aktiviteter/billet/\S+/", mail.outbox[-1].body).group(0)
    page.goto(ticket)
    assert_accessible(page, "ticket")
    qr = page.get_by_role("img", name=re.compile("QR-kode"))
    expect(qr).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.ticket-qr').complete")
    assert qr.evaluate("img => img.naturalWidth") > 100  # the QR code really loaded
    screenshot(page, "ticket")

    page.goto(reverse("admin:networks_activity_scan", args=[activity.pk]))
    assert_accessible(page, "scan page")
    code = page.get_by_label("Tjek ind-kode")
    code.fill(registration.checkin_code.lower())
    code.press("Enter")
    expect(page.locator("#scan-result")).to_have_text(f"Tjekket ind: {registration.name}")
    expect(code).to_be_focused()
    code.fill(registration.checkin_code)
    code.press("Enter")
    expect(page.locator("#scan-result")).to_contain_text("allerede tjekket ind")
    screenshot(page, "checkin-scan")
    registration.refresh_from_db()
    assert registration.attended
    assert_no_console_errors(page)


def test_close_a_ball_with_a_template(logged_in_leader, strategy):  # noqa: F811
    page = logged_in_leader
    template = AnswerTemplate.objects.create(
        title="Løst med tak", state="done", text="Tak for bolden. Den er løst nu."
    )
    ball = BallFactory(state=BallState.IN_ACTION, contact_email="afsender@example.dk")
    page.goto(reverse("admin:networks_ball_transition", args=[ball.pk]))
    assert_accessible(page, "ball transition with templates")
    page.get_by_label("Svarskabelon").select_option(value=str(template.pk))
    answer = page.get_by_label("Besked til afsenderen")
    expect(answer).to_have_value("Tak for bolden. Den er løst nu.")
    answer.fill("Tak for bolden. Den er løst nu, og bænken står ved havnen.")
    page.get_by_role("button", name="Flyt bolden").click()
    expect(page.get_by_text("Bolden er flyttet.")).to_be_visible()
    ball.refresh_from_db()
    assert ball.state == BallState.DONE
    assert ball.public_answer.endswith("bænken står ved havnen.")
    assert_no_console_errors(page)

    page.goto(reverse("admin:networks_answertemplate_changelist"))
    assert_accessible(page, "answer templates")
