"""In Chromium: a citizen sends a ball with a CPR number; a project leader triages and closes it;
the citizen sees the answer on the status page and in the e-mail."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from networks.models import Ball
from tests.e2e.conftest import assert_accessible, assert_no_console_errors, screenshot
from tests.factories import UserFactory
from tests.networks.factories import BallFactory, NetworkFactory

PASSWORD = "en-lang-og-sikker-adgangskode"


@pytest.fixture(autouse=True)
def portal_base_url(settings, live_server):
    settings.PORTAL_BASE_URL = live_server.url


def admin_login(page, user):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")


def test_send_triage_and_answer_a_ball(page, strategy, groups):
    standing = NetworkFactory(standing=True, slug="staaende", name="Det stående netværk")
    page.goto("/bolde/send/")
    assert_accessible(page, "ball form")
    page.get_by_role("radio", name="Bekymring").check()
    page.locator("#id_title").fill("Nabo fryser om natten")
    page.locator("#id_description").fill("Min nabo med CPR 010203-1234 sover i opgangen.")
    page.locator("#id_contact_email").fill("borger@example.dk")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    expect(page.get_by_text("Tak! Vi har modtaget din bold.")).to_be_visible()
    assert_accessible(page, "ball receipt")
    screenshot(page, "ball-receipt")
    ball = Ball.objects.get()
    assert "010203-XXXX" in ball.description and "1234" not in ball.description
    status_url = page.url
    assert ball.token in status_url
    assert ball.token in mail.outbox[-1].body

    leader = UserFactory(username="leder", is_staff=True, password=PASSWORD)
    leader.groups.add(groups[0])
    admin_login(page, leader)
    page.goto("/admin/networks/ball/?response=waiting")
    assert_accessible(page, "ball changelist")
    page.get_by_role("link", name="Nabo fryser om natten").click()
    page.get_by_role("link", name="Flyt bolden").click()
    assert_accessible(page, "transition page")
    page.locator("#id_to_state").select_option("passed")
    page.locator("#id_network").select_option(str(standing.pk))
    page.locator("#id_public_note").fill("Handlingsnetværket ser på det i denne uge.")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**/admin/networks/ball/{ball.pk}/change/")
    page.get_by_role("link", name="Flyt bolden").click()
    page.locator("#id_to_state").select_option("done")
    page.locator("input[type=submit]").click()  # no answer: refused with a message
    expect(page.locator(".errorlist")).to_be_visible()
    page.locator("#id_public_note").fill("Der er nu tilbudt en plads på varmestuen.")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**/admin/networks/ball/{ball.pk}/change/")
    assert_no_console_errors(page)

    page.goto(status_url)
    expect(page.get_by_text("Der er nu tilbudt en plads på varmestuen.").first).to_be_visible()
    expect(page.get_by_text("Afsluttet").first).to_be_visible()
    assert_accessible(page, "status page with answer")
    screenshot(page, "ball-status")
    assert "Der er nu tilbudt en plads på varmestuen." in mail.outbox[-1].body
    assert re.search(r"/bolde/[\w-]+/", mail.outbox[-1].body)


def test_network_lead_cannot_open_another_networks_ball(page, strategy, groups):
    from django.contrib.auth.models import Group

    from networks.models import Membership
    from udsathed.groups import NETWORK_LEADS

    own_network = NetworkFactory(name="Vores netværk")
    other_network = NetworkFactory(name="Andet netværk")
    lead = UserFactory(username="netvaerksleder", is_staff=True, password=PASSWORD)
    lead.groups.add(Group.objects.get(name=NETWORK_LEADS))
    Membership.objects.create(network=own_network, user=lead, role="lead")
    own = BallFactory(network=own_network, state="passed", title="Vores bold")
    other = BallFactory(network=other_network, state="passed", title="Deres bold")
    admin_login(page, lead)
    page.goto("/admin/networks/ball/")
    expect(page.get_by_role("link", name="Vores bold")).to_be_visible()
    assert page.get_by_role("link", name="Deres bold").count() == 0
    response = page.goto(f"/admin/networks/ball/{other.pk}/change/")
    assert response.status == 404
    response = page.goto(f"/admin/networks/ball/{own.pk}/change/")
    assert response.status == 200
    assert_accessible(page, "lead's ball page")


def test_ball_form_errors_and_invitation_page_are_accessible(page, strategy):
    from django.core import mail as django_mail

    from networks import services
    from tests.ambassadors.factories import AmbassadorFactory

    page.goto("/bolde/send/")
    page.locator("form input[type=submit], form button[type=submit]").last.click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.locator("[aria-invalid=true]").count() >= 2
    assert_accessible(page, "ball form with errors")

    network = NetworkFactory(name="Frivillige chauffører")
    services.invitations_send(network=network, ambassadors=[AmbassadorFactory()])
    link = re.search(r"https?://\S*/netvaerk/invitation/\S+/", django_mail.outbox[-1].body)
    page.goto(link.group(0))
    assert_accessible(page, "invitation")
    page.get_by_role("button", name="Ja, jeg vil gerne være med").click()
    expect(page.get_by_text("Du er nu medlem af netværket")).to_be_visible()
    assert_accessible(page, "invitation accepted")
