"""Writes for evaluation rounds: choosing respondents, sending the questionnaire, answering."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ambassadors.models import Ambassador
from evaluation.models import (
    Answer,
    EvaluationRound,
    Goal,
    QuestionKind,
    Respondent,
    Response,
)
from themes.models import Strategy
from themes.services import LoadResult, sync_row


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


def goals_sync(*, strategy: Strategy, rows: list[dict[str, Any]], result: LoadResult) -> None:
    """Create or update the strategy file's goals, matched on slug. Goals added in the admin
    (for later periods) are not in the file and are kept."""
    existing = {goal.slug: goal for goal in strategy.goals.all()}
    for i, row in enumerate(rows):
        values = {
            "title_en": "",
            "description": "",
            "description_en": "",
            **row,
            "target": Decimal(str(row["target"])),
            "position": i,
            "strategy": strategy,
        }
        sync_row(result, f"goals[{i}]", existing.get(row["slug"]), Goal, values)


def on_strategy_loaded(sender, *, strategy, data, result, **kwargs) -> None:
    """The goals are the evaluation's part of a strategy file (`themes.signals`)."""
    goals_sync(strategy=strategy, rows=data["goals"], result=result)
