"""Activities (plenary meetings, dialogue meetings, theme days, workshops, events, network
meetings), their pictures, registrations with waiting list and check-in, and invitations."""

from __future__ import annotations

import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower, TruncMinute
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador
from networks.models.networks import Network
from networks.models.tokens import new_ball_token
from themes.models import CoreArea, Theme
from udsathed.core.fields import CprMaskedCharField, CprMaskedTextField


class ActivityKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary meeting (stormøde)")
    DIALOGUE = "dialogue", _("Dialogue meeting")
    THEME_DAY = "theme_day", _("Theme day")
    WORKSHOP = "workshop", _("Workshop")
    EVENT = "event", _("Event")
    NETWORK_MEETING = "network_meeting", _("Network meeting")


class ActivityState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for registration")
    FULL = "full", _("Full")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityQuerySet(models.QuerySet):
    def visible(self) -> ActivityQuerySet:
        """Shown on the site: everything but planned drafts."""
        return self.exclude(state=ActivityState.PLANNED)

    def upcoming(self, now=None) -> ActivityQuerySet:
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None) -> ActivityQuerySet:
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def with_counts(self) -> ActivityQuerySet:
        """The places taken and the waiting list, as a subquery per activity: a join grouped by
        activity would count every activity's registrations before a list is paged, and again in
        the page count and the admin's date bar, which reuse the queryset."""

        def counted(status: str) -> Coalesce:
            registrations = (
                Registration.objects.filter(activity=OuterRef("pk"), status=status)
                .order_by()
                .values("activity")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(registrations, output_field=IntegerField()), Value(0))

        return self.annotate(
            registered_count=counted(RegistrationStatus.REGISTERED),
            waitlist_count=counted(RegistrationStatus.WAITLISTED),
        )


class Activity(models.Model):
    """A stormøde, dialogue meeting, theme day, workshop, event or network meeting."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = CprMaskedCharField(_("title"), max_length=160)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    description = CprMaskedTextField(_("description"), max_length=5000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place_name = models.CharField(_("place"), max_length=160)
    address = models.CharField(_("address"), max_length=200)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    themes = models.ManyToManyField(
        Theme, related_name="activities", blank=True, verbose_name=_("themes")
    )
    core_areas = models.ManyToManyField(
        CoreArea, related_name="activities", blank=True, verbose_name=_("core areas")
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("network"),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Public activities also take people who are not ambassadors."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ActivityState.choices, default=ActivityState.PLANNED
    )
    summary = CprMaskedTextField(
        _("minutes and outcome"),
        max_length=10000,
        blank=True,
        help_text=_("Published on the activity's page after it has been held."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # RFC 5545's SEQUENCE: a subscribed calendar replaces its copy of the event only when this
    # grows, so every save of an existing activity (a move, a new place, a cancellation) does.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["state", "starts_at"]),
            # The upcoming activities (those not yet ended), which the list and the API page.
            models.Index(fields=["ends_at"], name="activity_ends_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message=_("The activity cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            stamp = self.starts_at.strftime("%Y-%m-%d") if self.starts_at else ""
            self.slug = slugify(f"{self.title} {stamp}")[:80] or secrets.token_hex(4)
        if not self._state.adding:
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("networks:activity-detail", kwargs={"slug": self.slug})

    @property
    def map_url(self) -> str:
        from urllib.parse import quote_plus

        return f"https://www.openstreetmap.org/search?query={quote_plus(self.address)}"

    @property
    def start_as_told(self):
        """The start to the minute, as mails tell it: the unit a reminder is sent once for, so
        saving the form again (which drops the microseconds) is not a move."""
        return self.starts_at.replace(second=0, microsecond=0)

    @property
    def remind_at(self):
        """When the people with a place are reminded: ACTIVITY_REMINDER_DAYS before the start."""
        return self.starts_at - timedelta(days=settings.ACTIVITY_REMINDER_DAYS)

    @property
    def is_cancelled(self) -> bool:
        return self.state == ActivityState.CANCELLED

    @property
    def is_full(self) -> bool:
        return self.state == ActivityState.FULL

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.state not in (ActivityState.OPEN, ActivityState.FULL) or self.ends_at < now:
            return False
        return self.registration_deadline is None or now <= self.registration_deadline


def activity_picture_path(instance, filename: str) -> str:
    return f"activities/{filename}"


class ActivityPicture(models.Model):
    """A picture published with an activity's minutes (pictures are the only uploads)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("activity")
    )
    image = models.FileField(_("picture"), upload_to=activity_picture_path, max_length=200)
    alt_text = CprMaskedCharField(
        _("alternative text"),
        max_length=250,
        help_text=_("Describe what the picture shows, for people who cannot see it."),
    )
    caption = CprMaskedCharField(_("caption"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text

    def get_absolute_url(self) -> str:
        return reverse(
            "networks:activity-picture", kwargs={"slug": self.activity.slug, "pk": self.pk}
        )


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


CHECKIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(8))


def normalise_checkin_code(value: str) -> str:
    """What a person types or a camera reads: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:20]


class RegistrationQuerySet(models.QuerySet):
    def reminder_due(self, now=None) -> RegistrationQuerySet:
        """Places whose activity (open or full) starts within ACTIVITY_REMINDER_DAYS and whose
        holder has not been reminded of that start yet (`Activity.start_as_told`). Keyed on the
        start itself, so a moved activity is reminded of at its new time and never at the old."""
        now = now or timezone.now()
        return self.filter(
            status=RegistrationStatus.REGISTERED,
            activity__state__in=[ActivityState.OPEN, ActivityState.FULL],
            activity__starts_at__gt=now,
            activity__starts_at__lte=now + timedelta(days=settings.ACTIVITY_REMINDER_DAYS),
        ).exclude(reminded_for=TruncMinute("activity__starts_at", tzinfo=UTC))

    def upcoming_of(self, ambassador, now=None) -> RegistrationQuerySet:
        """The ambassador's places and waiting-list places at activities not yet over."""
        return (
            self.filter(ambassador=ambassador, activity__ends_at__gte=now or timezone.now())
            .exclude(status=RegistrationStatus.CANCELLED)
            .select_related("activity")
            .order_by("activity__starts_at")
        )


class Registration(models.Model):
    """A place at an activity, or a place on its waiting list."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("activity"),
    )
    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("ambassador"),
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    needs = CprMaskedTextField(
        _("accessibility or dietary needs"),
        max_length=1000,
        blank=True,
        help_text=_("Deleted automatically 30 days after the activity."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    attended = models.BooleanField(_("came"), default=False)
    # The page's language at registration: the mails of someone without an ambassador profile
    # (whose own language the profile holds) follow it.
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="da"
    )
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    reminded_for = models.DateTimeField(
        _("reminded of the start"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The start time the last reminder (or confirmation) told this person."),
    )
    token = models.CharField(max_length=40, unique=True, default=new_ball_token, editable=False)
    # The personal code in the ticket's QR code, short enough to type at the door.
    checkin_code = models.CharField(
        _("check-in code"), max_length=8, unique=True, default=new_checkin_code, editable=False
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["activity", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "activity",
                Lower("email"),
                condition=~Q(status="cancelled"),
                name="one_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.activity}"

    @property
    def mail_language(self) -> str:
        """The language of this person's mails: their profile's, else the page's they used."""
        return self.ambassador.language if self.ambassador else self.language

    def get_cancel_url(self) -> str:
        return reverse("networks:registration-cancel", kwargs={"token": self.token})

    def get_ticket_url(self) -> str:
        return reverse("networks:registration-ticket", kwargs={"token": self.token})

    @property
    def has_place(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED

    @property
    def is_cancelled(self) -> bool:
        return self.status == RegistrationStatus.CANCELLED

    @property
    def checkin_code_display(self) -> str:
        return f"{self.checkin_code[:4]} {self.checkin_code[4:]}"


class ActivityInvitation(models.Model):
    """One ambassador invited to an activity; `sent_at` makes the background send resumable."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("activity")
    )
    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.CASCADE,
        related_name="activity_invitations",
        verbose_name=_("ambassador"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity invitation")
        verbose_name_plural = _("activity invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "ambassador"], name="one_invitation_per_activity"
            )
        ]
        indexes = [models.Index(fields=["activity", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.ambassador} → {self.activity}"
