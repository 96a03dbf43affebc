import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from evaluation.models import Goal, QuestionKind, Respondent
from evaluation.services import response_submit
from tests.ambassadors.factories import AmbassadorFactory, ParticipationFactory
from tests.evaluation.factories import (
    EvaluationRoundFactory,
    IndicatorFactory,
    QuestionFactory,
    RespondentFactory,
)
from tests.factories import UserFactory

CHANGELISTS = ["goal", "indicator", "evaluationround"]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_committee_member_views_but_cannot_change(client, committee_member, fredericia, model):
    client.force_login(committee_member)
    assert client.get(reverse(f"admin:evaluation_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:evaluation_{model}_add")).status_code == 403
    goal = fredericia.goals.first()
    change = client.get(reverse("admin:evaluation_goal_change", args=[goal.pk]))
    assert change.status_code == 200
    assert 'name="target"' not in change.content.decode()  # read-only
    response = client.post(reverse("admin:evaluation_goal_change", args=[goal.pk]), {"target": "1"})
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.target == 150


@pytest.mark.parametrize("model", CHANGELISTS)
def test_project_leader_opens_changelists_and_add_pages(client, project_leader, fredericia, model):
    client.force_login(project_leader)
    assert client.get(reverse(f"admin:evaluation_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:evaluation_{model}_add")).status_code == 200


def test_project_leader_adds_a_goal_for_a_later_period(client, project_leader, fredericia):
    client.force_login(project_leader)
    response = client.post(
        reverse("admin:evaluation_goal_add"),
        {
            "strategy": fredericia.pk,
            "slug": "stormoede-2026",
            "position": 0,
            "title_da": "Mindst ét stormøde i 2026",
            "metric": "plenary_meetings",
            "target": "1",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert response.status_code == 302
    assert Goal.objects.filter(slug="stormoede-2026").exists()


def test_goal_with_bad_input_is_refused(client, project_leader, fredericia):
    client.force_login(project_leader)
    response = client.post(
        reverse("admin:evaluation_goal_add"),
        {
            "strategy": fredericia.pk,
            "slug": "forkert",
            "position": 0,
            "title_da": "Forkert",
            "metric": "share_living_locally",
            "target": "120",
            "period_start": "2026-12-31",
            "period_end": "2026-01-01",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "En procentdel kan ikke være mere end 100." in text
    assert "Perioden kan ikke slutte, før den begynder." in text
    assert not Goal.objects.filter(slug="forkert").exists()


@pytest.mark.django_db(transaction=True)
def test_questionnaire_is_sent_in_the_background_once(client, groups):
    from django_tasks_db.models import DBTaskResult

    from themes.services import STRATEGY_DIR, strategy_load

    strategy_load(path=STRATEGY_DIR / "fredericia.toml")
    leader = UserFactory(is_staff=True)
    leader.groups.add(groups[0])
    round = EvaluationRoundFactory()
    active = AmbassadorFactory.create_batch(3)
    for ambassador in active:
        ParticipationFactory(ambassador=ambassador)
    AmbassadorFactory()  # passive: not chosen by the action
    client.force_login(leader)
    changelist = reverse("admin:evaluation_evaluationround_changelist")
    client.post(changelist, {"action": "choose_active_ambassadors", "_selected_action": [round.pk]})
    assert Respondent.objects.count() == 3
    client.post(changelist, {"action": "send_questionnaire", "_selected_action": [round.pk]})
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in active)
    assert "/evaluering/svar/" in mail.outbox[0].body
    client.post(changelist, {"action": "send_questionnaire", "_selected_action": [round.pk]})
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 3


def test_results_per_question_for_staff(client, project_leader, committee_member, fredericia):
    round = EvaluationRoundFactory()
    scale = QuestionFactory(round=round, text="Hvor tilfreds er du?")
    text = QuestionFactory(round=round, kind=QuestionKind.TEXT, text="Hvad mangler?")
    for score, words in [(5, "Mere tid"), (3, ""), (5, "Bedre kaffe")]:
        response_submit(
            respondent=RespondentFactory(round=round), answers={scale.pk: score, text.pk: words}
        )
    url = reverse("admin:evaluation_evaluationround_results", args=[round.pk])
    for user in (project_leader, committee_member):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "4,3" in html  # (5 + 3 + 5) / 3
        assert "Mere tid" in html and "Bedre kaffe" in html
    client.force_login(
        AmbassadorFactory and __import__("tests.factories").factories.UserFactory(is_staff=True)
    )
    assert client.get(url).status_code in (302, 403)


def test_indicator_admin_shows_measurement_count(client, project_leader, fredericia):
    indicator = IndicatorFactory()
    client.force_login(project_leader)
    response = client.get(reverse("admin:evaluation_indicator_change", args=[indicator.pk]))
    assert response.status_code == 200
