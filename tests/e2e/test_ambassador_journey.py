"""In Chromium: sign up, confirm from the e-mail, download and verify the certificate, withdraw."""

import io
import re
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from ambassadors.models import Ambassador
from tests.ambassadors.factories import AmbassadorFactory
from tests.e2e.conftest import assert_accessible, assert_no_console_errors, screenshot


@pytest.fixture(autouse=True)
def portal_base_url(settings, live_server):
    settings.PORTAL_BASE_URL = live_server.url


def link_in_last_mail(pattern: str) -> str:
    body = mail.outbox[-1].body
    match = re.search(rf"https?://\S*{pattern}\S*", body)
    assert match, body
    return match.group(0)


def test_sign_up_confirm_certificate_verify_withdraw(page, strategy, live_server):
    page.goto("/ambassadoerer/bliv-ambassadoer/")
    assert_accessible(page, "sign-up form")

    # A failed submit: the error summary takes focus and the fields are marked.
    page.get_by_role("button", name="Tilmeld dig som ambassadør").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.locator("[aria-invalid=true]").count() >= 3
    assert_accessible(page, "sign-up form with errors")
    screenshot(page, "signup-errors")

    page.get_by_label("Forening eller organisation").check()
    page.get_by_label("Dit navn").fill("Åse Ørnebjerg")
    page.get_by_role("textbox", name="E-mail").fill("aase@example.dk")
    page.get_by_label("Postnummer").fill("7000")
    page.get_by_label("Navn på foreningen, organisationen eller virksomheden").fill(
        "Fredericia Frivilligcenter"
    )
    page.get_by_label("10. Vi vil have mere frivillighed").check()
    page.get_by_label("Vis vores organisation i den offentlige oversigt over ambassadører").check()
    page.get_by_label("Send mig nyhedsbrevet på e-mail").check()
    page.get_by_label("Jeg har læst privatlivspolitikken").check()
    page.get_by_role("button", name="Tilmeld dig som ambassadør").click()
    page.wait_for_url("**/bliv-ambassadoer/tak/")
    assert_accessible(page, "sign-up receipt")
    assert Ambassador.objects.get().confirmed_at is None

    page.goto(link_in_last_mail("/ambassadoerer/bekraeft/"))
    assert_accessible(page, "confirm page")
    page.get_by_role("button", name="Ja, gør mig til ambassadør").click()
    page.wait_for_url("**/ambassadoerer/min-side/")
    assert_accessible(page, "my page")
    screenshot(page, "my-page")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent bevis (PDF)").click()
    pdf_bytes = Path(download_info.value.path()).read_bytes()
    text = PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text()
    assert "Fredericia Frivilligcenter (Åse Ørnebjerg)" in " ".join(text.split())
    image = pypdfium2.PdfDocument(pdf_bytes)[0].render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1
    verify_url = codes[0].text
    assert verify_url.startswith(f"{live_server.url}/ambassadoerer/bevis/")

    page.goto(verify_url)
    assert page.get_by_text("Beviset er gyldigt").is_visible()
    assert page.get_by_text("Fredericia Frivilligcenter (Åse Ørnebjerg)").is_visible()
    assert_accessible(page, "verification page")

    page.goto("/ambassadoerer/")
    assert page.get_by_role("heading", name="Fredericia Frivilligcenter").is_visible()
    assert_accessible(page, "directory")

    page.goto("/ambassadoerer/min-side/")
    page.get_by_role("link", name="Meld dig ud som ambassadør").click()
    assert_accessible(page, "withdraw page")
    page.get_by_role("button", name="Ja, meld mig ud og slet mine oplysninger").click()
    expect(page.get_by_role("heading", name="Du er meldt ud")).to_be_visible()
    ambassador = Ambassador.objects.get()
    assert ambassador.erased_at is not None and ambassador.email == ""

    page.goto(verify_url)
    assert page.get_by_text("Beviset er ikke længere gyldigt").is_visible()
    page.goto("/ambassadoerer/")
    assert page.get_by_text("Fredericia Frivilligcenter").count() == 0
    assert_no_console_errors(page)


def test_magic_link_login_from_the_browser(page, strategy):
    AmbassadorFactory(email="kendt@example.dk", name="Kendt Ambassadør")
    page.goto("/ambassadoerer/min-side/")
    page.wait_for_url("**/min-side/log-ind/")
    assert_accessible(page, "login request")
    page.get_by_label("Din e-mail").fill("kendt@example.dk")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tjek din e-mail")).to_be_visible()
    page.goto(link_in_last_mail("/min-side/log-ind/"))
    page.wait_for_url("**/ambassadoerer/min-side/")
    assert page.get_by_text("Kendt Ambassadør").first.is_visible()
