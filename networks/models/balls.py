"""Balls (ideas, concerns and challenges), their steps, comments and answer templates, and the
invitations that gather ambassadors around a ball in a network.

A ball rolls in from anyone and lands in triage: received → being assessed → passed to a
network → in action → done; or declined; or a duplicate of another ball. Every move is recorded
with who and when; public moves are shown to the sender on their private status page."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Ambassador
from networks.models.networks import Network
from networks.models.tokens import new_ball_token
from themes.models import CoreArea, Theme
from udsathed.core.fields import CprMaskedCharField, CprMaskedCountField, CprMaskedTextField
from udsathed.core.translation import text_in


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


def first_response_days() -> int:
    return settings.BALL_FIRST_RESPONSE_DAYS


def sees_every_ball(user) -> bool:
    """Project leaders and superusers handle every ball; anyone else only their networks'."""
    return user.is_superuser or user.has_perm("networks.change_ball")


def sees_published_only(user) -> bool:
    """Committee members read the public record of the balls in the admin: the published balls
    and only what is public of them, never the free text. Someone who also leads a network
    sees that network's balls instead, as a lead."""
    return (
        not sees_every_ball(user)
        and user.has_perm("networks.view_published_ball")
        and not Network.objects.led_by(user).exists()
    )


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
        """Project leaders see every ball; network leads only those of their own networks;
        committee members only the published ones (`sees_published_only`)."""
        if sees_every_ball(user):
            return self
        if sees_published_only(user):
            return self.published()
        return self.filter(network__in=Network.objects.led_by(user))

    def published(self) -> BallQuerySet:
        """Balls on the public pages: the sender agreed and a project leader published them."""
        return self.filter(published_at__isnull=False, publish_consent=True)

    def with_public_answer(self) -> BallQuerySet:
        """Published balls that have got their answer (the feed): closed, the answer given."""
        return self.published().closed().exclude(public_answer="")

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
            "Shown on the public pages once the ball is published. Write it in your own words, "
            "without names or personal details."
        ),
    )
    public_summary = CprMaskedTextField(
        _("public summary"),
        max_length=2000,
        blank=True,
        help_text=_(
            "What the ball is about, in your own words, for the public pages. Never copy the "
            "sender's text, and leave out anything that could tell who sent it."
        ),
    )
    # Asked on the form: may the public be told what became of the ball? Never the sender's
    # name, contact or own words; the sender can change it on the status page.
    publish_consent = models.BooleanField(_("may be shown in public"), default=False)
    published_at = models.DateTimeField(
        _("published"), null=True, blank=True, editable=False, db_index=True
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
        permissions = [("view_published_ball", _("Can view the public record of balls"))]
        # Each index is written on every new ball: state alone is served by (state,
        # received_at), the network alone by (network, state). The first including
        # first_response_at lets the public record's counts over all balls read it alone.
        indexes = [
            models.Index(
                fields=["state", "received_at"],
                include=["first_response_at"],
                name="ball_state_received_idx",
            ),
            models.Index(fields=["network", "state"]),
            models.Index(fields=["closed_at"], name="ball_closed_at_idx"),  # dashboard
        ]
        constraints = [
            models.UniqueConstraint(fields=["token"], name="ball_token_unique"),
            # Never public without the sender's word and a text of staff's own.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (Q(publish_consent=True) & ~Q(public_title="") & ~Q(public_summary="")),
                name="ball_published_needs_consent_and_summary",
                violation_error_message=_(
                    "A ball is published only when its sender agreed and it has a public "
                    "title and a public summary."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("networks:ball-status", kwargs={"token": self.token})

    def get_public_url(self) -> str:
        return reverse("networks:ball-public-detail", kwargs={"number": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.publish_consent

    def can_publish(self) -> bool:
        """The sender agreed and staff wrote a public title and summary."""
        return self.publish_consent and bool(self.public_title and self.public_summary)

    @property
    def days_to_first_response(self) -> int | None:
        if self.first_response_at is None:
            return None
        return (self.first_response_at - self.received_at).days

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
    # In Danish and English (networks/translation.py); senders who wrote in English get the
    # English text, or the Danish one where no English was written.
    text = CprMaskedTextField(_("answer"), max_length=5000)
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
        return text_in(self, "text", language)


class BallEventKind(models.TextChoices):
    MOVE = "move", _("Moved")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Taken off the public pages")
    CONSENT = "consent", _("Consent changed")


class BallEvent(models.Model):
    """One step in a ball's life: who moved it where, when, and what the sender was told.

    Most steps move the ball (`kind` "move"); publishing, unpublishing and the sender's change
    of consent are steps too, with the state left as it was."""

    ball = models.ForeignKey(
        Ball, on_delete=models.CASCADE, related_name="events", verbose_name=_("ball")
    )
    kind = models.CharField(
        _("kind of step"), max_length=12, choices=BallEventKind.choices, default=BallEventKind.MOVE
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
        if self.kind != BallEventKind.MOVE:
            return self.get_kind_display()
        return f"{self.get_from_state_display() or '–'} → {self.get_to_state_display()}"

    @property
    def is_answer(self) -> bool:
        """A closing step: its note is the answer the ball got (shown once it is published)."""
        return self.kind == BallEventKind.MOVE and self.to_state in NEEDS_ANSWER


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
