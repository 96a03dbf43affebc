"""The dashboard as a PDF report, rendered by WeasyPrint from an HTML template.

The same server-drawn SVG charts as on the page go into the PDF, with their tables.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def render_dashboard_pdf(data: dict) -> bytes:
    html = render_to_string("evaluation/dashboard_pdf.html", {**data, "pdf": True})
    # Nothing is fetched: the charts are inline SVG and the styles live in the template.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf()
