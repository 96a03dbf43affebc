"""In Chromium: find a stormøde, register, add it to the calendar, cancel from the e-mail link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from networks.models import Activity, Registration
from tests.e2e.conftest import assert_accessible, assert_no_console_errors, screenshot


@pytest.fixture(autouse=True)
def portal_base_url(settings, live_server):
    settings.PORTAL_BASE_URL = live_server.url


def test_find_register_and_cancel(page, strategy):
    start = timezone.now() + timedelta(days=10)
    Activity.objects.create(
        kind="plenary",
        title="Stormøde om vinterens indsatser",
        description="Vi samler ambassadører og ledere.",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place_name="Fredericia Bibliotek",
        address="Prinsessegade 33, 7000 Fredericia",
        capacity=30,
        state="open",
    )
    page.goto("/aktiviteter/")
    assert_accessible(page, "activity list")
    page.locator("#id_kind").select_option("plenary")
    page.get_by_role("button", name="Filtrér").click()
    page.get_by_role("link", name="Stormøde om vinterens indsatser").click()
    assert_accessible(page, "activity page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Føj til min kalender (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")

    page.get_by_role("button", name="Tilmeld").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page, "registration with errors")
    page.locator("#id_name").fill("Åse Ørnebjerg")
    page.locator("#id_email").fill("aase@example.dk")
    page.locator("#id_needs").fill("Kørestol")
    page.get_by_role("button", name="Tilmeld").click()
    expect(page.get_by_text("Du er tilmeldt.")).to_be_visible()
    screenshot(page, "activity-registered")
    assert Registration.objects.get().status == "registered"

    link = re.search(r"https?://\S*/aktiviteter/afmeld/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_accessible(page, "cancel page")
    page.get_by_role("button", name="Ja, afmeld mig").click()
    expect(page.get_by_text("Din tilmelding er afmeldt.")).to_be_visible()
    assert Registration.objects.get().status == "cancelled"
    assert_no_console_errors(page)
