"""Validators for what people type into public forms. Messages are shown next to the field."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters except tab, newline and carriage return; also bidirectional
# overrides, which can make text read differently from what it says.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript:", re.IGNORECASE)
_PHONE = re.compile(r"^(?:\+45|0045)?[2-9][0-9]{7}$")
_POSTCODE = re.compile(r"^[0-9]{4}$")


def validate_no_control_characters(value: str) -> None:
    if _CONTROL.search(value or ""):
        raise ValidationError(
            _("The text contains invisible control characters. Please type it again."),
            code="control_characters",
        )


def validate_no_markup(value: str) -> None:
    if _MARKUP.search(value or ""):
        raise ValidationError(
            _("Please write plain text without HTML or code (no < and > around words)."),
            code="markup",
        )


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s\-().]", "", value or "")


def validate_danish_phone(value: str) -> None:
    """Danish numbers: 8 digits, optionally with +45 or 0045 in front; spaces are fine."""
    if value and not _PHONE.match(normalise_phone(value)):
        raise ValidationError(
            _("Enter a Danish phone number with 8 digits, for example 72 10 50 00."),
            code="phone",
        )


def validate_postcode(value: str) -> None:
    if not _POSTCODE.match(value or ""):
        raise ValidationError(_("Enter a postcode with 4 digits."), code="postcode")
