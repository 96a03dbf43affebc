import io
from datetime import UTC, datetime

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone

from ambassadors.certificate import printable_name, render_certificate_pdf
from ambassadors.models import Ambassador, Certificate

VERIFY_URL = "http://testserver/ambassadoerer/bevis/ABCDEFGHJKLM/"
STRATEGY = "Inkluderende fællesskaber og forebyggelse af udsathed"


def make_certificate(holder_name="Åse Ørnebjerg 🌻", language="da", kind="citizen"):
    ambassador = Ambassador.objects.create(
        kind=kind,
        name="Åse Ørnebjerg 🌻",
        email="aase@example.dk",
        postcode="7000",
        language=language,
        confirmed_at=timezone.now(),
    )
    return Certificate.objects.create(
        ambassador=ambassador,
        code="ABCDEFGHJKLM",
        number="2026-00001",
        holder_name=holder_name,
        strategy_name=STRATEGY,
        issued_at=datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
    )


def pdf_text(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # Lines wrap wherever the layout breaks them; compare with single spaces.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.django_db
def test_certificate_is_one_page_with_holder_strategy_number_and_date():
    pdf = render_certificate_pdf(make_certificate(), verify_url=VERIFY_URL)

    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata.title.endswith("Åse Ørnebjerg 🌻")
    text = pdf_text(pdf)
    assert "Åse Ørnebjerg" in text
    assert STRATEGY in text
    assert "2026-00001" in text
    assert "5. marts 2026" in text
    assert VERIFY_URL in text.replace(" ", "")


@pytest.mark.django_db
def test_qr_code_points_to_the_verification_url():
    pdf = render_certificate_pdf(make_certificate(), verify_url=VERIFY_URL)

    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert [(code.format, code.text) for code in codes] == [
        (zxingcpp.BarcodeFormat.QRCode, VERIFY_URL)
    ]


@pytest.mark.django_db
def test_certificate_is_in_the_ambassadors_language():
    pdf = render_certificate_pdf(make_certificate(language="en"), verify_url=VERIFY_URL)

    text = pdf_text(pdf)
    assert "Ambassador certificate" in text
    assert "5. March 2026" in text


@pytest.mark.django_db
def test_organisation_holder_name_is_printed():
    certificate = make_certificate(
        holder_name="Fredericia Frivilligcenter (Mette Hansen)", kind="association"
    )

    pdf = render_certificate_pdf(certificate, verify_url=VERIFY_URL)

    assert "Fredericia Frivilligcenter (Mette Hansen)" in pdf_text(pdf)


@pytest.mark.django_db
def test_longest_possible_holder_name_stays_on_one_page():
    holder_name = ("Landsforeningen for Frivilligt Socialt Arbejde i Trekantområdet " * 5)[:300]
    certificate = make_certificate(holder_name=holder_name, kind="association")

    pdf = render_certificate_pdf(certificate, verify_url=VERIFY_URL)

    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Landsforeningen for Frivilligt Socialt Arbejde" in pdf_text(pdf)


def test_printable_name_drops_emoji_the_fonts_cannot_draw():
    assert printable_name("Åse Ørnebjerg 🌻") == "Åse Ørnebjerg"
    assert printable_name("Team 👩🏽‍🤝‍👩🏻 Øst ❤️") == "Team Øst ❤"
    assert printable_name("🌻") == "🌻"
