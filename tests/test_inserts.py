"""`insert_new` (udsathed/inserts.py) writes what `save()` would, for the models it is used on."""

import pytest
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

from evaluation.signals import _changed
from networks.models import Ball, BallEvent, BallState
from tests.networks.factories import NetworkFactory
from udsathed.inserts import insert_new

USED_ON = [Ball, BallEvent]


def row(instance):
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_the_row_written_is_the_instance_as_save_would_write_it(db):
    network = NetworkFactory()
    ball = Ball(kind="idea", title="Bænk", description="Ved havnen", network=network)
    insert_new(ball)
    assert ball.pk and not ball._state.adding
    assert row(Ball.objects.get(pk=ball.pk)) == row(ball)
    event = insert_new(BallEvent(ball=ball, from_state="", to_state=BallState.RECEIVED))
    stored = BallEvent.objects.get(pk=event.pk)
    assert row(stored) == row(event)
    assert stored.created_at is not None and stored.is_public  # the model's defaults


@pytest.mark.parametrize("model", USED_ON)
def test_the_models_it_is_used_on_lose_nothing_by_skipping_save(model):
    # No save() of their own and no save signal but the data version, which the caller moves.
    assert model.save is Model.save
    assert pre_save._live_receivers(model) == ([], [])
    assert post_save._live_receivers(model) == ([_changed], [])


def test_only_new_rows(db):
    ball = Ball(kind="idea", title="Bænk", description="Ved havnen")
    ball.save()
    with pytest.raises(ValueError, match="new rows only"):
        insert_new(ball)
