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


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120, validators=PLAIN)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    needs = forms.CharField(
        label=_("Accessibility or dietary needs (optional)"),
        max_length=1000,
        required=False,
        validators=PLAIN,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Deleted automatically 30 days after the activity."),
    )
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, ambassador=None, **kwargs):
        super().__init__(*args, **kwargs)
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
