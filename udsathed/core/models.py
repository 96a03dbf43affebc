"""The audit trail of staff reads, lists, exports, changes and deletions of personal data.

Append-only: a row is written once and neither changed nor deleted one by one; only the
retention rule (`audit_entries_prune`) removes rows, in bulk, after AUDIT_RETENTION_DAYS.
A row holds ids and counts, never the personal data that was looked at.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    EXPORT = "export", _("Exported")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")


class AppendOnlyError(Exception):
    """An audit entry was asked to change or to go away one by one."""


class AuditEntry(models.Model):
    # The staff user; the username is kept too, so the row still says who after the user goes.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    # A model label ("ambassadors.ambassador") or an admin view's URL name.
    target = models.CharField(_("what"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    persons = models.PositiveIntegerField(_("persons"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are removed only by the retention rule.")
