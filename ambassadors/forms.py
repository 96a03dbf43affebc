from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ambassadors.models import (
    MAX_STORY_PICTURES,
    PROFILE_FIELDS,
    Ambassador,
    AmbassadorKind,
    Story,
)
from themes.models import CoreArea, Theme
from udsathed.core.pictures import PictureField
from udsathed.core.submissions import new_form_key
from udsathed.core.validators import (
    normalise_phone,
    validate_danish_phone,
    validate_no_control_characters,
    validate_no_markup,
    validate_postcode,
)

PLAIN = [validate_no_control_characters, validate_no_markup]
HONEYPOT_FIELD = "homepage"
# An ambassador's texts as people type them: plain text, Danish phone numbers and postcodes. The
# public forms, Min side and the import of an existing list check them alike.
AMBASSADOR_VALIDATORS = {
    "name": PLAIN,
    "organisation_name": PLAIN,
    "description": PLAIN,
    "skills": PLAIN,
    "phone": [validate_danish_phone],
    "postcode": [validate_postcode],
}


class FormKeyForm(forms.Form):
    """A form with a one-time key in each drawing of it, so the same form sent twice (a double
    click, a retry) makes one row (udsathed/core/submissions.py)."""

    form_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_key", new_form_key())


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.title}"


class CoreAreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AmbassadorFieldsMixin:
    """Field definitions and rules shared by the sign-up form and the self-service form."""

    def add_interest_fields(self):
        self.fields["themes"] = ThemeChoiceField(
            label=_("Themes you care about"),
            queryset=Theme.objects.of_active_strategy(),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["core_areas"] = CoreAreaChoiceField(
            label=_("Core areas you care about"),
            queryset=CoreArea.objects.of_active_strategy(),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )

    def shared_fieldsets(self):
        return [
            Fieldset(
                _("For associations, organisations and companies"),
                "organisation_name",
                "description",
                "website",
                "show_in_directory",
            ),
            Fieldset(_("Your interests"), "themes", "core_areas", "skills"),
        ]

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        return normalise_phone(phone)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def prepare_ambassador_fields(self):
        """What the model cannot say: plain text only, Danish phone numbers and postcodes,
        radios without an empty choice. Lengths, choices and the organisation rule
        (`Ambassador.clean()`) come from the model."""
        for name, validators in AMBASSADOR_VALIDATORS.items():
            self.fields[name].validators += validators
        self.fields["postcode"].required = True
        self.fields["kind"].choices = AmbassadorKind.choices  # radios need no empty choice
        self.add_interest_fields()


class AmbassadorSignUpForm(AmbassadorFieldsMixin, forms.ModelForm):
    """The public sign-up; `services.ambassador_sign_up` makes the row from its cleaned data."""

    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and accept that my details are stored"),
        error_messages={"required": _("You must accept the privacy notice to sign up.")},
    )
    # Honeypot: hidden from people, filled in by robots.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = Ambassador
        fields = [
            "kind",
            "name",
            "email",
            "phone",
            "postcode",
            "organisation_name",
            "description",
            "website",
            "skills",
            "show_in_directory",
            "accepts_newsletter",
        ]
        labels = {
            "kind": _("I sign up as"),
            "name": _("Your name"),
            "email": _("E-mail"),
            "phone": _("Phone (optional)"),
            "postcode": _("Postcode"),
            "organisation_name": _("Name of the association, organisation or company"),
            "description": _("Short description of the organisation"),
            "website": _("Website"),
            "skills": _("What you can offer (optional)"),
            "show_in_directory": _("Show our organisation in the public directory of ambassadors"),
            "accepts_newsletter": _("Send me the newsletter by e-mail"),
        }
        help_texts = {
            "email": _("We send a link to this address. You confirm by clicking it."),
            "description": _("Shown in the directory if you choose so. At most 1000 characters."),
            "skills": _(
                "For example knowledge, a network, premises or a few hours a month. Please do not "
                "write about other people's health or private matters."
            ),
            "show_in_directory": _("Only for associations, organisations and companies."),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
            "skills": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.prepare_ambassador_fields()
        privacy_url = reverse_lazy("privacy")
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("About you"), "kind", "name", "email", "phone", "postcode"),
            *self.shared_fieldsets(),
            Fieldset(
                _("Consent"),
                "accepts_newsletter",
                HTML(
                    '<p class="small"><a href="{}">{}</a></p>'.format(
                        privacy_url, _("Read the privacy notice")
                    )
                ),
                "accept_privacy",
            ),
            Div(HONEYPOT_FIELD, css_class="portal-honeypot", aria_hidden="true"),
            Submit("submit", _("Sign up as ambassador")),
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def validate_unique(self):
        pass  # the sign-up never tells whether an address is known; the service decides

    def validate_constraints(self):
        pass  # the same: the e-mail constraint would tell who has signed up

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


class AmbassadorProfileForm(AmbassadorFieldsMixin, forms.ModelForm):
    """What an ambassador can change on 'Min side' (the e-mail address is fixed)."""

    class Meta:
        model = Ambassador
        fields = [*PROFILE_FIELDS, "show_in_directory", "accepts_newsletter"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "skills": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepare_ambassador_fields()
        self.initial["themes"] = list(self.instance.themes.all())
        self.initial["core_areas"] = list(self.instance.core_areas.all())
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(_("About you"), "kind", "name", "phone", "postcode", "language"),
            *self.shared_fieldsets(),
            Fieldset(_("Newsletter"), "accepts_newsletter"),
            Submit("save", _("Save changes")),
        )

    def validate_unique(self):
        pass  # the e-mail is not edited here, so there is nothing to compare


class LoginLinkForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail"), max_length=254)
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "email",
            Div(HONEYPOT_FIELD, css_class="portal-honeypot", aria_hidden="true"),
            Submit("send", _("Send me a link")),
        )

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))


class StoryForm(FormKeyForm, forms.ModelForm):
    """An ambassador's story for the newsletter and/or Facebook, with up to three pictures;
    `services.story_submit` makes the rows from its cleaned data."""

    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = Story
        fields = ["title", "text", "use", "people_consented"]
        labels = {
            "title": _("Title"),
            "text": _("Your story"),
            "use": _("Where may we use it?"),
            "people_consented": _(
                "The people who can be recognised in the pictures have agreed that we use them"
            ),
        }
        help_texts = {
            "text": _(
                "A new volunteer, an event, a milestone, something funny that happened. Do not "
                "write CPR numbers or health details about other people. At most 5000 characters."
            ),
            "people_consented": "",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 8}), "use": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "text"):
            self.fields[name].validators += PLAIN
        picture_fields = []
        for n in range(1, MAX_STORY_PICTURES + 1):
            self.fields[f"picture_{n}"] = PictureField(
                label=_("Picture %(n)s (optional)") % {"n": n}, required=False
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=_("What does picture %(n)s show?") % {"n": n},
                max_length=250,
                required=False,
                validators=PLAIN,
                help_text=_("A short description for people who cannot see the picture."),
            )
            picture_fields += [f"picture_{n}", f"alt_{n}"]
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # crispy adds the enctype of a form with files
        self.helper.layout = Layout(
            Fieldset(_("Your story"), "title", "text", "use"),
            Fieldset(_("Pictures"), *picture_fields, "people_consented"),
            "form_key",
            Div(HONEYPOT_FIELD, css_class="portal-honeypot", aria_hidden="true"),
            Submit("send", _("Send the story")),
        )

    def clean(self):
        cleaned = super().clean()
        pictures = []
        for n in range(1, MAX_STORY_PICTURES + 1):
            picture, alt = cleaned.get(f"picture_{n}"), cleaned.get(f"alt_{n}", "").strip()
            if picture and not alt:
                self.add_error(f"alt_{n}", _("Describe what the picture shows."))
            if picture:
                pictures.append((picture, alt))
        if pictures and not cleaned.get("people_consented"):
            self.add_error(
                "people_consented",
                _("We can only use pictures when the people in them have agreed."),
            )
        cleaned["pictures"] = pictures
        return cleaned

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD))
