"""In Chromium: a citizen sends a ball and agrees to a public record; a project leader writes a
public title and summary, answers the ball with a "no" and its reason, and publishes it; anyone
finds it on /bolde/ by filter and follows its timeline. axe-core clean throughout."""

import pytest
from playwright.sync_api import expect

from networks.models import Ball
from tests.e2e.conftest import assert_accessible, assert_no_console_errors, screenshot
from tests.e2e.test_ball_journey import PASSWORD, admin_login
from tests.factories import UserFactory
from tests.networks.factories import BallFactory


@pytest.fixture(autouse=True)
def portal_base_url(settings, live_server):
    settings.PORTAL_BASE_URL = live_server.url


def test_send_publish_and_find_a_ball_on_the_public_record(page, strategy, groups):
    BallFactory.create_batch(3, published=True, state="received")  # others on the list
    page.goto("/bolde/send/")
    page.get_by_role("radio", name="Idé").check()
    page.locator("#id_title").fill("Hans vil have en bænk foran nr. 12")
    page.locator("#id_description").fill("Jeg, Hans Hansen, sidder dårligt. Ring 22334455.")
    page.locator("#id_contact_name").fill("Hans Hansen")
    page.locator("#id_publish_consent").check()
    assert_accessible(page, "ball form with consent")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    expect(page.get_by_text("Tak! Vi har modtaget din bold.")).to_be_visible()
    ball = Ball.objects.get(contact_name="Hans Hansen")
    assert ball.publish_consent
    status_url = page.url
    assert_accessible(page, "status page with consent")

    leader = UserFactory(username="leder", is_staff=True, password=PASSWORD)
    leader.groups.add(groups[0])
    admin_login(page, leader)
    page.goto(f"/admin/networks/ball/{ball.pk}/change/")
    page.locator("#id_public_title").fill("Bænke i gågaden")
    page.locator("#id_public_summary").fill("Et ønske om flere bænke i gågaden.")
    page.locator("input[name=_continue]").click()
    page.wait_for_url(f"**/admin/networks/ball/{ball.pk}/change/")
    page.get_by_role("link", name="Flyt bolden").click()
    page.locator("#id_to_state").select_option("declined")
    page.locator("#id_public_note").fill("Nej: gågaden ejes af grundejerne, som har sagt nej.")
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"**/admin/networks/ball/{ball.pk}/change/")
    page.locator(f'a[href="/admin/networks/ball/{ball.pk}/public-preview/"]').click()
    assert_accessible(page, "public preview")
    expect(page.get_by_text("Et ønske om flere bænke i gågaden.")).to_be_visible()
    page.locator("input[name=publish]").click()
    expect(page.locator("input[name=unpublish]")).to_be_visible()
    ball.refresh_from_db()
    assert ball.is_published
    assert_no_console_errors(page)

    page.goto("/bolde/")
    assert_accessible(page, "public list")
    page.locator("#id_state").select_option("declined")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/bolde/?*state=declined*")
    expect(page.locator("article")).to_have_count(1)
    page.get_by_role("link", name="Bænke i gågaden").click()
    page.wait_for_url(f"**/bolde/nr/{ball.pk}/")
    expect(page.get_by_text("gågaden ejes af grundejerne").first).to_be_visible()
    expect(page.locator("ol.timeline li")).to_have_count(2)  # received, declined
    text = page.content()
    for private in ("Hans", "22334455", "sidder dårligt", "nr. 12"):
        assert private not in text
    assert_accessible(page, "public ball page")
    screenshot(page, "ball-public")
    assert_no_console_errors(page)

    page.goto(status_url)
    expect(page.locator(f'a[href="/bolde/nr/{ball.pk}/"]')).to_be_visible()
