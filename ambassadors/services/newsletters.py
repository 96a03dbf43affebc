"""Newsletters: the segment, the frozen content and the send.

Sending is two steps. `newsletter_start_sending` freezes the content, writes one delivery row
per recipient (in chunks, so memory stays flat) and enqueues the task. The task
(`ambassadors.tasks.send_newsletter`) then mails the pending rows one by one and stamps each
row the moment its mail has gone, holding a PostgreSQL advisory lock so two workers never send
the same newsletter at once. A worker that dies leaves the unsent rows pending; the next run
sends exactly those.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from ambassadors.markup import render_markdown, sanitize_html
from ambassadors.models import Ambassador, Newsletter, NewsletterDelivery, NewsletterState
from ambassadors.tokens import make_token
from udsathed.core.mail import absolute_url, build_email, send_after_commit

logger = logging.getLogger(__name__)

DELIVERY_CHUNK = 2000
UNSUBSCRIBE_PLACEHOLDER = "__UNSUBSCRIBE_URL__"


def newsletter_recipients(newsletter: Newsletter):
    """Who it goes to: everyone who accepts newsletters and is not lapsed, or the segment."""
    recipients = Ambassador.objects.newsletter_recipients()
    themes = [theme.pk for theme in newsletter.themes.all()] if newsletter.pk else []
    areas = [area.pk for area in newsletter.core_areas.all()] if newsletter.pk else []
    if themes or areas:
        interest = Q()
        if themes:
            interest |= Exists(
                Ambassador.themes.through.objects.filter(
                    ambassador_id=OuterRef("pk"), theme_id__in=themes
                )
            )
        if areas:
            interest |= Exists(
                Ambassador.core_areas.through.objects.filter(
                    ambassador_id=OuterRef("pk"), corearea_id__in=areas
                )
            )
        recipients = recipients.filter(interest)
    return recipients


def newsletter_render(newsletter: Newsletter, language: str = "da") -> tuple[SafeString, str]:
    """The newsletter's own content as HTML and as plain text, with absolute links so it works
    in a mail. The stories are read once for both; the upcoming activities come from the
    `networks` app's template tag (this app may not import it)."""
    context = {
        "newsletter": newsletter,
        "body": render_markdown(newsletter.body),
        "stories": list(newsletter.stories.prefetch_related("pictures").order_by("submitted_at")),
        "base_url": settings.PORTAL_BASE_URL,
    }
    with translation.override(language):
        html = render_to_string("ambassadors/newsletter_content.html", context)
        text = render_to_string("ambassadors/newsletter_content.txt", context)
    return sanitize_html(html), text


def newsletter_mail_factory(newsletter: Newsletter, *, language: str, content, text: str):
    """Render the mail once; each recipient's copy only swaps in their unsubscribe link."""
    template = build_email(
        to="recipient@invalid",
        template="ambassadors/email/newsletter",
        context={
            "newsletter": newsletter,
            "content": content,
            "text": text,
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        },
        language=language,
    )
    html = template.alternatives[0].content

    def make(to: str, unsubscribe_url: str) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            template.subject,
            template.body.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url),
            template.from_email,
            [to],
        )
        message.attach_alternative(
            html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url), "text/html"
        )
        add_unsubscribe_headers(message, unsubscribe_url)
        return message

    return make


def add_unsubscribe_headers(message, unsubscribe_url: str) -> None:
    message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


def unsubscribe_url(ambassador: Ambassador, *, pattern: str | None = None) -> str:
    """The personal one-click link, in the ambassador's language. Pass
    `unsubscribe_pattern(language)` when making thousands."""
    pattern = pattern or unsubscribe_pattern(ambassador.language)
    return pattern.replace("TOKEN", make_token(ambassador, "unsubscribe"))


def unsubscribe_pattern(language: str = "da") -> str:
    """The unsubscribe link with TOKEN for the token, as the page in `language`."""
    from django.urls import reverse

    with translation.override(language):
        return absolute_url(reverse("newsletter-unsubscribe", kwargs={"token": "TOKEN"}))


def newsletter_send_test(*, newsletter: Newsletter, to: str, language: str = "da") -> None:
    """A test copy to the writer; its unsubscribe link goes to the archive, not to anyone."""
    content, text = newsletter_render(newsletter, language)
    make = newsletter_mail_factory(newsletter, language=language, content=content, text=text)
    message = make(to, absolute_url("/nyhedsbreve/"))
    message.subject = f"[TEST] {message.subject}"
    send_after_commit(message)


class AlreadySent(Exception):
    pass


def newsletter_start_sending(*, newsletter: Newsletter, expected_count: int | None = None) -> int:
    """Freeze the content, write a delivery per recipient, enqueue the task. Returns the count.

    `expected_count` is the number the project leader confirmed; if the segment has changed
    since, nothing is started and ValueError says so.
    """
    from ambassadors.tasks import send_newsletter

    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if newsletter.state != NewsletterState.DRAFT:
            raise AlreadySent
        recipients = newsletter_recipients(newsletter)
        if expected_count is not None and recipients.count() != expected_count:
            raise ValueError("recipient count changed")
        newsletter.sent_html, newsletter.sent_text = newsletter_render(newsletter)
        newsletter.state = NewsletterState.SENDING
        newsletter.send_started_at = timezone.now()
        newsletter.save()
        total = 0
        ids = recipients.order_by("pk").values_list("pk", flat=True)
        chunk = []
        for ambassador_id in ids.iterator(chunk_size=DELIVERY_CHUNK):
            chunk.append(NewsletterDelivery(newsletter=newsletter, ambassador_id=ambassador_id))
            if len(chunk) == DELIVERY_CHUNK:
                total += len(NewsletterDelivery.objects.bulk_create(chunk, ignore_conflicts=True))
                chunk = []
        if chunk:
            total += len(NewsletterDelivery.objects.bulk_create(chunk, ignore_conflicts=True))
        transaction.on_commit(lambda: send_newsletter.enqueue(newsletter.pk))
    logger.info("Newsletter #%s: sending to %s recipients started", newsletter.pk, total)
    return total


def newsletter_progress(newsletter: Newsletter) -> dict[str, int]:
    """Sent, failed, skipped and remaining, in one query."""
    return Newsletter.objects.with_progress().get(pk=newsletter.pk).progress


class newsletter_lock:
    """A session-level advisory lock: one sender per newsletter, released if the process dies."""

    KEY = 7_311_000_000

    def __init__(self, newsletter_id: int):
        self.key = self.KEY + newsletter_id
        self.acquired = False

    def __enter__(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
            self.acquired = bool(cursor.fetchone()[0])
        return self.acquired

    def __exit__(self, *exc) -> None:
        if self.acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.key])
