import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ambassadors.tokens import make_token
from networks.models import Ball, BallState, Membership
from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import BallFactory, NetworkFactory

SEND_URL = reverse("networks:ball-create")


def ball_data(**extra):
    return {"kind": "idea", "title": "Flere bænke", "description": "Ved havnen.", **extra}


def test_ball_form_page(client, fredericia):
    response = client.get(SEND_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CPR-numre" in html  # the help text asks people not to write them
    assert reverse("privacy") in html


def test_send_a_ball_with_a_cpr_number_shows_the_warning_and_the_private_link(
    client, fredericia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SEND_URL,
            ball_data(description="Min nabo 010203-1234 fryser.", contact_email="a@example.dk"),
            follow=True,
        )
    ball = Ball.objects.get()
    assert response.redirect_chain[-1][0] == ball.get_absolute_url()
    html = response.content.decode()
    assert "010203-XXXX" in ball.description
    assert "CPR-nummer" in html  # the warning
    assert "010203-1234" not in html
    assert "no-store" in response["Cache-Control"]
    assert len(mail.outbox) == 1
    # the receipt is shown once; a later visit shows the status only
    again = client.get(ball.get_absolute_url()).content.decode()
    assert "Tak! Vi har modtaget din bold." not in again


def test_bad_ball_input_changes_nothing(client, fredericia):
    for data in (
        ball_data(title=""),
        ball_data(description="x" * 5001),
        ball_data(kind="bomb"),
        ball_data(contact_email="ikke-en-mail"),
        ball_data(contact_consent="on"),
        ball_data(title="<script>alert(1)</script>"),
    ):
        response = client.post(SEND_URL, data)
        assert response.status_code == 200
        assert 'id="error-summary"' in response.content.decode()
    assert not Ball.objects.exists()


def plain(cleaned: dict) -> dict:
    return {
        name: list(value) if name in ("themes", "core_areas") else value
        for name, value in cleaned.items()
    }


def test_honeypot_and_csrf(client, fredericia):
    response = client.post(SEND_URL, ball_data(homepage="spam"))
    assert response.status_code == 200 and not Ball.objects.exists()
    response = Client(enforce_csrf_checks=True).post(SEND_URL, ball_data())
    assert response.status_code == 403 and not Ball.objects.exists()


def test_ball_form_is_rate_limited(client, fredericia):
    for _ in range(20):
        client.post(SEND_URL, ball_data())
    count = Ball.objects.count()
    response = client.post(SEND_URL, ball_data())
    assert response.status_code == 429 and Ball.objects.count() == count


@pytest.mark.parametrize("token", ["nope", "a" * 41, "' OR 1=1 --"])
def test_status_tokens_cannot_be_guessed(client, db, token):
    BallFactory()
    assert client.get(f"/bolde/{token}/").status_code == 404


def test_status_page_shows_public_steps_and_answer_only(client, db, project_leader):
    from networks import services

    ball = BallFactory(state=BallState.ASSESSING)
    services.ball_transition(
        ball=ball, to_state=BallState.DECLINED, actor=project_leader, public_note="Desværre nej."
    )
    html = client.get(ball.get_absolute_url()).content.decode()
    assert "Desværre nej." in html and "Afvist" in html
    assert project_leader.username not in html


def test_network_pages(client, fredericia, django_assert_max_num_queries):
    standing = NetworkFactory(standing=True, slug="staaende")
    closed = NetworkFactory(closed=True, name="Vinter 2018", outcome="Flere fik tag over hovedet.")
    planned = NetworkFactory(state="planned", name="Hemmelig plan")
    BallFactory(network=standing, published=True, public_title="Bænke ved havnen")
    BallFactory(network=standing, title="Privat titel", public_title="", state=BallState.PASSED)
    # A public title alone is not publishing: the sender did not agree.
    BallFactory(network=standing, public_title="Uden samtykke", state=BallState.PASSED)
    for i in range(15):
        NetworkFactory(name=f"Aktivt netværk {i}")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("networks:network-list")).content.decode()
    assert standing.name in html and "Flere fik tag over hovedet." in html
    assert "Hemmelig plan" not in html
    with django_assert_max_num_queries(10):
        html = client.get(standing.get_absolute_url()).content.decode()
    assert "Bænke ved havnen" in html and "Privat titel" not in html
    assert "Uden samtykke" not in html
    assert client.get(closed.get_absolute_url()).status_code == 200
    assert client.get(planned.get_absolute_url()).status_code == 404


def test_join_needs_the_ambassador_link_then_creates_a_request(client, fredericia):
    network = NetworkFactory()
    join_url = reverse("networks:network-join", args=[network.slug])
    response = client.post(join_url, HTTP_REFERER=network.get_absolute_url())
    assert response["Location"] == reverse("ambassadors:login-request")
    ambassador = AmbassadorFactory()
    login = reverse(
        "ambassadors:ambassador-login", kwargs={"token": make_token(ambassador, "login")}
    )
    response = client.get(login)
    assert response["Location"] == network.get_absolute_url()  # back where they were
    client.post(join_url)
    assert Membership.objects.get().state == "requested"


def test_invitation_answer_page(client, fredericia, committed):
    from networks import services

    network = NetworkFactory()
    ambassador = AmbassadorFactory()
    committed(services.invitations_send, network=network, ambassadors=[ambassador])
    invitation = network.invitations.get()
    assert client.get(invitation.get_absolute_url()).status_code == 200
    client.post(invitation.get_absolute_url(), {"answer": "yes"})
    assert Membership.objects.filter(network=network, ambassador=ambassador).exists()
    assert client.get("/netvaerk/invitation/findes-ikke/").status_code == 404


def test_the_same_form_sent_twice_makes_one_ball(client, fredericia):
    page = client.get(SEND_URL).text
    key = re.search(r'name="form_key" value="([^"]+)"', page).group(1)
    first = client.post(SEND_URL, ball_data(form_key=key))
    second = client.post(SEND_URL, ball_data(form_key=key))
    ball = Ball.objects.get()
    assert ball.title == "Flere bænke"
    assert first["Location"] == second["Location"] == ball.get_absolute_url()
    assert "Tak! Vi har modtaget din bold." in client.get(second["Location"]).text
    # Another drawing of the form has another key: a new ball.
    other = re.search(r'name="form_key" value="([^"]+)"', client.get(SEND_URL).text).group(1)
    assert other != key
    client.post(SEND_URL, ball_data(form_key=other))
    assert Ball.objects.count() == 2


def test_same_form_key_with_other_content_makes_a_second_ball(client, fredericia):
    """Back, edit, send: the changed ball is a ball of its own, never dropped."""
    key = re.search(r'name="form_key" value="([^"]+)"', client.get(SEND_URL).text).group(1)
    first = client.post(SEND_URL, ball_data(form_key=key))
    second = client.post(SEND_URL, ball_data(form_key=key, title="Og et nyt lys ved bænken"))
    assert Ball.objects.count() == 2
    assert first["Location"] != second["Location"]
    assert Ball.objects.filter(title="Og et nyt lys ved bænken").exists()
    # The edited ball sent twice (a double click) is still one ball.
    client.post(SEND_URL, ball_data(form_key=key, title="Og et nyt lys ved bænken"))
    assert Ball.objects.count() == 2


def test_ball_token_is_always_made_by_the_server(client, fredericia):
    """The form's key never becomes the status page's secret, whatever the client sends."""
    chosen = "A" * 32
    client.post(SEND_URL, ball_data(form_key=chosen))
    ball = Ball.objects.get()
    assert ball.token != chosen
    assert client.get(f"/bolde/{chosen}/").status_code == 404
    drawn = re.search(r'name="form_key" value="([^"]+)"', client.get(SEND_URL).text).group(1)
    client.post(SEND_URL, ball_data(form_key=drawn, title="Endnu en"))
    assert not Ball.objects.filter(token=drawn).exists()


@pytest.mark.parametrize("key", ["kort", "x" * 31 + "!", "' OR 1=1 --" + "a" * 21, "a" * 40])
def test_a_key_the_portal_did_not_draw_is_ignored(client, fredericia, key):
    client.post(SEND_URL, ball_data(form_key=key))
    client.post(SEND_URL, ball_data(form_key=key))
    assert Ball.objects.count() == 2 and not Ball.objects.filter(token=key).exists()
