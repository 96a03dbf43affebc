"""Background work for evaluation rounds, run by `manage.py db_worker`.

Resumable like `networks.tasks`: each respondent is stamped when their mail has gone, in the
same small transaction, so a worker that dies halfway is started again without doubles.
"""

from __future__ import annotations

from django.tasks import task

from ambassadors.models import counts_as_ambassador
from evaluation.models import Respondent
from udsathed.core.mail import absolute_url, build_email, send_each


@task
def send_questionnaires(round_id: int) -> int:
    """Mail the personal questionnaire link to each chosen ambassador not mailed yet."""

    def build(respondent):
        return build_email(
            to=respondent.ambassador.email,
            template="evaluation/email/questionnaire",
            context={
                "ambassador": respondent.ambassador,
                "round": respondent.round,
                "link": absolute_url(respondent.get_absolute_url()),
            },
            language=respondent.ambassador.language,
        )

    pending = (
        Respondent.objects.filter(
            counts_as_ambassador("ambassador__"),
            round_id=round_id,
            sent_at__isnull=True,
            answered_at__isnull=True,
        )
        .select_related("round", "ambassador")
        .order_by("pk")
    )
    return send_each(pending, build, "sent_at")
