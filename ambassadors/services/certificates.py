"""Writes about certificates: issuing one with the next free number, revoking."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ambassadors.models import Ambassador, Certificate
from themes.models import Strategy


def _next_certificate_number(now) -> str:
    year = now.year
    prefix = f"{year}-"
    last = Certificate.objects.filter(number__startswith=prefix).aggregate(n=Max("number"))["n"]
    serial = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


def certificate_issue(*, ambassador: Ambassador) -> Certificate:
    """Issue a new certificate in the ambassador's current name, for the active strategy."""
    now = timezone.now()
    strategy = Strategy.objects.active().first()
    strategy_name = strategy.name if strategy else ""
    holder = (
        f"{ambassador.organisation_name} ({ambassador.name})"
        if ambassador.is_organisation and ambassador.organisation_name
        else ambassador.name
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    ambassador=ambassador,
                    number=_next_certificate_number(now),
                    holder_name=holder,
                    strategy_name=strategy_name,
                    issued_at=now,
                )
        except IntegrityError:
            continue  # another certificate took the number a moment ago
    raise RuntimeError("Could not allocate a certificate number")


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str = "") -> Certificate:
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason[:200]
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate
