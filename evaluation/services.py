"""Writes for evaluation rounds: choosing respondents, sending the questionnaire, answering."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ambassadors.models import Ambassador
from evaluation.models import Answer, EvaluationRound, QuestionKind, Respondent, Response


class AlreadyAnswered(Exception):
    """The personal link was used before; a questionnaire counts once per person."""


@transaction.atomic
def round_add_respondents(*, round: EvaluationRound, ambassadors: QuerySet[Ambassador]) -> int:
    """Choose ambassadors to answer the round; choosing someone twice changes nothing.

    Only confirmed ambassadors who are not lapsed or withdrawn can be chosen.
    """
    before = round.respondents.count()
    chosen = ambassadors.confirmed().values_list("pk", flat=True)
    Respondent.objects.bulk_create(
        (Respondent(round=round, ambassador_id=pk) for pk in chosen.iterator()),
        ignore_conflicts=True,
        batch_size=1000,
    )
    return round.respondents.count() - before


@transaction.atomic
def round_send_questionnaire(*, round: EvaluationRound) -> int:
    """Mail the personal link to every chosen ambassador not mailed yet, in the background."""
    from evaluation.tasks import send_questionnaires

    waiting = round.respondents.filter(sent_at__isnull=True).count()
    transaction.on_commit(lambda: send_questionnaires.enqueue(round.pk))
    return waiting


def response_submit(*, respondent: Respondent, answers: dict[int, int | str | None]) -> Response:
    """Store one filled-in questionnaire for `respondent`; `answers` maps question ids to a score
    (scale questions) or a text (free-text questions). Raises AlreadyAnswered on a second try:
    the unique respondent on Response makes sure a person counts once, also when two submits
    race each other."""
    try:
        with transaction.atomic():
            respondent = Respondent.objects.select_for_update().get(pk=respondent.pk)
            if respondent.answered_at:
                raise AlreadyAnswered
            response = Response.objects.create(round_id=respondent.round_id, respondent=respondent)
            questions = respondent.round.questions.all()
            rows = []
            for question in questions:
                value = answers.get(question.pk)
                if value in (None, ""):
                    continue
                if question.kind == QuestionKind.SCALE:
                    rows.append(Answer(response=response, question=question, score=int(value)))
                else:
                    rows.append(Answer(response=response, question=question, text=str(value)))
            Answer.objects.bulk_create(rows)
            respondent.answered_at = timezone.now()
            respondent.save(update_fields=["answered_at"])
            return response
    except IntegrityError as exc:
        raise AlreadyAnswered from exc
