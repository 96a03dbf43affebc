"""A ball closed as a duplicate tells its sender what it duplicates, and the original knows."""

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks import services
from networks.admin import BallAdmin
from networks.models import Ball, BallState
from tests.networks.factories import BallFactory


@pytest.fixture
def original(db):
    return BallFactory(
        title="Bænke ved Kongens Port (skrevet af Jens Hansen)",
        public_title="Flere bænke ved voldene",
        contact_name="Jens Hansen",
    )


def test_duplicate_needs_public_answer(client, project_leader, original):
    copy = BallFactory(contact_email="kopi@example.dk")
    with pytest.raises(ValidationError) as error:
        services.ball_transition(ball=copy, to_state=BallState.DUPLICATE, duplicate_of=original)
    assert "public_note" in error.value.message_dict
    copy.refresh_from_db()
    assert copy.state == BallState.RECEIVED

    client.force_login(project_leader)
    url = reverse("admin:networks_ball_transition", args=[copy.pk])
    response = client.post(url, {"to_state": "duplicate", "duplicate_of": original.pk})
    assert response.status_code == 200
    assert "public_note" in response.context["form"].errors
    response = client.post(url, {"to_state": "duplicate", "duplicate_of": 999999})
    assert response.status_code == 200  # an unknown number is a form error, not a 500
    copy.refresh_from_db()
    assert copy.state == BallState.RECEIVED

    # Two balls cannot be each other's duplicate; once reopened, the pointer is gone.
    first, second = BallFactory.create_batch(2)
    services.ball_transition(
        ball=first, to_state=BallState.DUPLICATE, duplicate_of=second, public_note="Se den."
    )
    with pytest.raises(ValidationError) as error:
        services.ball_transition(
            ball=second, to_state=BallState.DUPLICATE, duplicate_of=first, public_note="Se den."
        )
    assert "duplicate_of" in error.value.message_dict
    services.ball_transition(ball=first, to_state=BallState.ASSESSING)
    first.refresh_from_db()
    assert first.duplicate_of is None and not second.duplicates.exists()
    services.ball_transition(
        ball=second, to_state=BallState.DUPLICATE, duplicate_of=first, public_note="Se den."
    )

    # "Insert" without a template suggests an answer naming the original's PUBLIC title only.
    response = client.post(
        url, {"to_state": "duplicate", "duplicate_of": original.pk, "insert_template": "1"}
    )
    form = response.context["form"]
    suggested = form.initial["public_note"]
    assert "Flere bænke ved voldene" in suggested
    assert "Jens Hansen" not in suggested and "Kongens Port" not in suggested
    assert "Jens Hansen" not in response.content.decode().split("<textarea")[1].split("</")[0]
    assert form.initial["to_state"] == "duplicate"

    # An original without a public title is named by nothing of its own.
    private = BallFactory(title="Min nabo Karen larmer", contact_name="Karen")
    text = services.ball_duplicate_answer(ball=copy, original=private)
    assert text and "Karen" not in text and "larmer" not in text


def test_duplicate_answer_reaches_sender(
    client, project_leader, original, django_capture_on_commit_callbacks, mailoutbox
):
    copy = BallFactory(contact_email="kopi@example.dk")
    client.force_login(project_leader)
    url = reverse("admin:networks_ball_transition", args=[copy.pk])
    answer = "Den samme idé er allerede sendt ind som “Flere bænke ved voldene”."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"to_state": "duplicate", "duplicate_of": original.pk, "public_note": answer}
        )
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.state == BallState.DUPLICATE and copy.duplicate_of == original
    assert copy.public_answer == answer
    assert mailoutbox[-1].to == ["kopi@example.dk"] and answer in mailoutbox[-1].body

    client.logout()
    html = client.get(copy.get_absolute_url()).content.decode()
    answer_card = html.split('id="answer-heading"')[1].split("</section>")[0]
    assert "Flere bænke ved voldene" in answer_card
    assert original.token not in html  # the original's private page is never revealed


def test_original_lists_duplicates_in_admin(client, project_leader, original):
    copies = BallFactory.create_batch(3)
    for copy in copies:
        services.ball_transition(
            ball=copy, to_state=BallState.DUPLICATE, duplicate_of=original, public_note="Se den."
        )
    unrelated = BallFactory()
    client.force_login(project_leader)
    url = reverse("admin:networks_ball_change", args=[original.pk])
    client.get(url)  # the first page of a session also loads its user and permissions
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    for copy in copies:
        assert reverse("admin:networks_ball_change", args=[copy.pk]) in html
    assert reverse("admin:networks_ball_change", args=[unrelated.pk]) not in html
    assert "field-duplicate_list" in html

    # Bounded: more duplicates cost no more queries.
    BallFactory.create_batch(5, state=BallState.DUPLICATE, duplicate_of=original)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries) <= 30

    listed = str(BallAdmin(Ball, site).duplicate_list(original))
    assert f"#{copies[0].pk}" in listed
    assert BallAdmin(Ball, site).duplicate_list(unrelated) == "–"


def test_many_duplicates_link_to_the_filtered_list(client, project_leader, original, monkeypatch):
    monkeypatch.setattr(BallAdmin, "MAX_DUPLICATES_LISTED", 2)
    copies = BallFactory.create_batch(3, state=BallState.DUPLICATE, duplicate_of=original)
    listed = str(BallAdmin(Ball, site).duplicate_list(original))
    assert f"#{copies[2].pk}" not in listed
    everything = f"{reverse('admin:networks_ball_changelist')}?duplicate_of={original.pk}"
    assert everything in listed
    client.force_login(project_leader)
    response = client.get(everything)
    assert response.status_code == 200
    assert {ball.pk for ball in response.context["cl"].result_list} == {c.pk for c in copies}
