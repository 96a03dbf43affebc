"""Goals come with the strategy file; loading it again changes nothing and keeps admin goals."""

from datetime import date

import pytest

from evaluation.models import Goal, Metric
from tests.evaluation.factories import GoalFactory
from themes.services import STRATEGY_DIR, StrategyFileError, strategy_load


def test_fredericia_file_brings_the_three_process_goals(fredericia):
    goals = {goal.slug: goal for goal in fredericia.goals.all()}
    assert set(goals) == {
        "ambassadoerer-2020",
        "lokale-ambassadoerer-2020",
        "initiativer-2019-2020",
    }
    assert goals["ambassadoerer-2020"].metric == Metric.CONFIRMED_AMBASSADORS
    assert goals["ambassadoerer-2020"].target == 150
    assert goals["ambassadoerer-2020"].period_end == date(2020, 12, 31)
    assert goals["lokale-ambassadoerer-2020"].target == 20
    assert goals["initiativer-2019-2020"].period_start == date(2019, 1, 1)


def test_loading_again_is_idempotent_and_keeps_goals_from_the_admin(fredericia):
    later = GoalFactory(
        strategy=fredericia,
        slug="stormoede-2026",
        metric=Metric.PLENARY_MEETINGS,
        target=1,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    result = strategy_load(path=STRATEGY_DIR / "fredericia.toml")
    assert not result.changed
    assert Goal.objects.filter(pk=later.pk).exists()
    assert fredericia.goals.count() == 4


def test_an_edited_goal_is_restored_from_the_file(fredericia):
    goal = fredericia.goals.get(slug="ambassadoerer-2020")
    goal.target = 99
    goal.save()
    result = strategy_load(path=STRATEGY_DIR / "fredericia.toml")
    assert "updated goals[0]" in result.changes
    goal.refresh_from_db()
    assert goal.target == 150


def test_frederiksberg_has_no_goals(db):
    strategy = strategy_load(path=STRATEGY_DIR / "frederiksberg.toml").strategy
    assert strategy.goals.count() == 0


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        ('metric = "likes"', "goals[0].metric"),
        ('target = "many"', "goals[0].target: must be a number"),
        ('period_start = "2019"', "goals[0].period_start: must be a date"),
        ('colour = "red"', "goals[0].colour: unknown field"),
    ],
)
def test_bad_goals_in_the_file_are_refused(tmp_path, db, goal, message):
    text = (STRATEGY_DIR / "fredericia.toml").read_text(encoding="utf-8")
    key = goal.split(" = ")[0]
    lines = []
    replaced = False
    for line in text.splitlines():
        if not replaced and line.startswith(f"{key} = ") and "[[goals]]" in "\n".join(lines):
            lines.append(goal)
            replaced = True
        else:
            lines.append(line)
    if not replaced:  # a field the goals do not have: add it to the first goal
        index = lines.index("[[goals]]")
        lines.insert(index + 1, goal)
    path = tmp_path / "fredericia.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(StrategyFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        strategy_load(path=path)
    assert Goal.objects.count() == 0


def test_evaluation_demo_is_idempotent(fredericia):
    from evaluation.models import EvaluationRound
    from udsathed.demo.evaluation import build_evaluation_demo

    assert build_evaluation_demo() == {"goals": 2, "evaluation rounds": 1}
    assert build_evaluation_demo() == {"goals": 0, "evaluation rounds": 0}
    round = EvaluationRound.objects.get(slug="evaluering-2021")
    assert round.questions.count() == 5
    assert round.recommendations.count() == 3
