"""Background sending of newsletters and of the invitations to imported people (run by
`manage.py db_worker`, see networks/tasks.py)."""

from __future__ import annotations

import logging

from django.core.mail import mailers
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ambassadors.models import (
    Ambassador,
    DeliveryStatus,
    Newsletter,
    NewsletterDelivery,
    NewsletterState,
)
from ambassadors.services.ambassadors import ambassador_invitation_email
from ambassadors.services.newsletters import (
    newsletter_lock,
    newsletter_mail_factory,
    sanitize_html,
    unsubscribe_pattern,
    unsubscribe_url,
)
from udsathed.core.mail import send_each

logger = logging.getLogger(__name__)
BATCH = 500


@task
def send_ambassador_invitations() -> int:
    """Mail each imported person their invitation, and the one reminder when it is due.

    Enqueued when an import commits and every few minutes by `resume_sending`; each mail is
    stamped in its own commit, so no one is asked twice."""
    sent = send_each(
        Ambassador.objects.invitation_due().order_by("pk"),
        lambda ambassador: ambassador_invitation_email(ambassador=ambassador),
        "invitation_sent_at",
    )
    sent += send_each(
        Ambassador.objects.invitation_reminder_due().order_by("pk"),
        lambda ambassador: ambassador_invitation_email(ambassador=ambassador, reminder=True),
        "invitation_reminded_at",
    )
    return sent


@task
def send_newsletter(newsletter_id: int) -> int:
    """Mail every pending delivery of the newsletter; resumable, never twice to one person."""
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if newsletter is None or newsletter.state == NewsletterState.DRAFT:
        return 0
    with newsletter_lock(newsletter_id) as acquired:
        if not acquired:  # another worker is sending it right now
            return 0
        mailer = mailers.default
        mailer.open()  # one connection for the whole send
        try:
            sent = _send_pending(newsletter, mailer)
        finally:
            mailer.close()
        _finish_if_done(newsletter)
    return sent


def _send_pending(newsletter: Newsletter, mailer) -> int:
    # The content was frozen when sending started (it is also what the archive shows).
    content = sanitize_html(newsletter.sent_html)
    factories = {}
    link_patterns = {}
    sent = 0
    last_pk = 0
    while True:
        # Ids first (an index-only walk), then the rows by primary key: a plan that stays
        # fast whatever the planner believes about a table that just grew by thousands.
        ids = list(
            NewsletterDelivery.objects.filter(
                newsletter=newsletter, status=DeliveryStatus.PENDING, pk__gt=last_pk
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return sent
        last_pk = ids[-1]
        batch = NewsletterDelivery.objects.filter(pk__in=ids).select_related("ambassador")
        batch = sorted(batch, key=lambda delivery: delivery.pk)
        # Who still wants it, by the same rule that chose the recipients (unsubscribed,
        # lapsed or withdrawn since sending started are skipped).
        wanted = set(
            Ambassador.objects.newsletter_recipients()
            .filter(pk__in=[delivery.ambassador_id for delivery in batch])
            .values_list("pk", flat=True)
        )
        for delivery in batch:
            ambassador = delivery.ambassador
            if ambassador.pk not in wanted:
                _stamp(delivery, DeliveryStatus.SKIPPED)
                continue
            language = ambassador.language
            if language not in factories:
                factories[language] = newsletter_mail_factory(
                    newsletter, language=language, content=content, text=newsletter.sent_text
                )
                link_patterns[language] = unsubscribe_pattern(language)
            message = factories[language](
                ambassador.email, unsubscribe_url(ambassador, pattern=link_patterns[language])
            )
            try:
                mailer.send_messages([message])
            except Exception as exc:  # one bad address must not stop the rest
                logger.warning("Newsletter #%s: delivery #%s failed", newsletter.pk, delivery.pk)
                _stamp(delivery, DeliveryStatus.FAILED, error=type(exc).__name__)
                mailer.close()  # start the next one on a fresh connection
                mailer.open()
                continue
            # Stamped at once, in its own commit: a worker killed now has sent this one only.
            _stamp(delivery, DeliveryStatus.SENT)
            sent += 1


def _stamp(delivery: NewsletterDelivery, status: str, error: str = "") -> None:
    NewsletterDelivery.objects.filter(pk=delivery.pk).update(
        status=status, sent_at=timezone.now(), error=error[:100]
    )


def _finish_if_done(newsletter: Newsletter) -> None:
    with transaction.atomic():
        pending = NewsletterDelivery.objects.filter(
            newsletter=newsletter, status=DeliveryStatus.PENDING
        ).exists()
        if not pending:
            Newsletter.objects.filter(pk=newsletter.pk, state=NewsletterState.SENDING).update(
                state=NewsletterState.SENT, sent_at=timezone.now()
            )
