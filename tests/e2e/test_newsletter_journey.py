"""In Chromium: an ambassador sends a story with a picture; a project leader composes,
previews and sends a newsletter, which then lands in the public archive."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from ambassadors import services
from ambassadors.models import Newsletter, Story
from ambassadors.tokens import make_token
from tests.ambassadors.factories import AmbassadorFactory
from tests.e2e.conftest import assert_accessible, assert_no_console_errors, screenshot
from tests.e2e.test_admin_pages import logged_in_leader  # noqa: F401
from tests.pictures import png_with_gps


@pytest.fixture(autouse=True)
def portal_base_url(settings, live_server):
    settings.PORTAL_BASE_URL = live_server.url


def test_ambassador_sends_a_story_with_a_picture(page, strategy, tmp_path):
    ambassador = AmbassadorFactory(name="Lise Frivillig")
    page.goto(reverse("ambassadors:ambassador-login", args=[make_token(ambassador, "login")]))
    page.get_by_role("link", name="Send en historie").click()
    assert_accessible(page, "story form")
    picture = tmp_path / "sommerfest.png"
    picture.write_bytes(png_with_gps().read())
    page.get_by_label("Titel").fill("Sommerfest i varmestuen")
    page.locator("#id_text").fill("Vi grillede for 80 gæster, og solen skinnede.")
    page.get_by_label("Billede 1 (valgfrit)").set_input_files(str(picture))
    page.get_by_role("button", name="Send historien").click()
    # No description and no consent yet: the error summary takes focus.
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page, "story form with errors")
    page.get_by_label("Billede 1 (valgfrit)").set_input_files(str(picture))
    page.get_by_label("Hvad viser billede 1?").fill("Gæster ved grillen i haven")
    page.get_by_label("De personer, der kan genkendes").check()
    page.get_by_role("button", name="Send historien").click()
    expect(page.get_by_text("Vi har modtaget din historie")).to_be_visible()
    expect(page.get_by_text("Venter på vurdering")).to_be_visible()
    screenshot(page, "story-sent")
    story = Story.objects.get()
    assert story.pictures.get().alt_text == "Gæster ved grillen i haven"
    assert_no_console_errors(page)


def test_leader_composes_previews_and_sends_a_newsletter(logged_in_leader, strategy):  # noqa: F811
    page = logged_in_leader
    AmbassadorFactory.create_batch(3)
    story = services.story_submit(
        ambassador=AmbassadorFactory(accepts_newsletter=False),
        title="Ny frivillig i caféen",
        text="Karim laver kaffe hver tirsdag.",
        use="newsletter",
        people_consented=False,
    )
    services.story_accept(story=story)

    page.goto(reverse("admin:ambassadors_newsletter_add"))
    assert_accessible(page, "newsletter form")
    page.get_by_label("Titel").fill("Nyt fra fællesskabet, december")
    page.get_by_label("Tekst").fill("## Tak for i år\n\nI har gjort **en stor forskel**.")
    page.get_by_label("Ny frivillig i caféen").check()
    page.get_by_role("button", name="Gem og fortsæt med at redigere").click()
    page.get_by_role("link", name="Forhåndsvis, test og send").click()
    assert_accessible(page, "newsletter preview")
    expect(page.get_by_role("heading", name="Tak for i år")).to_be_visible()
    expect(page.get_by_text("Karim laver kaffe hver tirsdag.")).to_be_visible()
    expect(page.get_by_text("modtager 3 ambassadører det")).to_be_visible()
    page.get_by_role("link", name="Send …").click()
    assert_accessible(page, "newsletter confirmation")
    page.get_by_role("button", name="Ja, send til 3 ambassadører").click()
    expect(page.get_by_text("Udsendelsen til 3 ambassadører er startet")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    page.get_by_role("link", name="Opdatér tallene").click()
    expect(page.get_by_text("3 af 3 sendt")).to_be_visible()
    screenshot(page, "newsletter-sent")
    assert_no_console_errors(page)

    page.goto(reverse("newsletter-list"))
    assert_accessible(page, "newsletter archive")
    page.get_by_role("link", name="Nyt fra fællesskabet, december").click()
    expect(page.get_by_text("Karim laver kaffe hver tirsdag.")).to_be_visible()
    assert_accessible(page, "newsletter in the archive")
    assert Newsletter.objects.get().state == "sent"
