"""The public registration form of an activity."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ambassadors.forms import (
    HONEYPOT_FIELD,
    PLAIN,
)
from networks.models import Registration


class RegistrationForm(forms.ModelForm):
    """A form of the registration model, so lengths are the model's; it never saves the
    registration itself: the view hands its cleaned data to `services.registration_create`,
    which counts the seats and sends the ticket."""

    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = Registration
        fields = ["name", "email", "needs"]
        labels = {
            "name": _("Your name"),
            "email": _("E-mail"),
            "needs": _("Accessibility or dietary needs (optional)"),
        }
        help_texts = {"needs": _("Deleted automatically 30 days after the activity.")}
        widgets = {"needs": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, ambassador=None, **kwargs):
        super().__init__(*args, **kwargs)
        # What a person types is plain text; the model leaves that to the forms.
        for name in ("name", "needs"):
            self.fields[name].validators[:0] = PLAIN
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if ambassador is not None:
            # The ambassador proved their e-mail through their link; it is not typed again.
            self.fields["name"].initial = ambassador.name
            self.fields["email"].initial = ambassador.email
            self.fields["email"].disabled = True
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "name",
            "email",
            "needs",
            Div(HONEYPOT_FIELD, css_class="portal-honeypot", aria_hidden="true"),
            Submit("register", _("Register")),
        )

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))

    def save(self, commit=True):
        raise NotImplementedError(
            "A registration is made by services.registration_create, never saved here."
        )
