"""What became of the balls (issue 18): consent at intake, publishing by staff, the public pages,
the feed, and that nothing private ever reaches them."""

from datetime import timedelta

import feedparser
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import resolve, reverse
from django.utils import timezone, translation

from networks import services
from networks.models import Ball, BallComment, BallEvent, BallEventKind, BallState
from networks.services import publication
from networks.views.publication import BallPublicDetailView, BallPublicListView
from tests.networks.factories import BallFactory, NetworkFactory

LIST = reverse("networks:ball-public-list")
FEED = reverse("networks:ball-feed")
SEND_URL = reverse("networks:ball-create")


def en(url: str) -> str:
    """The English twin of a page: new texts are asserted by their msgids, which the Danish
    catalogue does not hold until the integrator merges the translations."""
    return f"/en{url}"


def answered(ball, to_state=BallState.DONE, note="Vi har gjort det.", actor=None):
    services.ball_transition(ball=ball, to_state=BallState.ASSESSING, public_note="Vi ser på den.")
    services.ball_transition(ball=ball, to_state=to_state, public_note=note, actor=actor)
    ball.refresh_from_db()
    return ball


def published_ball(public_title="Bænke ved havnen", **kwargs):
    ball = BallFactory(publish_consent=True, public_title=public_title, **kwargs)
    ball.public_summary = "Borgere ønsker flere bænke ved havnen."
    ball.save()
    publication.ball_publish(ball=ball)
    ball.refresh_from_db()
    return ball


# ---- 1. consent at intake ------------------------------------------------------------------


@pytest.mark.parametrize(("sent", "stored"), [("on", True), (None, False)])
def test_consent_is_asked_on_the_form_and_stored(client, fredericia, sent, stored):
    page = client.get(SEND_URL).content.decode()
    assert 'name="publish_consent"' in page
    data = {"kind": "idea", "title": "Flere bænke", "description": "Ved havnen."}
    if sent:
        data["publish_consent"] = sent
    client.post(SEND_URL, data)
    assert Ball.objects.get().publish_consent is stored


def test_sender_changes_consent_on_the_status_page(client, db):
    ball = BallFactory()
    url = reverse("networks:ball-consent", kwargs={"token": ball.token})
    page = client.get(en(ball.get_absolute_url())).content.decode()
    assert url in page and "You have said no" in page
    response = client.post(url, {"publish_consent": "yes"})
    assert response.status_code == 302 and response["Location"] == ball.get_absolute_url()
    ball.refresh_from_db()
    assert ball.publish_consent
    assert "You have said yes" in client.get(en(ball.get_absolute_url())).content.decode()
    assert ball.events.filter(kind=BallEventKind.CONSENT).count() == 1


def test_withdrawn_consent_takes_the_ball_off_the_public_pages(client, db):
    ball = published_ball()
    assert client.get(ball.get_public_url()).status_code == 200
    client.post(
        reverse("networks:ball-consent", kwargs={"token": ball.token}), {"publish_consent": "no"}
    )
    ball.refresh_from_db()
    assert not ball.publish_consent and ball.published_at is None
    assert client.get(ball.get_public_url()).status_code == 404
    assert list(ball.events.values_list("kind", flat=True))[-2:] == ["unpublished", "consent"]


def test_consent_page_refuses_unknown_tokens_and_get(client, db):
    assert client.post("/bolde/" + "x" * 41 + "/samtykke/").status_code == 404
    assert client.post("/bolde/ukendt/samtykke/", {"publish_consent": "yes"}).status_code == 404
    ball = BallFactory()
    assert client.get(reverse("networks:ball-consent", args=[ball.token])).status_code == 405


def test_hostile_consent_values_mean_no(client, db):
    ball = BallFactory(publish_consent=True)
    url = reverse("networks:ball-consent", kwargs={"token": ball.token})
    for value in ("YES", "1", "<script>", "yes\x00", "ja" * 1000):
        assert client.post(url, {"publish_consent": value}).status_code == 302
        ball.refresh_from_db()
        assert ball.publish_consent is False


# ---- 2. publishing -------------------------------------------------------------------------


def test_publishing_needs_consent_a_public_title_and_a_summary(db):
    ball = BallFactory(public_title="Titel")
    with pytest.raises(ValidationError) as error:
        publication.ball_publish(ball=ball)
    assert set(error.value.message_dict) == {"publish_consent", "public_summary"}
    ball.refresh_from_db()
    assert ball.published_at is None


def test_publishing_and_unpublishing_are_steps_with_who_and_when(db, project_leader):
    ball = BallFactory(publish_consent=True, public_title="T", public_summary="S")
    step = publication.ball_publish(ball=ball, actor=project_leader)
    ball.refresh_from_db()
    assert ball.is_published and step.kind == BallEventKind.PUBLISHED
    assert step.actor == project_leader and step.created_at == ball.published_at
    assert step.from_state == step.to_state == ball.state  # the state stays as it was
    assert publication.ball_publish(ball=ball, actor=project_leader) is None  # once
    step = publication.ball_unpublish(ball=ball, actor=project_leader)
    ball.refresh_from_db()
    assert ball.published_at is None and step.kind == BallEventKind.UNPUBLISHED
    assert step.actor == project_leader
    assert publication.ball_unpublish(ball=ball) is None


def test_the_database_refuses_a_published_ball_without_consent(db):
    ball = BallFactory(public_title="T", public_summary="S")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ball.objects.filter(pk=ball.pk).update(published_at=timezone.now())


def test_public_texts_are_cpr_masked(db):
    ball = BallFactory(public_title="Om 010203-1234", public_summary="Nr. 0102031234 i teksten")
    ball.refresh_from_db()
    assert "1234" not in ball.public_title and "1234" not in ball.public_summary
    assert ball.cpr_masked == 0  # counts only what the sender wrote


# ---- 3. public pages -----------------------------------------------------------------------


def test_the_url_order_keeps_feed_and_numbers_from_the_status_page(db):
    assert resolve(FEED).url_name == "ball-feed"
    assert resolve("/bolde/nr/12/").func.view_class is BallPublicDetailView
    assert resolve(LIST).func.view_class is BallPublicListView
    assert resolve("/bolde/send/").url_name == "ball-create"
    assert resolve("/bolde/nr/").url_name == "ball-status"  # a token, which finds no ball
    assert resolve("/bolde/abc/").url_name == "ball-status"


def test_public_list_shows_published_balls_newest_first_with_their_answers(client, fredericia):
    theme = fredericia.themes.get(number=4)
    network = NetworkFactory(name="Det stående netværk")
    old = published_ball(
        public_title="Gammel bold", received_at=timezone.now() - timedelta(days=30), network=network
    )
    old.themes.set([theme])
    answered(old, BallState.DECLINED, note="Nej, for der er ikke plads på kajen.")
    new = published_ball(public_title="Ny bold")
    hidden = BallFactory(publish_consent=True, public_title="Ikke udgivet endnu")
    response = client.get(en(LIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(new.public_title) < html.index(old.public_title)
    assert "Nej, for der er ikke plads på kajen." in html  # a "no" with its reason
    assert "The answer: no, and why" in html
    with translation.override("en"):
        assert network.name in html and theme.title in html
    assert "first response after 30 days" in html and "no response yet" in html
    assert hidden.public_title not in html
    assert 'type="application/atom+xml"' in html and FEED in html


def test_public_detail_shows_the_timeline_of_public_steps(client, db, project_leader):
    ball = answered(published_ball(), note="Det er klaret.")
    BallEvent.objects.create(ball=ball, to_state=BallState.DONE, is_public=False)
    response = client.get(ball.get_public_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<span class="year">') == 3  # received, being assessed, done
    assert "Det er klaret." in html
    assert "Vi ser på den." not in html  # a message to the sender, not an answer


def test_unpublished_balls_have_no_public_page(client, db):
    assert client.get(BallFactory().get_public_url()).status_code == 404
    assert client.get("/bolde/nr/999999/").status_code == 404


def test_filters_narrow_the_list(client, fredericia):
    theme = fredericia.themes.get(number=2)
    area = fredericia.core_areas.first()
    network = NetworkFactory()
    a = published_ball(kind="concern", network=network)
    a.themes.set([theme])
    a.core_areas.set([area])
    answered(a, BallState.DECLINED, note="Nej, desværre.")
    b = published_ball(received_at=timezone.now().replace(year=2022))
    b.public_title = "Helt anden bold"
    b.save()
    for query, shown in [
        ({"state": "declined"}, a),
        ({"kind": "concern"}, a),
        ({"theme": theme.pk}, a),
        ({"core_area": area.pk}, a),
        ({"network": network.pk}, a),
        ({"year": 2022}, b),
        ({"q": "anden"}, b),
        ({"q": "desværre"}, a),  # the answer is public too
    ]:
        html = client.get(LIST, query).content.decode()
        other = b if shown is a else a
        assert shown.public_title in html and other.public_title not in html, query


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"network": "999999"},
        {"state": "bomb"},
        {"theme": "x"},
        {"q": "a" * 500},
        {"side": "9999"},
        {"q": "\x00"},
    ],
)
def test_bad_filter_input_is_no_500(client, db, query):
    published_ball()
    assert client.get(LIST, query).status_code == 200


def test_search_never_reads_the_senders_text(client, db):
    published_ball(title="hemmeligord", description="hemmeligord")
    assert "Bænke ved havnen" not in client.get(LIST, {"q": "hemmeligord"}).content.decode()


def test_aggregates_count_every_ball_and_hide_a_share_over_few(client, db, settings):
    settings.BALL_FIRST_RESPONSE_DAYS = 10
    now = timezone.now()
    for _ in range(3):
        BallFactory()  # unpublished, not yet due
    answered(BallFactory(received_at=now - timedelta(days=1)))
    record = publication.ball_record(now=now)
    assert record.received == 4 and record.answered == 1 and record.due == 1
    assert record.share_in_time is None  # fewer than 5 balls
    assert "fewer than 5 balls" in client.get(en(LIST)).content.decode()
    for _ in range(4):
        BallFactory(received_at=now - timedelta(days=20))  # due and not answered
    record = publication.ball_record(now=now)
    assert record.due == 5 and record.in_time == 1 and record.share_in_time == 20
    assert record.by_state[BallState.DONE] == 1 and record.by_state[BallState.RECEIVED] == 7
    assert "20 %" in client.get(LIST).content.decode()


def test_aggregates_count_this_year_only_but_states_over_all(db):
    now = timezone.now()
    BallFactory(received_at=now.replace(year=now.year - 1))
    BallFactory()
    record = publication.ball_record(now=now)
    assert record.received == 1 and sum(record.by_state.values()) == 2


def test_status_page_links_the_public_page_once_published(client, db):
    ball = BallFactory(publish_consent=True, public_title="T", public_summary="S")
    assert ball.get_public_url() not in client.get(ball.get_absolute_url()).content.decode()
    publication.ball_publish(ball=ball)
    assert ball.get_public_url() in client.get(ball.get_absolute_url()).content.decode()


def test_network_page_links_its_published_balls_only(client, db):
    network = NetworkFactory()
    shown = published_ball(network=network)
    BallFactory(network=network, public_title="Uden samtykke")
    html = client.get(network.get_absolute_url()).content.decode()
    assert shown.get_public_url() in html and "Uden samtykke" not in html


def test_home_page_shows_the_latest_answers(client, fredericia):
    ball = answered(published_ball(), BallState.DECLINED, note="Nej, fordi budgettet er brugt.")
    answered(BallFactory(publish_consent=True, public_title="Skjult"), note="Skjult svar")
    html = client.get("/en/").content.decode()
    assert "Latest answers to the balls" in html
    assert ball.get_public_url() in html and "Nej, fordi budgettet er brugt." in html
    assert "Skjult" not in html


# ---- 4. the feed ---------------------------------------------------------------------------


def test_the_feed_parses_and_holds_the_answered_published_balls(client, db):
    ball = answered(published_ball(), BallState.DECLINED, note="Nej, og her er hvorfor.")
    published_ball()  # no answer yet: not in the feed
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    [entry] = feed.entries
    assert entry.title.startswith(ball.public_title)
    assert entry.link.endswith(ball.get_public_url())
    assert "Nej, og her er hvorfor." in entry.summary


# ---- 7. nothing private on any public page ---------------------------------------------------

MARKER = "MRK7Q"


def test_no_private_field_ever_reaches_a_public_page_or_the_feed(client, fredericia):
    """A marker in every private field of a published, answered ball (and in an unpublished
    ball's public texts): none of it on /bolde/, /bolde/nr/N/, the feed, the home page or the
    network page."""
    network = NetworkFactory()
    ball = published_ball(
        network=network,
        title=f"{MARKER}-title",
        description=f"{MARKER}-description",
        contact_name=f"{MARKER}-name",
        contact_email=f"{MARKER.lower()}@example.dk",
        contact_phone="12345678",
    )
    services.ball_transition(
        ball=ball, to_state=BallState.ASSESSING, public_note=f"{MARKER}-note to the sender"
    )
    services.ball_transition(ball=ball, to_state=BallState.DONE, public_note="Svaret.")
    BallComment.objects.create(ball=ball, text=f"{MARKER}-staff comment")
    BallEvent.objects.create(
        ball=ball, to_state=BallState.DONE, is_public=False, public_note=f"{MARKER}-internal"
    )
    unpublished = answered(
        BallFactory(
            network=network,
            publish_consent=True,
            public_title=f"{MARKER}-unpublished title",
            public_summary=f"{MARKER}-unpublished summary",
        ),
        note=f"{MARKER}-unpublished answer",
    )
    no_consent = answered(
        BallFactory(network=network, public_title=f"{MARKER}-no consent"),
        note=f"{MARKER}-answer without consent",
    )
    # The search box echoes what was typed: a search for the marker must find no ball.
    assert "Bænke ved havnen" not in client.get(LIST, {"q": MARKER}).content.decode()
    pages = [
        LIST,
        ball.get_public_url(),
        FEED,
        "/",
        network.get_absolute_url(),
        "/en/bolde/",
        "/en/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert MARKER not in text and MARKER.lower() not in text, url
        assert "12345678" not in text, url
    assert client.get(unpublished.get_public_url()).status_code == 404
    assert client.get(no_consent.get_public_url()).status_code == 404


# ---- query counts --------------------------------------------------------------------------


def test_public_pages_keep_a_bounded_number_of_queries(
    client, fredericia, django_assert_max_num_queries
):
    themes = list(fredericia.themes.all()[:3])
    areas = list(fredericia.core_areas.all())
    networks = NetworkFactory.create_batch(3)
    balls = []
    for i in range(40):
        ball = published_ball(network=networks[i % 3])
        ball.themes.set(themes)
        ball.core_areas.set(areas)
        balls.append(ball)
    for ball in balls[:25]:
        answered(ball)
    BallFactory.create_batch(20)
    for url in (LIST, f"{LIST}?side=2", balls[0].get_public_url(), FEED, "/"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_ball_record_is_counted_from_an_index_alone(db):
    """The counts above the public list cover every ball ever received, so they are read from
    one index that holds all they ask (state, received and first answered), not from the
    balls' rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    BallFactory.create_batch(3)
    with CaptureQueriesContext(connection) as captured:
        publication.ball_record()
    (query,) = [q["sql"] for q in captured if '"networks_ball"' in q["sql"]]
    with transaction.atomic(), connection.cursor() as cursor:
        # With few, unvacuumed rows the planner would rather read the table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + query)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan" in plan, plan
