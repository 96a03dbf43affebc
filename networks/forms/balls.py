"""The ball forms: the public form that sends a ball, and the project leaders' forms that move
one ball or answer many."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ambassadors.forms import (
    HONEYPOT_FIELD,
    PLAIN,
    CoreAreaChoiceField,
    FormKeyForm,
    ThemeChoiceField,
)
from networks.models import AnswerTemplate, Ball, BallKind, BallState, Network, NetworkState
from networks.services import ball_duplicate_answer
from themes.models import CoreArea, Theme
from udsathed.core.validators import normalise_phone, validate_danish_phone

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{32}")


class BallForm(FormKeyForm, forms.ModelForm):
    """The public form: anyone can send an idea, a concern or a challenge, also anonymously.

    A form of the ball model, so lengths and choices are the model's; it never saves the ball
    itself: the view hands its cleaned data to `services.ball_submit`, which masks, records the
    received step and sends the receipt. Its one-time key (`form_key`) makes the same form sent
    twice with the same content one ball (udsathed/core/submissions.py); it is never the ball's
    token."""

    # Only the strategy in force, with numbered labels; the model allows any theme.
    themes = ThemeChoiceField(
        label=_("Themes it concerns (optional)"),
        queryset=Theme.objects.of_active_strategy(),  # cloned per form, evaluated when used
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    core_areas = CoreAreaChoiceField(
        label=_("Core areas it concerns (optional)"),
        queryset=CoreArea.objects.of_active_strategy(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["form_key"]  # the key first, the honeypot last, as the page draws them

    class Meta:
        model = Ball
        fields = [
            "kind",
            "title",
            "description",
            "themes",
            "core_areas",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_consent",
            "publish_consent",
        ]
        labels = {
            "kind": _("What do you send?"),
            "title": _("Title"),
            "description": _("Describe your idea or concern"),
            "contact_name": _("Your name (optional)"),
            "contact_email": _("Your e-mail (optional)"),
            "contact_phone": _("Your phone (optional)"),
            "contact_consent": _("You may contact me about the ball"),
            "publish_consent": _("You may tell the public what became of my ball"),
        }
        help_texts = {
            "description": _(
                "Do not write CPR numbers, names or health details of other people. If you do, "
                "we hide CPR numbers before saving. At most 5000 characters."
            ),
            "contact_email": _(
                "With an e-mail you get a receipt and news each time the ball moves."
            ),
            "publish_consent": _(
                "If you say yes, staff may write a short summary of the ball in their own "
                "words and show it with the answer on the public list. Never your name, your "
                "contact details or what you wrote. You can change your mind on the ball's page."
            ),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A list of radio buttons has no empty choice: none checked is the empty answer.
        self.fields["kind"].choices = BallKind.choices
        # What a person types is plain text; the model leaves that to the forms.
        for name in ("title", "description", "contact_name"):
            self.fields[name].validators[:0] = PLAIN
        self.fields["contact_phone"].validators[:0] = [validate_danish_phone]

    @cached_property
    def helper(self) -> FormHelper:
        """The layout, built only when the form is drawn (not for a valid submission)."""
        helper = FormHelper()
        helper.attrs = {"novalidate": ""}
        helper.layout = Layout(
            Fieldset(_("Your ball"), "kind", "title", "description", "themes", "core_areas"),
            Fieldset(_("Shown in public?"), "publish_consent"),
            Fieldset(
                _("Contact (optional: you may stay anonymous)"),
                "contact_name",
                "contact_email",
                "contact_phone",
                "contact_consent",
                HTML(
                    '<p class="small"><a href="{}">{}</a></p>'.format(
                        reverse_lazy("privacy"), _("Read the privacy notice")
                    )
                ),
            ),
            "form_key",
            Div(HONEYPOT_FIELD, css_class="portal-honeypot", aria_hidden="true"),
            Submit("send", _("Send the ball")),
        )
        return helper

    def clean_form_key(self):
        # Anything but a key this portal could have drawn is ignored: a tampered form loses
        # only its protection against a double click.
        key = self.cleaned_data["form_key"]
        return key if FORM_KEY.fullmatch(key) else ""

    def clean_contact_phone(self):
        return normalise_phone(self.cleaned_data.get("contact_phone", ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact_consent") and not (
            cleaned.get("contact_email") or cleaned.get("contact_phone")
        ):
            self.add_error(
                "contact_consent",
                _("Give an e-mail or a phone number if we may contact you."),
            )
        return cleaned

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))

    def save(self, commit=True):
        raise NotImplementedError("A ball is received by services.ball_submit, never saved here.")


class AnswerTemplateSelect(forms.Select):
    """Each option carries its step and its text in the sender's language, so a small script
    can fill in the answer (which stays editable); without the script, 'Insert' does it."""

    def __init__(self, *args, language: str = "da", **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        template = getattr(value, "instance", None)
        if template is not None:
            option["attrs"]["data-state"] = template.state
            option["attrs"]["data-text"] = template.text_for(self.language)
            option["attrs"]["data-text-en"] = template.text_en or ""
        return option


class BallTransitionForm(forms.Form):
    """The project leader's step: where the ball goes next and what the sender is told."""

    template = forms.ModelChoiceField(
        label=_("Answer template"),
        queryset=AnswerTemplate.objects.none(),
        required=False,
        help_text=_("Choose one to fill in the answer below; you can edit it before you move."),
    )
    to_state = forms.ChoiceField(label=_("New state"))
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.exclude(state=NetworkState.CLOSED),
        required=False,
    )
    duplicate_of = forms.ModelChoiceField(
        label=_("Duplicate of"), queryset=Ball.objects.none(), required=False
    )
    public_note = forms.CharField(
        label=_("Message to the sender"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Required when closing, declining or marking as a duplicate. Explain the decision "
            "in plain words."
        ),
    )

    def __init__(self, *args, ball: Ball, **kwargs):
        super().__init__(*args, **kwargs)
        self.ball = ball
        self.fields["to_state"].choices = [
            (state, BallState(state).label) for state in ball.allowed_transitions()
        ]
        self.fields["duplicate_of"].queryset = Ball.objects.exclude(pk=ball.pk).only("pk", "title")
        self.fields["duplicate_of"].widget = forms.NumberInput()
        self.fields["duplicate_of"].help_text = _(
            "The number of the other ball, e.g. 17. Press “Insert” with no template chosen to "
            "get an answer that names its public title."
        )
        if ball.network_id:
            self.fields["network"].initial = ball.network_id
        self.fields["template"].queryset = AnswerTemplate.objects.active().filter(
            state__in=ball.allowed_transitions()
        )
        self.fields["template"].widget = AnswerTemplateSelect(language=ball.language)
        self.fields["template"].widget.choices = self.fields["template"].choices
        self.fields["template"].widget.attrs["data-fills"] = "id_public_note"

    def with_template_inserted(self) -> BallTransitionForm:
        """The 'Insert' button (no script): the same form with the template's text and step."""
        initial = {name: self.data.get(name) for name in self.fields}
        chosen = str(initial.get("template") or "")
        template = (
            self.fields["template"].queryset.filter(pk=chosen).first() if chosen.isdigit() else None
        )
        if template is not None:
            initial["public_note"] = template.text_for(self.ball.language)
            initial["to_state"] = template.state
        elif initial.get("to_state") == BallState.DUPLICATE and (
            original := self._chosen_original(initial.get("duplicate_of"))
        ):
            initial["public_note"] = ball_duplicate_answer(ball=self.ball, original=original)
        return BallTransitionForm(initial=initial, ball=self.ball)

    def _chosen_original(self, value) -> Ball | None:
        value = str(value or "").strip()
        if not value.isdigit():
            return None
        return (
            Ball.objects.exclude(pk=self.ball.pk)
            .select_related("network")
            .only(
                "pk",
                "public_title",
                "network__name_da",
                "network__name_en",
                "network__slug",
                "network__state",
            )
            .filter(pk=value)
            .first()
        )


class BulkAnswerForm(forms.Form):
    """Close or decline many balls at once with one answer, in Danish and English."""

    template = forms.ModelChoiceField(
        label=_("Answer template"),
        queryset=AnswerTemplate.objects.none(),
        required=False,
    )
    to_state = forms.ChoiceField(
        label=_("New state"),
        choices=[
            (BallState.DONE, BallState.DONE.label),
            (BallState.DECLINED, BallState.DECLINED.label),
        ],
    )
    text = forms.CharField(
        label=_("Answer in Danish"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Every sender gets this answer; it can be edited before you move the balls."),
    )
    text_en = forms.CharField(
        label=_("Answer in English"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For senders who wrote in English. Empty: they get the Danish answer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        field.queryset = AnswerTemplate.objects.active().filter(
            state__in=[BallState.DONE, BallState.DECLINED]
        )
        field.widget = AnswerTemplateSelect(
            attrs={"data-fills": "id_text", "data-fills-en": "id_text_en"}
        )
        field.widget.choices = field.choices

    def with_template_inserted(self) -> BulkAnswerForm:
        initial = {name: self.data.get(name) for name in self.fields}
        chosen = str(initial.get("template") or "")
        template = (
            self.fields["template"].queryset.filter(pk=chosen).first() if chosen.isdigit() else None
        )
        if template is not None:
            initial.update(
                text=template.text_da, text_en=template.text_en or "", to_state=template.state
            )
        return BulkAnswerForm(initial=initial)

    def answer_for(self, ball: Ball) -> str:
        data = self.cleaned_data
        return data["text_en"] if ball.language == "en" and data["text_en"] else data["text"]
