"""Writes about balls: receiving one, moving it from step to step, answering a duplicate."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from networks.models import (
    NEEDS_ANSWER,
    NEEDS_NETWORK,
    Ball,
    BallEvent,
    BallState,
    Network,
    NetworkState,
)
from themes.models import CoreArea, Theme
from udsathed.core.cpr import mask_cpr
from udsathed.core.mail import absolute_url, build_email, send_after_commit
from udsathed.core.submissions import submission_key

logger = logging.getLogger(__name__)


def _notify_sender(ball: Ball, event: BallEvent) -> None:
    if not ball.contact_email or ball.contact_erased_at:
        return
    message = build_email(
        to=ball.contact_email,
        template="networks/email/ball_step",
        context={"ball": ball, "event": event, "link": absolute_url(ball.get_absolute_url())},
        language=ball.language,
    )
    send_after_commit(message)


def ball_record_received(*, ball: Ball, actor=None) -> BallEvent:
    """The first step of every ball's history: received, when and (for staff) by whom."""
    return BallEvent.objects.create(
        ball=ball,
        from_state="",
        to_state=BallState.RECEIVED,
        is_public=True,
        actor=actor,
        created_at=ball.received_at,
    )


def ball_submit(
    *,
    kind: str,
    title: str,
    description: str,
    themes: Iterable[Theme] = (),
    core_areas: Iterable[CoreArea] = (),
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    contact_consent: bool = False,
    publish_consent: bool = False,
    language: str = "da",
    form_key: str = "",
) -> Ball:
    """Receive a ball. CPR numbers in any free text are masked before anything is saved.

    `form_key`: the form's one-time key. The same form sent again with the same content (a
    double click, a retry after a lost answer) returns the ball it made the first time; sent
    with other content (back, edit, send) it makes a new ball. The ball's token, the secret of
    its status page, is always made here, never taken from the form."""
    themes, core_areas = list(themes), list(core_areas)
    key = submission_key(
        form_key,
        kind,
        title,
        description,
        sorted(getattr(theme, "pk", theme) for theme in themes),
        sorted(getattr(area, "pk", area) for area in core_areas),
        contact_name,
        contact_email,
        contact_phone,
        contact_consent,
        publish_consent,
    )
    if key and (existing := Ball.objects.filter(form_key=key).first()):
        logger.info("Ball form sent again: the ball it made the first time is shown")
        return existing
    # The title and description are masked (and counted into cpr_masked) by their model fields;
    # the sender's name is no free-text field, but a sender may put anything in it.
    contact_name, masked_in_name = mask_cpr(contact_name)
    ball = Ball(
        kind=kind,
        title=title,
        description=description,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        contact_consent=contact_consent and bool(contact_email or contact_phone),
        publish_consent=publish_consent,
        language=language,
        cpr_masked=masked_in_name,
        form_key=key,
    )
    # Unique fields are left to the database: the token is 192 random bits.
    ball.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            ball.save()
            ball_record_received(ball=ball)
            # A new ball has no links yet: add only what was chosen (set() would first read them).
            if themes:
                ball.themes.add(*themes)
            if core_areas:
                ball.core_areas.add(*core_areas)
    except IntegrityError:
        # The same submission at the same instant (two workers): the first one's ball counts.
        existing = Ball.objects.filter(form_key=key).first() if key else None
        if existing is None:
            raise
        return existing
    if ball.cpr_masked:
        logger.info("Ball #%s: masked %s CPR numbers", ball.pk, ball.cpr_masked)
    if ball.contact_email:
        message = build_email(
            to=ball.contact_email,
            template="networks/email/ball_receipt",
            context={"ball": ball, "link": absolute_url(ball.get_absolute_url())},
            language=language,
        )
        send_after_commit(message)
    return ball


@transaction.atomic
def ball_transition(
    *,
    ball: Ball,
    to_state: str,
    actor=None,
    public_note: str = "",
    network: Network | None = None,
    duplicate_of: Ball | None = None,
) -> BallEvent:
    """Move a ball to a new state, record who did it, and tell the sender.

    Closing (done), declining or closing as a duplicate needs a public answer: being heard is
    not the same as getting one's wish, and the decision must be explained (for a duplicate:
    what it repeats, see `ball_duplicate_answer`). Passing on needs a network; a duplicate needs
    the original ball. The first move away from 'received' is the ball's first response.
    """
    ball = Ball.objects.select_for_update().get(pk=ball.pk)
    public_note = public_note.strip()  # CPR numbers: masked by the model fields it is saved in
    errors = {}
    if to_state not in ball.allowed_transitions():
        errors["to_state"] = _("A ball cannot go from “%(from)s” to “%(to)s”.") % {
            "from": ball.get_state_display(),
            "to": BallState(to_state).label if to_state in BallState.values else to_state,
        }
    if to_state == BallState.DUPLICATE and not public_note:
        errors["public_note"] = _(
            "Tell the sender in plain words which ball this one duplicates before you close it."
        )
    elif to_state in NEEDS_ANSWER and not public_note:
        errors["public_note"] = _("Write the answer the sender will see before closing the ball.")
    if to_state in NEEDS_NETWORK:
        network = network or ball.network
        if network is None:
            errors["network"] = _("Choose the network that takes the ball.")
    if to_state == BallState.DUPLICATE and (duplicate_of is None or duplicate_of.pk == ball.pk):
        errors["duplicate_of"] = _("Choose the other ball that this one duplicates.")
    elif (
        to_state == BallState.DUPLICATE
        and ball.duplicates.filter(pk=duplicate_of.pk, state=BallState.DUPLICATE).exists()
    ):
        errors["duplicate_of"] = _(
            "That ball is already a duplicate of this one. Reopen it first, or choose another ball."
        )
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    from_state = ball.state
    ball.state = to_state
    if network is not None:
        ball.network = network
    # A ball reopened from "duplicate" no longer counts among the original's duplicates.
    ball.duplicate_of = duplicate_of if to_state == BallState.DUPLICATE else None
    if to_state in NEEDS_ANSWER:
        ball.public_answer = public_note
    if ball.first_response_at is None:
        ball.first_response_at = now
    ball.closed_at = now if ball.is_closed else None
    ball.save()
    event = BallEvent.objects.create(
        ball=ball,
        from_state=from_state,
        to_state=to_state,
        network=ball.network if to_state in NEEDS_NETWORK else None,
        public_note=public_note,
        actor=actor,
        created_at=now,
    )
    _notify_sender(ball, event)
    return event


def ball_duplicate_answer(*, ball: Ball, original: Ball) -> str:
    """A suggested public answer for closing `ball` as a duplicate of `original`, in the
    sender's language, for the project leader to read and edit. The original is named only by
    its public title (and its network's public page): never by its own words or its sender, and
    not at all when it has no public title."""
    with translation.override(ball.language):
        if not original.public_title:
            return _(
                "Thank you for your ball. The same matter has already reached us from someone "
                "else, so we deal with the two together. That is why this ball is closed as a "
                "duplicate; the work goes on with the other one."
            )
        answer = _(
            "Thank you for your ball. The same matter has already reached us as “%(title)s”, "
            "so we deal with the two together. That is why this ball is closed as a duplicate; "
            "the work goes on with “%(title)s”."
        ) % {"title": original.public_title}
        network = original.network
        if network is not None and network.state != NetworkState.PLANNED:
            answer += " " + _("You can follow it on the page of %(network)s: %(link)s") % {
                "network": network.name,
                "link": absolute_url(network.get_absolute_url()),
            }
        return answer
