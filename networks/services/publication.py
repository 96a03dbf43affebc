"""What became of the balls, in public: the sender's consent, publishing and unpublishing, and
the counts shown above the public list.

A ball is shown in public only when its sender agreed and a project leader published it with a
public title and summary in their own words. The sender's name, contact and own text are never
shown; of its history only the moves and the answers it got."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import (
    NEEDS_ANSWER,
    Ball,
    BallEvent,
    BallEventKind,
    BallState,
    first_response_days,
)
from themes.models import CoreArea, Theme
from udsathed.core.cache import public_pages_forget
from udsathed.core.smallcounts import suppressed


def _step(*, ball: Ball, kind: str, actor=None, now: datetime) -> BallEvent:
    return BallEvent.objects.create(
        ball=ball,
        kind=kind,
        from_state=ball.state,
        to_state=ball.state,
        is_public=True,
        actor=actor,
        created_at=now,
    )


@transaction.atomic
def ball_publish(*, ball: Ball, actor=None) -> BallEvent | None:
    """Show the ball on the public pages. Only when its sender agreed and it has a public title
    and summary; publishing an already published ball changes nothing (returns None)."""
    ball = Ball.objects.select_for_update().get(pk=ball.pk)
    if ball.published_at is not None:
        return None
    errors = {}
    if not ball.publish_consent:
        errors["publish_consent"] = _("The sender has not agreed to show the ball in public.")
    if not ball.public_title.strip():
        errors["public_title"] = _("Write a public title before publishing.")
    if not ball.public_summary.strip():
        errors["public_summary"] = _("Write a public summary before publishing.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    ball.published_at = now
    ball.full_clean(validate_unique=False)
    ball.save(update_fields=["published_at"])
    return _step(ball=ball, kind=BallEventKind.PUBLISHED, actor=actor, now=now)


@transaction.atomic
def ball_unpublish(*, ball: Ball, actor=None) -> BallEvent | None:
    """Take the ball off the public pages (returns None when it was not published)."""
    ball = Ball.objects.select_for_update().get(pk=ball.pk)
    if ball.published_at is None:
        return None
    ball.published_at = None
    ball.save(update_fields=["published_at"])
    public_pages_forget()
    return _step(ball=ball, kind=BallEventKind.UNPUBLISHED, actor=actor, now=timezone.now())


@transaction.atomic
def ball_consent_change(*, ball: Ball, consent: bool) -> Ball:
    """The sender says yes or no to showing the ball in public, at any time. Saying no takes a
    published ball off the public pages at once."""
    ball = Ball.objects.select_for_update().get(pk=ball.pk)
    if ball.publish_consent == consent:
        return ball
    now = timezone.now()
    ball.publish_consent = consent
    fields = ["publish_consent"]
    if not consent and ball.published_at is not None:
        ball.published_at = None
        fields.append("published_at")
        ball.save(update_fields=fields)
        public_pages_forget()
        _step(ball=ball, kind=BallEventKind.UNPUBLISHED, now=now)
    else:
        ball.save(update_fields=fields)
    _step(ball=ball, kind=BallEventKind.CONSENT, now=now)
    return ball


@dataclass(frozen=True)
class BallRecord:
    """The counts above the public list, over every ball, published or not: those received this
    year, and where all balls are now (`by_state`)."""

    year: int
    received: int
    answered: int
    due: int  # answered, or past the promised days: the balls the share is taken over
    in_time: int
    by_state: dict[str, int]
    promise_days: int

    @property
    def share_in_time(self) -> int | None:
        """Percent answered within the promised days; None when the small-count rule hides a
        share over so few balls."""
        if suppressed("share_of_balls", self.in_time, base=self.due):
            return None
        return round(100 * self.in_time / self.due)

    @property
    def states(self) -> list[tuple[str, int]]:
        return [(label, self.by_state.get(value, 0)) for value, label in BallState.choices]


def ball_record(*, now: datetime | None = None) -> BallRecord:
    """How many balls came in this year, how many were answered and how fast, and how many of
    all balls are in each state: published or not, in one query."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    start = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    promise = timedelta(days=first_response_days())
    this_year = Q(received_at__gte=start)
    answered = this_year & Q(first_response_at__isnull=False)
    # Counted by state (never empty) rather than by key: the index on (state, received_at)
    # including first_response_at then answers alone, without reading every ball's row.
    aggregates = {
        "received": Count("state", filter=this_year),
        "answered": Count("state", filter=answered),
        "in_time": Count(
            "state", filter=answered & Q(first_response_at__lte=F("received_at") + promise)
        ),
        "due": Count("state", filter=answered | (this_year & Q(received_at__lt=now - promise))),
    }
    # The states are counted over every ball ever received: where they all are now.
    for value in BallState.values:
        aggregates[f"state_{value}"] = Count("state", filter=Q(state=value))
    row = Ball.objects.aggregate(**aggregates)
    return BallRecord(
        year=local.year,
        received=row["received"],
        answered=row["answered"],
        due=row["due"],
        in_time=row["in_time"],
        by_state={value: row[f"state_{value}"] for value in BallState.values},
        promise_days=first_response_days(),
    )


def public_steps():
    """The steps the public sees: the moves shown to the sender, never internal ones, and
    never the notes of steps that are not answers (those are written to the sender)."""
    return (
        BallEvent.objects.filter(is_public=True, kind=BallEventKind.MOVE)
        .select_related("network")
        .only(
            "pk",
            "ball_id",
            "to_state",
            "created_at",
            "network__name_da",  # the name in both languages: the page falls back to Danish
            "network__name_en",
            "network__slug",
            "network__state",
        )
        .order_by("created_at", "pk")
    )


def public_answers():
    """The answers the public sees: the notes of the steps that close a ball."""
    return (
        BallEvent.objects.filter(is_public=True, kind=BallEventKind.MOVE, to_state__in=NEEDS_ANSWER)
        .exclude(public_note="")
        .only("pk", "ball_id", "to_state", "public_note", "created_at")
        .order_by("created_at", "pk")
    )


# What of a ball the public may see, and what its pages and the feed link to. Never the sender's
# name, contact or own text.
PUBLIC_COLUMNS = (
    "pk",
    "kind",
    "state",
    "public_title",
    "public_summary",
    "public_answer",
    "publish_consent",
    "received_at",
    "first_response_at",
    "closed_at",
    "published_at",
    "network__name_da",  # the name in both languages: the page falls back to Danish
    "network__name_en",
    "network__slug",
    "network__state",
)


def published_balls():
    """Published balls with only the columns the public may see, and what they link to."""
    return (
        Ball.objects.published()
        .select_related("network")
        .only(*PUBLIC_COLUMNS)
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number")),
            Prefetch("core_areas", queryset=CoreArea.objects.order_by("position")),
            Prefetch("events", queryset=public_answers(), to_attr="public_answers"),
        )
    )
