"""Answer templates for balls (#10): pick one when closing or declining, edit, single or bulk."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from networks.models import AnswerTemplate, BallState
from tests.networks.factories import BallFactory


def make_templates():
    done = AnswerTemplate.objects.create(
        title="Løst",
        state="done",
        text="Tak, bolden er løst.",
        text_en="Thank you, the ball has been dealt with.",
    )
    declined = AnswerTemplate.objects.create(
        title="Uden for rammen", state="declined", text="Tak, men det ligger uden for strategien."
    )
    AnswerTemplate.objects.create(title="Gammel", state="done", text="Forældet", is_active=False)
    return done, declined


def test_insert_edit_and_close_with_a_template(
    client, project_leader, fredericia, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):  # fmt: skip
    done, declined = make_templates()
    ball = BallFactory(state=BallState.ASSESSING)
    client.force_login(project_leader)
    url = reverse("admin:networks_ball_transition", args=[ball.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert "Løst" in page.text and "Gammel" not in page.text
    assert 'data-text="Tak, bolden er løst."' in page.text
    assert "js/answer-templates.js" in page.text
    # Without the script: 'Insert' fills in the answer and the step, and moves nothing.
    inserted = client.post(url, {"template": declined.pk, "insert_template": "1"})
    assert inserted.status_code == 200
    assert "Tak, men det ligger uden for strategien.</textarea>" in inserted.text
    assert 'value="declined" selected' in inserted.text
    ball.refresh_from_db()
    assert ball.state == BallState.ASSESSING
    # The answer is edited before it is sent.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "template": declined.pk,
                "to_state": "declined",
                "public_note": "Tak, men det ligger uden for strategien. Prøv Borgerservice.",
            },
        )
    assert response.status_code == 302
    ball.refresh_from_db()
    assert ball.state == BallState.DECLINED
    assert ball.public_answer.endswith("Prøv Borgerservice.")
    assert "Prøv Borgerservice." in mail.outbox[-1].body


def test_a_chosen_template_with_an_empty_answer_is_used_in_the_senders_language(
    client, project_leader, fredericia
):
    done, _ = make_templates()
    ball = BallFactory(state=BallState.IN_ACTION, language="en")
    client.force_login(project_leader)
    url = reverse("admin:networks_ball_transition", args=[ball.pk])
    client.post(url, {"template": done.pk, "to_state": "done", "public_note": ""})
    ball.refresh_from_db()
    assert ball.state == BallState.DONE
    assert ball.public_answer == "Thank you, the ball has been dealt with."


def test_bulk_close_with_an_answer(client, project_leader, fredericia):
    done, _ = make_templates()
    danish = BallFactory(state=BallState.ASSESSING)
    english = BallFactory(state=BallState.IN_ACTION, language="en")
    closed = BallFactory(state=BallState.DONE, public_answer="Allerede svaret")
    selected = [danish.pk, english.pk, closed.pk]
    client.force_login(project_leader)
    changelist = reverse("admin:networks_ball_changelist")
    page = client.post(changelist, {"action": "answer_selected", ACTION_CHECKBOX_NAME: selected})
    assert page.status_code == 200 and "Luk eller afvis 3 bolde med et svar" in page.text
    inserted = client.post(
        changelist,
        {"action": "answer_selected", ACTION_CHECKBOX_NAME: selected, "template": done.pk,
         "insert_template": "1"},
    )  # fmt: skip
    assert "Tak, bolden er løst.</textarea>" in inserted.text
    missing = client.post(
        changelist,
        {"action": "answer_selected", ACTION_CHECKBOX_NAME: selected, "to_state": "done",
         "text": "", "apply": "1"},
    )  # fmt: skip
    assert missing.status_code == 200 and 'aria-invalid="true"' in missing.text
    response = client.post(
        changelist,
        {"action": "answer_selected", ACTION_CHECKBOX_NAME: selected, "to_state": "done",
         "text": "Tak, bolden er løst. Vi ses til stormødet.",
         "text_en": "Thank you. See you at the plenary meeting.", "apply": "1"},
        follow=True,
    )  # fmt: skip
    assert "Flyttede 2 bolde; 1 kunne ikke tage det skridt." in response.text
    danish.refresh_from_db()
    english.refresh_from_db()
    closed.refresh_from_db()
    assert danish.public_answer == "Tak, bolden er løst. Vi ses til stormødet."
    assert english.public_answer == "Thank you. See you at the plenary meeting."
    assert closed.public_answer == "Allerede svaret"


def test_answer_templates_in_the_admin(client, project_leader, fredericia):
    make_templates()
    client.force_login(project_leader)
    assert client.get(reverse("admin:networks_answertemplate_changelist")).status_code == 200
    assert client.get(reverse("admin:networks_answertemplate_add")).status_code == 200
