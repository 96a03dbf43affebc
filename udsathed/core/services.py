from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from udsathed.core.models import AuditAction, AuditEntry


def audit_entry_record(
    *,
    user,
    address: str | None,
    action: AuditAction | str,
    target: str,
    object_id: str = "",
    persons: int | None = None,
) -> AuditEntry:
    """Append one row to the audit trail (one INSERT); ids and counts only, never the data."""
    authenticated = user is not None and user.is_authenticated
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        address=address or None,
        action=action,
        target=target[:100],
        object_id=str(object_id or "")[:64],
        persons=persons,
    )


@transaction.atomic
def audit_entries_prune(*, now: datetime | None = None) -> int:
    """The trail is kept AUDIT_RETENTION_DAYS; older rows go in one bulk delete (the only way
    rows ever leave it: a single row's delete() refuses)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _by_model = AuditEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
