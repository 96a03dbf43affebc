"""E-mail in HTML and plain text, in the recipient's language, sent after commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def build_email(
    *, to: str, template: str, context: dict, language: str = "da"
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `.txt` and `.html` in `language`."""
    with translation.override(language):
        context = {"base_url": settings.PORTAL_BASE_URL, "language": language, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    return message


def send_after_commit(message: EmailMultiAlternatives) -> None:
    """Send once the surrounding transaction has committed; a mail failure loses no data."""

    def send():
        try:
            message.send()
        except Exception:  # the submission is saved; the mail can be resent from the admin
            logger.exception("Could not send e-mail %r", message.subject)

    transaction.on_commit(send)
