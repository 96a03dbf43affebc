"""The ambassador certificate (ambassadørbevis) as a one-page A4 PDF with a QR code.

The QR code points to the public verification page, so anyone holding a printed copy can check
that the certificate is real and has not been revoked.
"""

from __future__ import annotations

import unicodedata

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import override

from ambassadors.models import Certificate

QR_COLOUR = "#17324d"

# Longest holder name (in characters) for each type size; WeasyPrint cannot fit text to a box,
# so long organisation names step down in size to stay on the one page.
NAME_SIZES: tuple[tuple[int, str], ...] = (
    (30, "xl"),
    (50, "l"),
    (90, "m"),
    (160, "s"),
)
LONG_STRATEGY_NAME = 70


def holder_name_size(holder_name: str) -> str:
    """The size class (xl, l, m, s or xs) that keeps the holder's name within the page."""
    length = len(holder_name)
    for longest, size in NAME_SIZES:
        if length <= longest:
            return size
    return "xs"


def printable_name(name: str) -> str:
    """The name without emoji, which the system fonts lack and would print as empty boxes."""
    kept = "".join(ch for ch in name if not _is_pictograph(ch))
    return " ".join(kept.split()) or name


def _is_pictograph(ch: str) -> bool:
    if ch in "\ufe0f\u200d":  # emoji presentation selector and joiner
        return True
    return ord(ch) >= 0x1F000 and unicodedata.category(ch) in {"So", "Sk", "Cf"}


def render_certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """Render the certificate as a one-page A4 landscape PDF in the ambassador's language.

    The QR code encodes ``verify_url``, the absolute address of the public verification page;
    the caller builds it, as only the caller knows the request's host.
    """
    qr = _qr_code(verify_url)
    holder_name = printable_name(certificate.holder_name)
    with override(certificate.ambassador.language):
        html = render_to_string(
            "ambassadors/certificate_pdf.html",
            {
                "certificate": certificate,
                "holder_name": holder_name,
                "name_size": holder_name_size(holder_name),
                "long_strategy_name": len(certificate.strategy_name) > LONG_STRATEGY_NAME,
                "verify_url": verify_url,
                "qr_data_uri": qr,
            },
        )
    # Only the inline data: URIs may be loaded: the PDF never reaches out to the network or disk.
    # Imported here, as evaluation/report.py does: WeasyPrint and its font stack take a fifth of
    # a second to import, which otherwise lands on each worker's first visitor of any page.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()


def _qr_code(url: str) -> str:
    """The QR code for ``url`` as an SVG data URI; scaled in the PDF by CSS, so it stays sharp."""
    qr = segno.make_qr(url, error="m")
    return qr.svg_data_uri(scale=4, border=0, dark=QR_COLOUR, light="#ffffff")
