"""Retention rules (SECURITY.md, privacy item 5), applied together by `manage.py apply_retention`.

Each rule lives with its app where it already existed; the two that had no home yet are here.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ambassadors.models import Ambassador
from ambassadors.services import (
    ambassador_erase,
    ambassadors_delete_expired_invitations,
    ambassadors_delete_expired_unconfirmed,
)
from networks.models import Ball
from networks.services import registrations_forget_needs
from udsathed.core.services import audit_entries_prune

audit = logging.getLogger("portal.audit")


def balls_erase_closed_contacts(*, now: datetime | None = None) -> int:
    """The sender's name, e-mail and phone go RETENTION_BALL_CONTACT_DAYS after the ball closed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_BALL_CONTACT_DAYS)
    erased = Ball.objects.filter(closed_at__lt=cutoff, contact_erased_at__isnull=True).update(
        contact_name="", contact_email="", contact_phone="", contact_erased_at=now
    )
    return erased


def ambassadors_erase_lapsed(*, now: datetime | None = None) -> int:
    """Ambassadors lapsed for RETENTION_LAPSED_AMBASSADOR_DAYS are erased as if they withdrew."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_LAPSED_AMBASSADOR_DAYS)
    erased = 0
    for ambassador in Ambassador.objects.lapsed().filter(lapsed_at__lt=cutoff).iterator():
        ambassador_erase(ambassador=ambassador, source="retention")
        erased += 1
    return erased


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Run every retention rule once; returns how many rows each rule touched."""
    counts = {
        "unconfirmed_deleted": ambassadors_delete_expired_unconfirmed(now=now),
        "unanswered_invitations_deleted": ambassadors_delete_expired_invitations(now=now),
        "registration_needs_forgotten": registrations_forget_needs(now=now),
        "ball_contacts_erased": balls_erase_closed_contacts(now=now),
        "lapsed_ambassadors_erased": ambassadors_erase_lapsed(now=now),
        "audit_entries_pruned": audit_entries_prune(now=now),
    }
    audit.info("Retention applied: %s", counts)
    return counts
