"""The networks app's forms, one module per concept: `balls` (the public ball form and the
project leaders' step and bulk-answer forms) and `activities` (the registration form).
Everything is importable from `networks.forms` as before."""

from networks.forms.activities import RegistrationForm
from networks.forms.balls import (
    FORM_KEY,
    AnswerTemplateSelect,
    BallForm,
    BallTransitionForm,
    BulkAnswerForm,
)

__all__ = [
    "FORM_KEY",
    "AnswerTemplateSelect",
    "BallForm",
    "BallTransitionForm",
    "BulkAnswerForm",
    "RegistrationForm",
]
