from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from networks import services
from networks.models import Ball, BallState
from tests.networks.factories import BallFactory, NetworkFactory


def submit(committed, **extra):
    data = {"kind": "concern", "title": "Bænke ved havnen", "description": "Der mangler bænke."}
    return committed(services.ball_submit, **{**data, **extra})


def test_submit_masks_cpr_numbers_everywhere_and_mails_a_receipt(db, committed):
    ball = submit(
        committed,
        title="Om 010203-1234",
        description="Borgeren 0102031234 og 311299–4321 har brug for hjælp. Ring 72105000.",
        contact_name="Anna",
        contact_email="anna@example.dk",
    )
    ball.refresh_from_db()
    assert ball.title == "Om 010203-XXXX"
    assert "010203-XXXX" in ball.description and "311299-XXXX" in ball.description
    assert "72105000" in ball.description  # a phone number is not a CPR number
    assert "1234" not in ball.description and "4321" not in ball.description
    assert ball.cpr_masked == 3
    assert ball.events.get().to_state == BallState.RECEIVED
    assert len(mail.outbox) == 1 and ball.token in mail.outbox[0].body


def test_every_ball_starts_with_one_received_step(db):
    ball = services.ball_submit(kind="idea", title="Bold", description="x")
    step = ball.events.get()
    assert (step.from_state, step.to_state, step.created_at) == ("", "received", ball.received_at)
    assert step.is_public and step.actor is None


def test_a_ball_and_its_received_step_are_saved_together(transactional_db, monkeypatch):
    def fail(**kwargs):
        raise IntegrityError("the step could not be written")

    monkeypatch.setattr(services.balls, "ball_record_received", fail)
    with pytest.raises(IntegrityError):
        services.ball_submit(kind="idea", title="Bænke", description="Ved havnen.")
    assert not Ball.objects.exists()


def test_a_ball_with_core_areas_is_saved_whole_or_not_at_all(transactional_db):
    # A core area removed between the form's check and the save: the link fails at commit,
    # and the ball goes with it.
    with pytest.raises(IntegrityError):
        services.ball_submit(kind="idea", title="Bænke", description="x", core_areas=[999_999])
    assert not Ball.objects.exists()


def test_anonymous_ball_sends_no_mail(db, committed):
    ball = submit(committed)
    assert ball.contact_email == "" and mail.outbox == []
    assert len(ball.token) >= 32


def test_transition_records_who_and_when_and_tells_the_sender(db, committed, project_leader):
    network = NetworkFactory(standing=True)
    ball = submit(committed, contact_email="s@example.dk")
    committed(
        services.ball_transition,
        ball=ball,
        to_state=BallState.PASSED,
        actor=project_leader,
        network=network,
        public_note="Vi giver bolden videre.",
    )
    ball.refresh_from_db()
    assert ball.state == BallState.PASSED and ball.network == network
    assert ball.first_response_at is not None
    event = ball.events.last()
    assert (event.actor, event.from_state, event.to_state) == (
        project_leader,
        BallState.RECEIVED,
        BallState.PASSED,
    )
    assert "Vi giver bolden videre." in mail.outbox[-1].body


def test_closing_needs_a_public_answer(db, project_leader):
    ball = BallFactory(state=BallState.ASSESSING)
    with pytest.raises(ValidationError) as error:
        services.ball_transition(ball=ball, to_state=BallState.DONE, actor=project_leader)
    assert "public_note" in error.value.message_dict
    ball.refresh_from_db()
    assert ball.state == BallState.ASSESSING
    assert not ball.events.exclude(to_state=BallState.RECEIVED).exists()
    services.ball_transition(
        ball=ball, to_state=BallState.DECLINED, actor=project_leader, public_note="Nej, fordi..."
    )
    ball.refresh_from_db()
    assert ball.state == BallState.DECLINED and ball.public_answer == "Nej, fordi..."
    assert ball.closed_at is not None


@pytest.mark.parametrize(
    ("start", "to", "extra", "field"),
    [
        (BallState.RECEIVED, BallState.DONE, {"public_note": "x"}, "to_state"),
        (BallState.RECEIVED, BallState.PASSED, {}, "network"),
        (BallState.RECEIVED, BallState.DUPLICATE, {}, "duplicate_of"),
        (BallState.DONE, BallState.IN_ACTION, {}, "to_state"),
        (BallState.RECEIVED, "nonsense", {}, "to_state"),
    ],
)
def test_disallowed_steps_are_refused(db, start, to, extra, field):
    ball = BallFactory(state=start)
    with pytest.raises(ValidationError) as error:
        services.ball_transition(ball=ball, to_state=to, **extra)
    assert field in error.value.message_dict


def test_duplicate_points_to_the_other_ball(db):
    original = BallFactory()
    copy = BallFactory()
    services.ball_transition(
        ball=copy, to_state=BallState.DUPLICATE, duplicate_of=original, public_note="Se den anden."
    )
    copy.refresh_from_db()
    assert copy.duplicate_of == original and copy.is_closed


def test_overdue_after_the_promised_days(db, settings):
    settings.BALL_FIRST_RESPONSE_DAYS = 10
    now = timezone.now()
    late = BallFactory(received_at=now - timedelta(days=11))
    BallFactory(received_at=now - timedelta(days=9))
    answered = BallFactory(received_at=now - timedelta(days=30), first_response_at=now)
    assert list(Ball.objects.overdue()) == [late]
    assert late.is_overdue() and not answered.is_overdue()
