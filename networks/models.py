"""Balls (ideas, concerns and challenges), the action networks that carry them, and members.

A ball rolls in from anyone and lands in triage: received → being assessed → passed to a
network → in action → done; or declined; or a duplicate of another ball. Every move is recorded
with who and when; public moves are shown to the sender on their private status page.
"""

from __future__ import annotations

import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower, TruncMinute
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador
from themes.models import CoreArea, Theme
from udsathed.core.fields import CprMaskedCharField, CprMaskedCountField, CprMaskedTextField


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


class BallKind(models.TextChoices):
    IDEA = "idea", _("Idea")
    CONCERN = "concern", _("Concern")
    CHALLENGE = "challenge", _("Challenge")


class BallState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSING = "assessing", _("Being assessed")
    PASSED = "passed", _("Passed to a network")
    IN_ACTION = "in_action", _("In action")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")
    DUPLICATE = "duplicate", _("Duplicate")

    @classmethod
    def closed(cls) -> list[str]:
        return [cls.DONE, cls.DECLINED, cls.DUPLICATE]


# Where a ball may go from each state. Closed balls can be reopened for assessment.
TRANSITIONS: dict[str, list[str]] = {
    BallState.RECEIVED: [
        BallState.ASSESSING,
        BallState.PASSED,
        BallState.DECLINED,
        BallState.DUPLICATE,
    ],
    BallState.ASSESSING: [
        BallState.PASSED,
        BallState.IN_ACTION,
        BallState.DONE,
        BallState.DECLINED,
        BallState.DUPLICATE,
    ],
    BallState.PASSED: [
        BallState.ASSESSING,
        BallState.IN_ACTION,
        BallState.DONE,
        BallState.DECLINED,
        BallState.PASSED,
    ],
    BallState.IN_ACTION: [BallState.PASSED, BallState.DONE, BallState.DECLINED],
    BallState.DONE: [BallState.ASSESSING],
    BallState.DECLINED: [BallState.ASSESSING],
    BallState.DUPLICATE: [BallState.ASSESSING],
}
# A duplicate is closed too: its sender is told, in words they understand, what it repeats.
NEEDS_ANSWER = {BallState.DONE, BallState.DECLINED, BallState.DUPLICATE}
NEEDS_NETWORK = {BallState.PASSED, BallState.IN_ACTION}


def new_ball_token() -> str:
    return secrets.token_urlsafe(24)


def first_response_days() -> int:
    return settings.BALL_FIRST_RESPONSE_DAYS


def sees_every_ball(user) -> bool:
    """Project leaders and superusers handle every ball; anyone else only their networks'."""
    return user.is_superuser or user.has_perm("networks.change_ball")


class BallQuerySet(models.QuerySet):
    def open(self) -> BallQuerySet:
        return self.exclude(state__in=BallState.closed())

    def closed(self) -> BallQuerySet:
        return self.filter(state__in=BallState.closed())

    def awaiting_first_response(self) -> BallQuerySet:
        return self.filter(first_response_at__isnull=True)

    def overdue(self, days: int | None = None, now=None) -> BallQuerySet:
        """No first response after `days` days (default BALL_FIRST_RESPONSE_DAYS)."""
        days = first_response_days() if days is None else days
        cutoff = (now or timezone.now()) - timedelta(days=days)
        return self.awaiting_first_response().filter(received_at__lt=cutoff)

    def for_user(self, user) -> BallQuerySet:
        """Project leaders see every ball; network leads only those of their own networks."""
        if sees_every_ball(user):
            return self
        return self.filter(network__in=Network.objects.led_by(user))

    def counts_by_state(self) -> dict[str, int]:
        rows = self.order_by().values("state").annotate(n=Count("pk"))
        return {row["state"]: row["n"] for row in rows}


class Ball(models.Model):
    """An idea, concern or challenge sent in by anyone.

    Its history (`events`) starts with a "received" step that the database writes in the same
    statement as the ball, however the ball is inserted (migration 0008's trigger)."""

    # Unique through Meta.constraints: the field's own unique=True would add a second index
    # for LIKE searches, which a token never gets.
    token = models.CharField(max_length=40, default=new_ball_token, editable=False)
    # The public form's submission key (udsathed/core/submissions.py): one ball per form
    # and content.
    form_key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=BallKind.choices)
    title = CprMaskedCharField(_("title"), max_length=160, counted_in="cpr_masked")
    description = CprMaskedTextField(_("description"), max_length=5000, counted_in="cpr_masked")
    public_title = CprMaskedCharField(
        _("public title"),
        max_length=160,
        blank=True,
        help_text=_(
            "Shown on the network's public page. Write it without names or personal details; "
            "leave it empty to keep the ball off the public pages."
        ),
    )
    themes = models.ManyToManyField(
        Theme, related_name="balls", blank=True, verbose_name=_("themes")
    )
    core_areas = models.ManyToManyField(
        CoreArea, related_name="balls", blank=True, verbose_name=_("core areas")
    )
    contact_name = models.CharField(_("sender's name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("sender's e-mail"), blank=True)
    contact_phone = models.CharField(_("sender's phone"), max_length=20, blank=True)
    contact_consent = models.BooleanField(_("may be contacted"), default=False)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="da"
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=BallState.choices,
        default=BallState.RECEIVED,
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="balls",
        verbose_name=_("network"),
        db_index=False,  # the (network, state) index serves it
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    public_answer = CprMaskedTextField(
        _("public answer"),
        max_length=5000,
        blank=True,
        help_text=_("The answer the sender sees. Explain the decision, also when it is no."),
    )
    # Counts only what the sender wrote: their status page tells them numbers were hidden.
    cpr_masked = CprMaskedCountField(_("CPR numbers masked"), default=0, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    contact_erased_at = models.DateTimeField(_("contact details erased"), null=True, blank=True)

    objects = BallQuerySet.as_manager()

    class Meta:
        verbose_name = _("ball")
        verbose_name_plural = _("balls")
        ordering = ["-received_at"]
        # Each index is written on every new ball: state alone is served by (state,
        # received_at), the network alone by (network, state).
        indexes = [
            models.Index(fields=["state", "received_at"]),
            models.Index(fields=["network", "state"]),
            models.Index(fields=["closed_at"], name="ball_closed_at_idx"),  # dashboard
        ]
        constraints = [models.UniqueConstraint(fields=["token"], name="ball_token_unique")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("networks:ball-status", kwargs={"token": self.token})

    @property
    def is_closed(self) -> bool:
        return self.state in BallState.closed()

    def allowed_transitions(self) -> list[str]:
        return TRANSITIONS.get(self.state, [])

    @property
    def response_due(self):
        """The promise: the first response comes within BALL_FIRST_RESPONSE_DAYS days."""
        return self.received_at + timedelta(days=first_response_days())

    def is_overdue(self, now=None) -> bool:
        return self.first_response_at is None and (now or timezone.now()) > self.response_due


class AnswerTemplateQuerySet(models.QuerySet):
    def active(self) -> AnswerTemplateQuerySet:
        return self.filter(is_active=True)


class AnswerTemplate(models.Model):
    """A reusable public answer for a ball's step (mostly closing or declining)."""

    title = models.CharField(_("name"), max_length=120)
    state = models.CharField(
        _("for the step"),
        max_length=12,
        choices=BallState.choices,
        default=BallState.DONE,
        help_text=_("The state the ball moves to when this answer is used."),
    )
    text = CprMaskedTextField(_("answer in Danish"), max_length=5000)
    text_en = CprMaskedTextField(
        _("answer in English"),
        max_length=5000,
        blank=True,
        help_text=_("Used for senders who wrote in English. Empty: the Danish text is used."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = AnswerTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["state", "position", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    def text_for(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text


class BallEvent(models.Model):
    """One step in a ball's life: who moved it where, when, and what the sender was told."""

    ball = models.ForeignKey(
        Ball, on_delete=models.CASCADE, related_name="events", verbose_name=_("ball")
    )
    from_state = models.CharField(_("from"), max_length=12, choices=BallState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=BallState.choices)
    network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("network")
    )
    public_note = CprMaskedTextField(_("message to the sender"), max_length=5000, blank=True)
    is_public = models.BooleanField(_("shown to the sender"), default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("ball step")
        verbose_name_plural = _("ball steps")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_state_display() or '–'} → {self.get_to_state_display()}"


class BallComment(models.Model):
    """An internal note on a ball by staff (project leaders, the network's leads)."""

    ball = models.ForeignKey(
        Ball, on_delete=models.CASCADE, related_name="comments", verbose_name=_("ball")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = CprMaskedTextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("internal comment")
        verbose_name_plural = _("internal comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Invitation(models.Model):
    """An ambassador invited to a network by a project leader; accepting makes them a member."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("network")
    )
    ball = models.ForeignKey(
        Ball,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("for the ball"),
    )
    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("ambassador"),
    )
    token = models.CharField(max_length=40, unique=True, default=new_ball_token, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "ambassador"],
                condition=Q(state="pending"),
                name="one_pending_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ambassador} → {self.network}"

    def get_absolute_url(self) -> str:
        return reverse("networks:invitation-answer", kwargs={"token": self.token})

    @property
    def is_pending(self) -> bool:
        return self.state == InvitationState.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.state == InvitationState.ACCEPTED


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
        return self.annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            ),
            waitlist_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
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

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["state", "starts_at"])]
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
