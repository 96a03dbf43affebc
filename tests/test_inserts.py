"""CompiledInsert (udsathed/inserts.py) writes what Model.save() writes, signals included."""

import pytest
from django.db import connection
from django.db.models import signals
from django.db.models.functions import Now
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from networks.models import Ball, BallKind
from udsathed.inserts import CompiledInsert

pytestmark = pytest.mark.django_db


def new_ball(**extra):
    data = {
        "kind": BallKind.CONCERN,
        "title": "Bænke ved havnen",
        "description": "Der mangler bænke, skriver Ånne.",
        "contact_name": "Ånne",
        "contact_email": "aanne@example.dk",
        "contact_consent": True,
        "language": "en",
        "cpr_masked": 2,
    }
    return Ball(**{**data, **extra})


def stored(ball):
    row = model_to_dict(Ball.objects.get(pk=ball.pk), exclude=["id", "token", "received_at"])
    return row | {"token_matches": Ball.objects.filter(pk=ball.pk, token=ball.token).exists()}


def test_the_row_is_the_one_save_writes_and_the_sql_is_compiled_once():
    insert = CompiledInsert(Ball)
    ours, django = new_ball(), new_ball()
    insert.save(ours)
    django.save()
    assert ours.pk and ours.pk != django.pk and not ours._state.adding
    assert stored(ours) == stored(django)
    assert Ball.objects.get(pk=ours.pk).received_at == ours.received_at
    compiled = dict(insert._sql)
    with CaptureQueriesContext(connection) as queries:
        again = insert.save(new_ball(title="Endnu en"))
    assert insert._sql == compiled and len(queries) == 1
    assert Ball.objects.get(pk=again.pk).title == "Endnu en"


def test_signals_are_sent_as_by_save():
    sent = []

    def note(signal, sender, instance, **kwargs):
        sent.append((signal, instance.pk, kwargs.get("created")))

    signals.pre_save.connect(note, sender=Ball)
    signals.post_save.connect(note, sender=Ball)
    try:
        ball = CompiledInsert(Ball).save(new_ball())
    finally:
        signals.pre_save.disconnect(note, sender=Ball)
        signals.post_save.disconnect(note, sender=Ball)
    assert [(s, pk, created) for s, pk, created in sent] == [
        (signals.pre_save, None, None),
        (signals.post_save, ball.pk, True),
    ]


def test_an_expression_is_saved_the_ordinary_way():
    ball = CompiledInsert(Ball).save(new_ball(received_at=Now()))
    ball.refresh_from_db()
    assert ball.received_at is not None and ball.events.get().created_at == ball.received_at


def test_only_new_objects():
    ball = CompiledInsert(Ball).save(new_ball())
    with pytest.raises(ValueError, match="only new objects"):
        CompiledInsert(Ball).save(ball)
