import re

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.urls import reverse

from networks.admin import BallAdmin
from networks.models import Ball, BallState, Membership, Network
from tests.networks.factories import BallFactory, NetworkFactory
from udsathed.groups import NETWORK_LEADS, PROJECT_LEADERS

BALLS = reverse("admin:networks_ball_changelist")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"state": "received"},
        {"kind": "idea"},
        {"response": "overdue"},
        {"age": "older"},
        {"response": "waiting"},
        {"q": "havn"},
    ],
)
def test_ball_list_filters_with_bounded_queries(
    client, project_leader, standing, query, django_assert_max_num_queries
):
    for i in range(30):
        BallFactory(network=standing if i % 2 else None, title=f"Havnen {i}")
    client.force_login(project_leader)
    with django_assert_max_num_queries(20):
        response = client.get(BALLS, query)
    assert response.status_code == 200


def test_transition_page_moves_the_ball_and_needs_an_answer_to_close(
    client, project_leader, standing, django_capture_on_commit_callbacks
):
    ball = BallFactory(contact_email="afsender@example.dk")
    client.force_login(project_leader)
    url = reverse("admin:networks_ball_transition", args=[ball.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"to_state": "passed", "network": standing.pk})
    assert response.status_code == 302
    ball.refresh_from_db()
    assert ball.state == "passed" and ball.network == standing
    response = client.post(url, {"to_state": "done", "public_note": ""})
    assert response.status_code == 200
    assert "Skriv det svar" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"to_state": "done", "public_note": "Der kommer bænke i foråret."})
    ball.refresh_from_db()
    assert ball.state == "done" and ball.public_answer == "Der kommer bænke i foråret."
    assert len(mail.outbox) == 2 and "bænke i foråret" in mail.outbox[-1].body


def test_bulk_actions(client, project_leader, standing):
    balls = BallFactory.create_batch(3)
    done = BallFactory(state=BallState.DONE, public_answer="x")
    client.force_login(project_leader)
    client.post(
        BALLS,
        {"action": "pass_to_standing_network", "_selected_action": [b.pk for b in [*balls, done]]},
    )
    assert Ball.objects.filter(state="passed", network=standing).count() == 3
    done.refresh_from_db()
    assert done.state == BallState.DONE


def test_network_lead_sees_and_comments_only_their_own_balls(client, lead, standing, fredericia):
    theme = fredericia.themes.first()
    own = BallFactory(network=standing, state="passed", title="Vores bold", themes=[theme])
    other_network = NetworkFactory()
    other = BallFactory(network=other_network, state="passed", title="Andres bold")
    unassigned = BallFactory(title="Ikke fordelt")
    client.force_login(lead)
    html = client.get(BALLS).content.decode()
    assert "Vores bold" in html and "Andres bold" not in html and "Ikke fordelt" not in html
    change = reverse("admin:networks_ball_change", args=[own.pk])
    assert client.get(change).status_code == 200
    for ball in (other, unassigned):
        assert client.get(reverse("admin:networks_ball_change", args=[ball.pk])).status_code == 404
    assert client.get(reverse("admin:networks_ball_transition", args=[own.pk])).status_code == 403
    response = client.post(
        change,
        {
            "comments-TOTAL_FORMS": 1,
            "comments-INITIAL_FORMS": 0,
            "comments-0-text": "Vi tager den på næste møde.",
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    comment = own.comments.get()
    assert comment.author == lead and comment.text == "Vi tager den på næste møde."
    own.refresh_from_db()
    assert own.state == "passed" and own.title == "Vores bold"
    assert list(own.themes.all()) == [theme]  # a lead's comment changes nothing else


def test_committee_members_see_only_the_public_record_of_published_balls(client, committee_member):
    hidden = BallFactory(title="Ikke udgivet", public_title="Skjult offentlig titel")
    shown = BallFactory(
        published=True,
        title="Afsenderens egen titel",
        description="Afsenderens egne ord",
        contact_name="Hans Hansen",
        public_title="Bænke ved havnen",
    )
    shown.comments.create(text="Intern note om afsenderen")
    client.force_login(committee_member)
    listing = client.get(BALLS)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Bænke ved havnen" in html and "Skjult offentlig titel" not in html
    assert client.get(reverse("admin:networks_ball_change", args=[hidden.pk])).status_code == 404
    page = client.get(reverse("admin:networks_ball_change", args=[shown.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for private in ("Afsenderens egen titel", "Afsenderens egne ord", "Hans Hansen", "Intern note"):
        assert private not in html and private not in listing.content.decode()
    assert shown.contact_email not in html
    assert 'name="_save"' not in html  # read only
    assert client.get(BALLS, {"q": "Afsenderens"}).content.decode().count("Bænke ved") == 0
    history = reverse("admin:networks_ball_history", args=[shown.pk])
    assert client.get(history).status_code == 403


def test_published_filter_and_column(client, project_leader, django_assert_max_num_queries):
    BallFactory(published=True, public_title="Udgivet bold")
    BallFactory(publish_consent=True, public_title="Klar bold", public_summary="Resumé")
    BallFactory(publish_consent=True, title="Kun samtykke")
    BallFactory(title="Uden noget")
    BallFactory.create_batch(30)
    client.force_login(project_leader)
    with django_assert_max_num_queries(20):
        html = client.get(BALLS).content.decode()
    assert "field-published_flag" in html
    for value, shown in [
        ("yes", {"Offentlig titel"}),
        ("ready", {"Klar bold"}),
        ("agreed", {"Klar bold", "Kun samtykke"}),
    ]:
        response = client.get(BALLS, {"published": value})
        assert response.status_code == 200
        results = {ball.pk for ball in response.context["cl"].result_list}
        assert len(results) == len(shown), value
    assert client.get(BALLS, {"published": "no"}).context["cl"].result_count == 33


def test_preview_shows_the_public_page_and_publishes(client, project_leader):
    ball = BallFactory(
        publish_consent=True,
        public_title="Bænke ved havnen",
        public_summary="Borgere ønsker bænke.",
        description="Afsenderens egne ord",
    )
    client.force_login(project_leader)
    change = client.get(reverse("admin:networks_ball_change", args=[ball.pk])).content.decode()
    url = reverse("admin:networks_ball_public_preview", args=[ball.pk])
    assert url in change
    page = client.get(url).content.decode()
    assert "Borgere ønsker bænke." in page and "Afsenderens egne ord" not in page
    assert 'name="publish"' in page
    assert client.post(url, {"publish": "1"}).status_code == 302
    ball.refresh_from_db()
    assert ball.is_published
    step = ball.events.get(kind="published")
    assert step.actor == project_leader
    assert 'name="unpublish"' in client.get(url).content.decode()
    client.post(url, {"unpublish": "1"})
    ball.refresh_from_db()
    assert not ball.is_published and ball.events.filter(kind="unpublished").exists()


def test_preview_refuses_publishing_without_consent(client, project_leader):
    ball = BallFactory(public_title="T", public_summary="S")
    client.force_login(project_leader)
    url = reverse("admin:networks_ball_public_preview", args=[ball.pk])
    assert 'name="publish"' not in client.get(url).content.decode()
    response = client.post(url, {"publish": "1"}, follow=True)
    ball.refresh_from_db()
    assert ball.published_at is None
    assert any("ikke sagt ja" in str(m) for m in response.context["messages"])


def test_bulk_publish_only_what_may_be_published(client, project_leader):
    ready = BallFactory.create_batch(2, publish_consent=True, public_title="T", public_summary="S")
    no_consent = BallFactory(public_title="T", public_summary="S")
    no_summary = BallFactory(publish_consent=True, public_title="T")
    client.force_login(project_leader)
    response = client.post(
        BALLS,
        {
            "action": "publish_selected",
            "_selected_action": [b.pk for b in [*ready, no_consent, no_summary]],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert set(Ball.objects.published()) == set(ready)
    assert any("2" in str(m) and "2" in str(m) for m in response.context["messages"])
    client.post(BALLS, {"action": "unpublish_selected", "_selected_action": [ready[0].pk]})
    assert set(Ball.objects.published()) == {ready[1]}


def test_lead_sees_the_public_page_link_but_cannot_publish(client, lead, standing):
    ball = BallFactory(network=standing, published=True)
    client.force_login(lead)
    html = client.get(reverse("admin:networks_ball_change", args=[ball.pk])).content.decode()
    assert ball.get_public_url() in html
    preview = reverse("admin:networks_ball_public_preview", args=[ball.pk])
    assert preview not in html
    assert client.post(preview, {"publish": "1"}).status_code == 403
    assert "publish_selected" not in client.get(BALLS).content.decode()


def test_response_flag(db):
    admin = BallAdmin(Ball, site)
    assert admin.response_flag(BallFactory(first_response_at="2026-01-01T00:00Z")) == "✓"
    assert Network.objects.count() == 0


def test_ball_page_links_to_matching_for_its_network(client, project_leader, standing):
    ball = BallFactory(network=standing, state="passed")
    client.force_login(project_leader)
    html = client.get(reverse("admin:networks_ball_change", args=[ball.pk])).content.decode()
    match = reverse("admin:networks_network_match", args=[standing.pk])
    assert f"{match}?ball={ball.pk}" in html
    assert client.get(f"{match}?ball={ball.pk}").status_code == 200


def test_a_ball_registered_in_the_admin_starts_with_one_received_step_by_its_registrar(
    client, project_leader, standing
):
    client.force_login(project_leader)
    page = client.get(reverse("admin:networks_ball_add"))
    management = dict(
        re.findall(
            r'name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"', page.text
        )
    )
    response = client.post(
        reverse("admin:networks_ball_add"),
        {
            **management,
            "kind": "concern",
            "title": "Ringet ind",
            "description": "En borger ringede om bænkene.",
            "language": "da",
            "state": "received",
            "cpr_masked": "0",
            "received_at_0": "2026-11-20",
            "received_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.text
    ball = Ball.objects.get(title="Ringet ind")
    step = ball.events.get()
    assert (step.from_state, step.to_state, step.actor) == ("", "received", project_leader)


def test_demoted_project_leader_who_leads_a_network_sees_only_their_balls_at_once(
    client, project_leader
):
    """Rights are decided on every request: nothing drawn before a change of rights is served."""
    from django.contrib.auth.models import Group

    standing = NetworkFactory(standing=True)
    BallFactory(network=standing, title="Bold i mit netværk")
    BallFactory(network=None, title="Bold uden netværk")
    project_leader.groups.add(Group.objects.get(name=NETWORK_LEADS))
    Membership.objects.create(network=standing, user=project_leader, role="lead")
    client.force_login(project_leader)
    assert "Bold uden netværk" in client.get(BALLS).text
    project_leader.groups.remove(Group.objects.get(name=PROJECT_LEADERS))
    html = client.get(BALLS).text
    assert "Bold i mit netværk" in html and "Bold uden netværk" not in html
