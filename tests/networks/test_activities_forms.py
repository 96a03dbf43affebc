import pytest
from django import forms

from networks.forms import RegistrationForm
from networks.models import Registration


def test_the_registration_form_is_a_model_form_so_lengths_are_declared_once():
    assert issubclass(RegistrationForm, forms.ModelForm)
    assert RegistrationForm._meta.model is Registration
    form = RegistrationForm()
    for name in ("name", "email", "needs"):
        assert form.fields[name].max_length == Registration._meta.get_field(name).max_length


def test_the_registration_form_never_saves_a_registration_past_the_service(db):
    form = RegistrationForm(data={"name": "Åse", "email": "aase@example.dk"})
    assert form.is_valid(), form.errors
    with pytest.raises(NotImplementedError):
        form.save()
    assert not Registration.objects.exists()
