"""A person's questionnaire requests: erased when they withdraw, listed in their data export.

Connected to `ambassadors.signals` in `EvaluationConfig.ready()`, because `ambassadors` may not
import this app.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from ambassadors.models import Ambassador
from evaluation.models import Respondent, Response, new_response_token
from udsathed.core.adminlog import admin_log_forget


@transaction.atomic
def person_erase(*, ambassador: Ambassador, now: datetime) -> None:
    """Cut the person off from their questionnaires, keeping the round's counts.

    Each request stays (who was asked and whether they answered count in the response rate),
    but its personal link is replaced, so the old one leads nowhere, and a filled-in response
    no longer points to the request: the answers stay in the results, tied to no one.
    """
    requests = Respondent.objects.filter(ambassador=ambassador)
    pks = list(requests.values_list("pk", flat=True))
    Response.objects.filter(respondent__in=pks).update(respondent=None)
    for respondent in Respondent.objects.select_for_update().filter(pk__in=pks):
        respondent.token = new_response_token()
        respondent.save(update_fields=["token"])
    admin_log_forget(model=Respondent, pks=pks)


def person_export(*, ambassador: Ambassador) -> dict[str, list[dict[str, Any]]]:
    """The questionnaires the person was asked to fill in, with their answers."""

    def when(value):
        return value.isoformat() if value else None

    requests = (
        Respondent.objects.filter(ambassador=ambassador)
        .select_related("round", "response")
        .prefetch_related("response__answers__question")
        .order_by("created_at", "pk")
    )
    rows = []
    for respondent in requests:
        response = getattr(respondent, "response", None)
        answers = response.answers.all() if response else []
        rows.append(
            {
                "round": respondent.round.title,
                "chosen": when(respondent.created_at),
                "sent": when(respondent.sent_at),
                "answered": when(respondent.answered_at),
                "answers": [
                    {"question": a.question.text, "score": a.score, "answer": a.text}
                    for a in answers
                ],
            }
        )
    return {"questionnaire_requests": rows}


# Receivers of ambassadors.signals, connected in EvaluationConfig.ready().


def on_ambassador_erased(sender, *, ambassador, now, **kwargs) -> None:
    person_erase(ambassador=ambassador, now=now)


def on_ambassador_exporting(sender, *, ambassador, **kwargs):
    return person_export(ambassador=ambassador)
