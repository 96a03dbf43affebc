"""Ambassadors: the people and organisations who back the strategy.

Life of an ambassador: imported from an existing list (invited: has not consented, counts nowhere,
is mailed an invitation and one reminder, and is deleted when 30 days pass without an answer) or
signed up (unconfirmed) → confirmed by the e-mail link (counts from now
on) → active or passive, by whether they took part in something in the last 12 months → asked
once a year to stay; no answer within 4 weeks makes them lapsed (kept, but left out of counts and
mailings until they confirm again). Withdrawing erases the personal data in place.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from themes.models import CoreArea, Postcode, Theme
from udsathed.core.fields import CprMaskedCharField, CprMaskedTextField

if TYPE_CHECKING:
    from ambassadors.models.certificates import Certificate

# The 12 months within which taking part makes an ambassador active (and a newcomer new).
ACTIVE_WINDOW = timedelta(days=365)
RECONFIRM_EVERY = timedelta(days=365)
RECONFIRM_GRACE = timedelta(weeks=4)
UNCONFIRMED_RETENTION = timedelta(days=7)
# An imported person is reminded once after INVITATION_REMINDER_AFTER and deleted when
# INVITATION_RETENTION passes without an answer.
INVITATION_REMINDER_AFTER = timedelta(days=14)
INVITATION_RETENTION = timedelta(days=30)


class AmbassadorKind(models.TextChoices):
    CITIZEN = "citizen", _("Private citizen")
    ASSOCIATION = "association", _("Association or organisation")
    COMPANY = "company", _("Company")
    MUNICIPAL = "municipal", _("Municipal employee")

    @classmethod
    def organisational(cls) -> list[str]:
        return [cls.ASSOCIATION, cls.COMPANY]


class AmbassadorState(models.TextChoices):
    INVITED = "invited", _("Invited (imported)")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    ACTIVE = "active", _("Active")
    PASSIVE = "passive", _("Passive")
    LAPSED = "lapsed", _("Lapsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def counts_as_ambassador(prefix: str = "") -> Q:
    """The rule of who counts as an ambassador: confirmed, not lapsed, not withdrawn.

    An invited (imported) person has no `confirmed_at` until they say yes, so is left out too.

    `prefix` reaches it through a relation (`"ambassador__"`), for the tasks and the admin's
    counts; `AmbassadorQuerySet.confirmed()` is the same rule on ambassadors themselves."""
    return Q(
        **{
            f"{prefix}confirmed_at__isnull": False,
            f"{prefix}erased_at__isnull": True,
            f"{prefix}lapsed_at__isnull": True,
        }
    )


class AmbassadorQuerySet(models.QuerySet):
    def not_erased(self) -> AmbassadorQuerySet:
        return self.filter(erased_at__isnull=True)

    def confirmed(self) -> AmbassadorQuerySet:
        """Ambassadors who count: confirmed, not withdrawn, not lapsed."""
        return self.filter(counts_as_ambassador())

    def unconfirmed(self) -> AmbassadorQuerySet:
        """Signed up through the portal and not yet confirmed (the invited are not here)."""
        return self.filter(
            confirmed_at__isnull=True, erased_at__isnull=True, invited_at__isnull=True
        )

    def invited(self) -> AmbassadorQuerySet:
        """Imported from an existing list and not yet answered the invitation."""
        return self.filter(
            confirmed_at__isnull=True, erased_at__isnull=True, invited_at__isnull=False
        )

    def invitation_due(self) -> AmbassadorQuerySet:
        return self.invited().filter(invitation_sent_at__isnull=True)

    def invitation_reminder_due(self, now=None) -> AmbassadorQuerySet:
        cutoff = (now or timezone.now()) - INVITATION_REMINDER_AFTER
        return self.invited().filter(
            invitation_sent_at__lt=cutoff, invitation_reminded_at__isnull=True
        )

    def expired_invitations(self, now=None) -> AmbassadorQuerySet:
        """Invited more than INVITATION_RETENTION ago and never answered: they are deleted."""
        return self.invited().filter(invited_at__lt=(now or timezone.now()) - INVITATION_RETENTION)

    def lapsed(self) -> AmbassadorQuerySet:
        return self.filter(
            confirmed_at__isnull=False, erased_at__isnull=True, lapsed_at__isnull=False
        )

    def with_recent_participation(self, now=None) -> AmbassadorQuerySet:
        since = (now or timezone.now()).date() - ACTIVE_WINDOW
        recent = Participation.objects.filter(ambassador=OuterRef("pk"), occurred_on__gte=since)
        return self.annotate(is_active=Exists(recent))

    def active(self, now=None) -> AmbassadorQuerySet:
        """Confirmed ambassadors who took part in something in the last 12 months."""
        return self.confirmed().with_recent_participation(now).filter(is_active=True)

    def passive(self, now=None) -> AmbassadorQuerySet:
        """Confirmed ambassadors with no participation in the last 12 months."""
        return self.confirmed().with_recent_participation(now).filter(is_active=False)

    def in_state(self, state: str, now=None) -> AmbassadorQuerySet:
        return {
            AmbassadorState.INVITED: self.invited,
            AmbassadorState.UNCONFIRMED: self.unconfirmed,
            AmbassadorState.ACTIVE: lambda: self.active(now),
            AmbassadorState.PASSIVE: lambda: self.passive(now),
            AmbassadorState.LAPSED: self.lapsed,
            AmbassadorState.WITHDRAWN: lambda: self.filter(erased_at__isnull=False),
        }[state]()

    def in_directory(self) -> AmbassadorQuerySet:
        """Organisations and companies that consented to be shown publicly."""
        return self.confirmed().filter(
            kind__in=AmbassadorKind.organisational(), show_in_directory=True
        )

    def newsletter_recipients(self) -> AmbassadorQuerySet:
        return self.confirmed().filter(accepts_newsletter=True)

    def living_in_municipality(self) -> AmbassadorQuerySet:
        local = Postcode.objects.of_active_strategy().filter(code=OuterRef("postcode"))
        return self.filter(Exists(local))

    def expired_unconfirmed(self, now=None) -> AmbassadorQuerySet:
        """Sign-ups never confirmed within the retention period; they are deleted."""
        return self.unconfirmed().filter(
            created_at__lt=(now or timezone.now()) - UNCONFIRMED_RETENTION
        )

    def due_for_reconfirmation(self, now=None) -> AmbassadorQuerySet:
        """Confirmed ambassadors whose last yes is a year old and who have not been asked yet."""
        cutoff = (now or timezone.now()) - RECONFIRM_EVERY
        return (
            self.confirmed()
            .filter(
                Q(reconfirmation_requested_at__isnull=True)
                | Q(reconfirmation_requested_at__lt=models.F("last_confirmed_at"))
            )
            .filter(last_confirmed_at__lt=cutoff)
        )

    def overdue_reconfirmation(self, now=None) -> AmbassadorQuerySet:
        """Asked to stay more than four weeks ago and did not answer: they lapse."""
        cutoff = (now or timezone.now()) - RECONFIRM_GRACE
        return self.confirmed().filter(
            reconfirmation_requested_at__lt=cutoff,
            reconfirmation_requested_at__gt=models.F("last_confirmed_at"),
        )


# What an ambassador may change about themselves on 'Min side' (the e-mail address is fixed).
PROFILE_FIELDS = [
    "kind",
    "name",
    "phone",
    "postcode",
    "organisation_name",
    "description",
    "website",
    "skills",
    "language",
]


def new_token_version() -> str:
    return secrets.token_hex(8)


class Ambassador(models.Model):
    """A person or organisation backing the strategy. Holds only what the role needs."""

    kind = models.CharField(_("kind"), max_length=20, choices=AmbassadorKind.choices)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"), max_length=254)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    organisation_name = CprMaskedCharField(_("organisation"), max_length=160, blank=True)
    description = CprMaskedTextField(
        _("description of the organisation"), max_length=1000, blank=True
    )
    website = models.URLField(_("website"), max_length=300, blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="ambassadors", blank=True, verbose_name=_("themes")
    )
    core_areas = models.ManyToManyField(
        CoreArea, related_name="ambassadors", blank=True, verbose_name=_("core areas")
    )
    skills = CprMaskedTextField(_("what I can offer"), max_length=2000, blank=True)
    show_in_directory = models.BooleanField(_("shown in the public directory"), default=False)
    accepts_newsletter = models.BooleanField(_("receives newsletters"), default=False)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="da"
    )

    created_at = models.DateTimeField(_("signed up"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)
    last_confirmed_at = models.DateTimeField(
        _("last said yes"),
        null=True,
        blank=True,
        help_text=_("When the ambassador last confirmed, at sign-up or in the yearly check."),
    )
    reconfirmation_requested_at = models.DateTimeField(_("asked to stay"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("lapsed"), null=True, blank=True)
    erased_at = models.DateTimeField(_("withdrawn and erased"), null=True, blank=True)
    # Imported from an existing list: not consented; counts nowhere until they confirm.
    invited_at = models.DateTimeField(_("invited (imported)"), null=True, blank=True)
    invited_from = models.CharField(_("imported from file"), max_length=200, blank=True)
    invitation_sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    invitation_reminded_at = models.DateTimeField(
        _("invitation reminder sent"), null=True, blank=True
    )
    # Rotated to end every link and session issued before (erasure, or a request to log out).
    token_version = models.CharField(max_length=16, default=new_token_version, editable=False)

    history = HistoricalRecords(excluded_fields=["token_version"])
    objects = AmbassadorQuerySet.as_manager()

    class Meta:
        verbose_name = _("ambassador")
        verbose_name_plural = _("ambassadors")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(erased_at__isnull=True),
                name="unique_ambassador_email_ci",
                violation_error_message=_("An ambassador with this e-mail already exists."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AmbassadorKind.values), name="ambassador_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "confirmed_at"]),
            # The public directory: its rows, already in its order.
            models.Index(
                fields=["organisation_name", "id"],
                include=["kind"],
                condition=Q(
                    kind__in=["association", "company"],
                    show_in_directory=True,
                    confirmed_at__isnull=False,
                    erased_at__isnull=True,
                    lapsed_at__isnull=True,
                ),
                name="ambassador_directory_idx",
            ),
        ]

    def __str__(self) -> str:
        if self.erased_at:
            return _("Withdrawn ambassador #%(pk)s") % {"pk": self.pk}
        if self.organisation_name:
            return f"{self.organisation_name} ({self.name})"
        return self.name

    def clean(self) -> None:
        """The organisation rule, used by the sign-up, Min side, the admin and the services:
        associations and companies name their organisation; private citizens and municipal staff
        have no organisation texts and are never listed in the public directory."""
        super().clean()
        if self.is_organisation:
            # An erased organisation has lost its name on purpose: it stays valid.
            if self.erased_at is None and not self.organisation_name.strip():
                raise ValidationError(
                    {
                        "organisation_name": _(
                            "Write the name of the association, organisation or company."
                        )
                    }
                )
        else:
            self.organisation_name = ""
            self.description = ""
            self.website = ""
            self.show_in_directory = False

    @property
    def display_name(self) -> str:
        """The public name: the organisation for organisations, else the person."""
        return self.organisation_name or self.name

    @property
    def is_organisation(self) -> bool:
        return self.kind in AmbassadorKind.organisational()

    def state(self, now=None) -> str:
        if self.erased_at:
            return AmbassadorState.WITHDRAWN
        if not self.confirmed_at:
            return AmbassadorState.INVITED if self.invited_at else AmbassadorState.UNCONFIRMED
        if self.lapsed_at:
            return AmbassadorState.LAPSED
        is_active = getattr(self, "is_active", None)
        if is_active is None:
            since = (now or timezone.now()).date() - ACTIVE_WINDOW
            is_active = self.participations.filter(occurred_on__gte=since).exists()
        return AmbassadorState.ACTIVE if is_active else AmbassadorState.PASSIVE

    def get_state_display(self) -> str:
        return AmbassadorState(self.state()).label

    def is_new(self, now=None) -> bool:
        """Confirmed within the last 12 months and not yet active: new, not passive.

        Only how the ambassador sees themselves: counts and dashboards still call them passive
        until they take part in something."""
        now = now or timezone.now()
        return (
            self.state(now) == AmbassadorState.PASSIVE
            and self.confirmed_at is not None
            and self.confirmed_at >= now - ACTIVE_WINDOW
        )

    def own_state_label(self) -> str:
        """The state as shown to the ambassador on Min side."""
        return _("New ambassador") if self.is_new() else self.get_state_display()

    @property
    def current_certificate(self) -> Certificate | None:
        return self.certificates.filter(revoked_at__isnull=True).order_by("-issued_at").first()


class ParticipationKind(models.TextChoices):
    ACTIVITY = "activity", _("Took part in an activity")
    NETWORK = "network", _("Member of a network")
    STORY = "story", _("Sent a story")
    OTHER = "other", _("Other")


class Participation(models.Model):
    """Something an ambassador took part in; what makes them active for 12 months."""

    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("ambassador"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ParticipationKind.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    description = CprMaskedCharField(_("what"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["-occurred_on"]
        indexes = [
            models.Index(fields=["ambassador", "occurred_on"]),
            models.Index(fields=["occurred_on"], name="participation_occurred_idx"),  # dashboard
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class ConsentKind(models.TextChoices):
    PRIVACY = "privacy", _("Accepted the privacy notice")
    NEWSLETTER = "newsletter", _("Newsletters by e-mail")
    DIRECTORY = "directory", _("Shown in the public directory")


class ConsentRecord(models.Model):
    """What a person agreed to or withdrew, when, through which form and which text version."""

    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="consents", verbose_name=_("ambassador")
    )
    kind = models.CharField(_("consent"), max_length=20, choices=ConsentKind.choices)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("text version"), max_length=20)
    source = models.CharField(_("given through"), max_length=200)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {'+' if self.granted else '-'}"
