"""In Chromium: the ticket's QR code reads with the door scanner's own library (issue 16, item 5).

The admin's scan page decodes camera frames with the vendored jsQR where the browser has no
BarcodeDetector; jsQR reads regular QR codes only, so a Micro QR ticket could not be scanned.
Both images a person can show at the door are decoded here as the scanner decodes a frame:
drawn onto a canvas, its pixels handed to jsQR with the scanner's options.
"""

import base64
from datetime import timedelta

import pytest
from django.core import mail
from django.templatetags.static import static
from django.utils import timezone

from networks import services
from networks.models import Activity
from tests.e2e.conftest import assert_no_console_errors

# The scanner's decode() in static/js/checkin-scanner.js, given an image instead of a video frame.
DECODE_WITH_JSQR = """
async (source) => {
  let image = source;
  if (typeof source === "string") {
    image = new Image();
    image.src = source;
  }
  await image.decode();
  const width = image.width || image.naturalWidth;
  const height = image.height || image.naturalHeight;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(image, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height);
  const found = window.jsQR(pixels.data, pixels.width, pixels.height, {
    inversionAttempts: "dontInvert",
  });
  return found ? found.data : null;
}
"""


@pytest.fixture(autouse=True)
def portal_base_url(settings, live_server):
    settings.PORTAL_BASE_URL = live_server.url


@pytest.fixture
def registration(transactional_db):
    start = timezone.now() + timedelta(days=10)
    activity = Activity.objects.create(
        kind="plenary",
        title="Stormøde om fællesskaber",
        description="Vi mødes.",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place_name="Rådhuset",
        address="Gothersgade 20, 7000 Fredericia",
        capacity=10,
        state="open",
    )
    return services.registration_create(
        activity=activity, name="Åse Ørnebjerg", email="aase@example.dk"
    )


def open_ticket_with_scanner_library(page, registration):
    page.goto(registration.get_ticket_url())
    page.add_script_tag(url=static("vendor/jsqr/jsQR.js"))
    assert page.evaluate("typeof window.jsQR") == "function"


def test_ticket_page_qr_reads_with_the_door_scanners_jsqr(page, registration):
    open_ticket_with_scanner_library(page, registration)
    image = page.locator("img.ticket-qr")
    assert image.evaluate(DECODE_WITH_JSQR) == registration.checkin_code
    assert_no_console_errors(page)


def test_registration_mail_qr_reads_with_the_door_scanners_jsqr(page, registration):
    name, content, mimetype = mail.outbox[-1].attachments[0]
    assert (name, mimetype) == ("billet-qr.png", "image/png")
    open_ticket_with_scanner_library(page, registration)
    data_uri = "data:image/png;base64," + base64.b64encode(content).decode()
    assert page.evaluate(DECODE_WITH_JSQR, data_uri) == registration.checkin_code
    assert_no_console_errors(page)
