"""E-mail in HTML and plain text, in the recipient's language, sent after commit."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import timezone, translation

logger = logging.getLogger(__name__)
# Rows read per round of a send: small enough that a long send holds no large list.
SEND_BATCH = 100


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def in_language(value, language: str):
    """A link to one of the portal's pages, as the page in `language` (English under /en/).

    Callers reverse their links wherever they are (a request in either language, a task, the
    admin), so the mail puts each one into the recipient's language. Anything else is kept.
    """
    if not (isinstance(value, str) and value.startswith(f"{settings.PORTAL_BASE_URL}/")):
        return value
    path = value.removeprefix(settings.PORTAL_BASE_URL)
    # The URL resolves only in the language it was made in (its prefix, or none for Danish).
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        return translate_url(value, language)


def build_email(
    *, to: str, template: str, context: dict, language: str = "da"
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `.txt` and `.html` in `language`; links open in it too."""
    with translation.override(language):
        context = {key: in_language(value, language) for key, value in context.items()}
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


def send_each(
    queryset, build: Callable, stamp_field: str, *, also_stamp: Callable | None = None
) -> int:
    """Send one mail per row of `queryset` (rows not stamped yet), each in its own commit:
    a worker killed halfway has stamped every mail it sent, and a second worker skips rows
    the first one holds. `also_stamp(row)` gives further fields to save with the stamp."""
    sent = 0
    last_pk = 0
    while True:
        ids = list(queryset.filter(pk__gt=last_pk).values_list("pk", flat=True)[:SEND_BATCH])
        if not ids:
            return sent
        last_pk = ids[-1]
        for pk in ids:
            with transaction.atomic():
                row = (
                    queryset.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
                )
                if row is None:  # stamped meanwhile, or another worker has it right now
                    continue
                try:
                    build(row).send()
                except Exception:  # one bad address must not stop the rest; retried next run
                    logger.exception("Could not send %s #%s", stamp_field, row.pk)
                    continue
                stamps = {stamp_field: timezone.now(), **(also_stamp(row) if also_stamp else {})}
                for field, value in stamps.items():
                    setattr(row, field, value)
                row.save(update_fields=list(stamps))
                sent += 1
