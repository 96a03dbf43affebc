"""Action networks: the one standing cross-professional network and the ad hoc ones, and their
members (ambassadors or staff, as lead or member)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador
from themes.models import CoreArea, Theme
from udsathed.core.fields import CprMaskedTextField


class NetworkKind(models.TextChoices):
    STANDING = "standing", _("Standing cross-professional action network")
    AD_HOC = "adhoc", _("Ad hoc network")


class NetworkState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class NetworkQuerySet(models.QuerySet):
    def public(self) -> NetworkQuerySet:
        """Networks shown on the site: all but the planned ones."""
        return self.exclude(state=NetworkState.PLANNED)

    def current(self) -> NetworkQuerySet:
        return self.filter(state=NetworkState.ACTIVE)

    def past(self) -> NetworkQuerySet:
        return self.filter(state=NetworkState.CLOSED)

    def open_for_members(self) -> NetworkQuerySet:
        """Ad hoc networks ambassadors may ask to join."""
        return self.filter(
            kind=NetworkKind.AD_HOC,
            state__in=[NetworkState.PLANNED, NetworkState.ACTIVE],
            open_for_members=True,
        )

    def led_by(self, user) -> NetworkQuerySet:
        return self.filter(
            memberships__user=user,
            memberships__role=MembershipRole.LEAD,
            memberships__state=MembershipState.ACTIVE,
        )


class Network(models.Model):
    """An action network: the one standing network, or a time-limited ad hoc one."""

    kind = models.CharField(_("kind"), max_length=10, choices=NetworkKind.choices)
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    purpose = CprMaskedTextField(_("purpose"), max_length=3000)
    expected_result = CprMaskedTextField(_("expected result"), max_length=3000, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="networks", blank=True, verbose_name=_("themes")
    )
    core_areas = models.ManyToManyField(
        CoreArea, related_name="networks", blank=True, verbose_name=_("core areas")
    )
    citizen_driven = models.BooleanField(_("citizen-driven"), default=False)
    open_for_members = models.BooleanField(
        _("open for new members"),
        default=True,
        help_text=_("Ambassadors can ask to join from the network's page."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=NetworkState.choices, default=NetworkState.PLANNED
    )
    outcome = CprMaskedTextField(
        _("outcome"),
        max_length=5000,
        blank=True,
        help_text=_("What came of the network; required when it is closed. Shown publicly."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("action network")
        verbose_name_plural = _("action networks")
        ordering = ["kind", "-starts_on", "name"]
        indexes = [models.Index(fields=["starts_on"], name="network_starts_on_idx")]  # dashboard
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="standing"),
                name="one_standing_network",
                violation_error_message=_("There can be only one standing action network."),
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | ~Q(outcome=""),
                name="closed_network_has_outcome",
                violation_error_message=_("Describe the outcome before closing the network."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="network_dates_in_order",
                violation_error_message=_("The end cannot come before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80] or secrets.token_hex(4)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("networks:network-detail", kwargs={"slug": self.slug})

    @property
    def is_standing(self) -> bool:
        return self.kind == NetworkKind.STANDING

    @property
    def is_closed(self) -> bool:
        return self.state == NetworkState.CLOSED

    @property
    def accepts_join_requests(self) -> bool:
        return (
            self.kind == NetworkKind.AD_HOC
            and self.open_for_members
            and self.state != NetworkState.CLOSED
        )


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")


class MembershipState(models.TextChoices):
    REQUESTED = "requested", _("Asked to join")
    ACTIVE = "active", _("Member")
    LEFT = "left", _("Left")


class Membership(models.Model):
    """A person in a network: an ambassador or a member of staff, as lead or member."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("ambassador"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_memberships",
        verbose_name=_("member of staff"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    mandate = CprMaskedTextField(
        _("mandate"),
        max_length=2000,
        blank=True,
        help_text=_("For the standing network: what the member may decide and demand."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=MembershipState.choices, default=MembershipState.ACTIVE
    )
    joined_on = models.DateField(_("joined"), default=timezone.localdate)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "role", "joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ambassador__isnull=False, user__isnull=True)
                | Q(ambassador__isnull=True, user__isnull=False),
                name="membership_has_one_person",
                violation_error_message=_("A member is either an ambassador or staff, not both."),
            ),
            models.UniqueConstraint(
                fields=["network", "ambassador"],
                condition=Q(ambassador__isnull=False),
                name="unique_ambassador_membership",
            ),
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=Q(user__isnull=False),
                name="unique_staff_membership",
            ),
        ]

    def __str__(self) -> str:
        person = self.ambassador or self.user
        return f"{person} – {self.network}"
