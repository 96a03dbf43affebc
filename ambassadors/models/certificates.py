"""The ambassador certificate (ambassadørbevis): issued on confirmation, verified by its code."""

from __future__ import annotations

import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ambassadors.models.ambassadors import Ambassador
from udsathed.core.fields import CprMaskedCharField


def new_certificate_code() -> str:
    # 12 characters from an alphabet without lookalikes: about 60 bits, not guessable.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class CertificateQuerySet(models.QuerySet):
    def valid(self) -> CertificateQuerySet:
        return self.filter(revoked_at__isnull=True, ambassador__erased_at__isnull=True)


class Certificate(models.Model):
    """The ambassador certificate (ambassadørbevis); its code is what the QR code points to."""

    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("ambassador"),
    )
    code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_certificate_code
    )
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    holder_name = models.CharField(_("issued to"), max_length=300)
    strategy_name = models.CharField(_("strategy"), max_length=200)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = CprMaskedCharField(_("reason for revoking"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("ambassadors:certificate-verify", kwargs={"code": self.code})

    @property
    def is_valid(self) -> bool:
        """Shown as valid: not revoked, and its ambassador still counts (has not lapsed)."""
        return self.revoked_at is None and not self.is_lapsed

    @property
    def is_lapsed(self) -> bool:
        """Not revoked, but the ambassador did not renew; valid again once they confirm."""
        return self.revoked_at is None and self.ambassador.lapsed_at is not None
