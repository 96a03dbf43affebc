import pytest
from django import forms

from networks.forms import BallForm
from networks.models import Ball, BallKind

BALL = {"kind": "idea", "title": "Flere bænke", "description": "Ved havnen."}


def test_the_ball_form_is_a_model_form_so_lengths_and_choices_are_declared_once():
    assert issubclass(BallForm, forms.ModelForm) and BallForm._meta.model is Ball
    form = BallForm()
    for name in ("title", "description", "contact_name", "contact_email", "contact_phone"):
        assert form.fields[name].max_length == Ball._meta.get_field(name).max_length
    assert list(form.fields["kind"].choices) == BallKind.choices  # no empty radio button


def test_the_ball_form_never_saves_a_ball_past_the_service(db):
    form = BallForm(data=BALL)
    assert form.is_valid(), form.errors
    with pytest.raises(NotImplementedError):
        form.save()
    assert not Ball.objects.exists()
