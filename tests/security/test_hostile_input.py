"""Security items 7 and 9: ≥ 300 hostile payloads into every field of every public form and the
token endpoints. Never a 5xx, never a payload reflected as live markup, and nothing saved when the
input was refused.

Each payload goes once into every field of a form at the same time (so every field sees every
payload) and once into a single field with the others valid (so it reaches the database when
the form accepts it), rotating over the fields, for every third payload (to keep the suite fast).

A short list of odd input (ODD_PAYLOADS, at the end) goes into each field of the sign-up form on
its own and into the log-in and link endpoints, with the exact answer each gives.
"""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Ambassador, Story
from ambassadors.tokens import make_token
from evaluation.models import Answer
from networks.models import Activity, Ball, Registration
from tests.ambassadors.factories import AmbassadorFactory
from tests.evaluation.factories import EvaluationRoundFactory, QuestionFactory, RespondentFactory
from tests.security.payloads import BROKEN_UTF8_BODIES, PAYLOADS, SCRIPT_MARKERS

TRIED = {"requests": 0}


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.RATELIMIT_ENABLE = False


COUNTED = (Ambassador, Ball, Registration, Story, Answer)
# One round trip for all five counts: the corpus asks this before and after every request.
# The table names are the models' own, never input.
ROW_COUNTS_SQL = "SELECT " + ", ".join(  # noqa: S608
    f"(SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)})"  # noqa: S608
    for model in COUNTED
)


def row_counts():
    with connection.cursor() as cursor:
        cursor.execute(ROW_COUNTS_SQL)
        return cursor.fetchone()


def assert_safe(response, payload, where):
    TRIED["requests"] += 1
    assert response.status_code < 500, (where, payload[:80])
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode("utf-8", errors="replace")
    for marker in SCRIPT_MARKERS:
        assert marker not in html, (where, payload[:80])
    if "<" in payload and len(payload) > 3:
        assert payload not in html, (where, payload[:80])


def hammer(client, url, valid, fields, accepted_status=302):
    """Send every payload to `url`; returns how many were accepted."""
    accepted = 0
    for index, payload in enumerate(PAYLOADS):
        single = {**valid, fields[index % len(fields)]: payload}
        everywhere = {**valid, **dict.fromkeys(fields, payload)}
        for data in (single, everywhere) if index % 3 == 0 else (everywhere,):
            before = row_counts()
            response = client.post(url, data)
            assert_safe(response, payload, url)
            if response.status_code == accepted_status:
                accepted += 1
            else:
                assert row_counts() == before, (url, payload[:80])
    return accepted


def unique_email(valid):
    valid["email"] = f"gyldig{TRIED['requests']}@example.dk"


def test_sign_up_form(client, fredericia):
    fields = [*SIGN_UP_FIELDS, "homepage"]
    valid = {
        "kind": "citizen",
        "name": "Gyldig Person",
        "email": "gyldig@example.dk",
        "postcode": "7000",
        "accept_privacy": "on",
    }
    accepted = hammer(client, reverse("ambassadors:ambassador-signup"), valid, fields)
    assert 0 < accepted < len(PAYLOADS)


def test_login_request_form(client, db):
    AmbassadorFactory(email="kendt@example.dk")
    url = reverse("ambassadors:login-request")
    for payload in PAYLOADS:
        for data in ({"email": payload}, {"email": "kendt@example.dk", "homepage": payload}):
            before = row_counts()
            assert_safe(client.post(url, data), payload, url)
            assert row_counts() == before


def test_ball_form(client, fredericia):
    fields = [
        "kind",
        "title",
        "description",
        "contact_name",
        "contact_email",
        "contact_phone",
        "contact_consent",
        "publish_consent",
        "homepage",
    ]
    valid = {"kind": "idea", "title": "Flere bænke", "description": "Ved havnen."}
    accepted = hammer(client, reverse("networks:ball-create"), valid, fields)
    assert 0 < accepted < len(PAYLOADS)


def test_ball_consent_and_the_public_record(client, db):
    """The sender's consent button takes only "yes"; the public list's filters take anything
    without a 500 or an echo that runs."""
    from networks.models import Ball
    from tests.networks.factories import BallFactory

    ball = BallFactory(publish_consent=True)
    url = reverse("networks:ball-consent", args=[ball.token])
    for payload in PAYLOADS:
        assert_safe(client.post(url, {"publish_consent": payload}), payload, url)
        assert Ball.objects.get(pk=ball.pk).publish_consent is (payload == "yes")
    listing = reverse("networks:ball-public-list")
    fields = ["q", "state", "kind", "theme", "core_area", "network", "year", "side"]
    for index, payload in enumerate(PAYLOADS):
        query = (
            {fields[index % len(fields)]: payload} if index % 2 else dict.fromkeys(fields, payload)
        )
        assert_safe(client.get(listing, query), payload, listing)


def test_activity_registration_form(client, fredericia):
    start = timezone.now() + timedelta(days=14)
    activity = Activity.objects.create(
        kind="plenary",
        title="Stormøde",
        slug="stormoede",
        description="Vi mødes.",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place_name="Rådhuset",
        address="Gothersgade 20, 7000 Fredericia",
        capacity=None,
        state="open",
    )
    url = reverse("networks:activity-detail", args=[activity.slug])
    accepted = 0
    for index, payload in enumerate(PAYLOADS):
        fields = ["name", "email", "needs", "homepage"]
        valid = {"name": "Deltager", "email": f"d{index}@example.dk"}
        single, everywhere = {**valid, fields[index % 4]: payload}, dict.fromkeys(fields, payload)
        for data in (single, everywhere) if index % 3 == 0 else (everywhere,):
            before = row_counts()
            response = client.post(url, data)
            assert_safe(response, payload, url)
            if response.status_code == 302:
                accepted += 1
            else:
                assert row_counts() == before, payload[:80]
    assert accepted > 0


def test_story_form(client, fredericia):
    ambassador = AmbassadorFactory()
    client.get(reverse("ambassadors:ambassador-login", args=[make_token(ambassador, "login")]))
    fields = ["title", "text", "use", "people_consented", "form_key", "homepage"]
    url = reverse("ambassadors:story-create")
    accepted = 0
    for index, payload in enumerate(PAYLOADS):
        valid = {
            "title": "En god dag",
            "text": "Vi mødtes.",
            "use": "newsletter",
            "people_consented": "on",
            "form_key": f"k{index}",
        }
        for data in (
            {**valid, fields[index % len(fields)]: payload},
            {**valid, **dict.fromkeys(fields, payload)},
        ):
            before = row_counts()
            response = client.post(url, data)
            assert_safe(response, payload, url)
            if response.status_code == 302:
                accepted += 1
            else:
                assert row_counts() == before, payload[:80]
    assert accepted > 0


def test_evaluation_answer_form(client, fredericia):
    round = EvaluationRoundFactory()
    scale = QuestionFactory(round=round, required=True)
    text = QuestionFactory(round=round, kind="text")
    fields = [f"q{scale.pk}", f"q{text.pk}"]
    for index, payload in enumerate(PAYLOADS):
        url = RespondentFactory(round=round).get_absolute_url()
        data = {fields[0]: "4", fields[1]: "ok", fields[index % 2]: payload}
        before = row_counts()
        response = client.post(url, data)
        assert_safe(response, payload, url)
        if response.status_code == 200 and "error-summary" in response.content.decode():
            assert row_counts() == before


TOKEN_URLS = [
    "ambassadors:ambassador-login",
    "ambassadors:ambassador-confirm",
    "ambassadors:ambassador-stay",
    "networks:ball-status",
    "newsletter-unsubscribe",
    "networks:registration-cancel",
    "networks:invitation-answer",
    "evaluation:response-create",
]


# One test per endpoint (the list's search last), so pytest-xdist can spread them.
@pytest.mark.parametrize("name", [*TOKEN_URLS, "ambassadors:ambassador-list"])
def test_magic_link_status_and_unsubscribe_endpoints(db, name):
    client = Client()
    ambassador = AmbassadorFactory()
    before = row_counts()
    newsletter_before = ambassador.accepts_newsletter
    for payload in PAYLOADS:
        if name == "ambassadors:ambassador-list":
            assert_safe(client.get(reverse(name), {"q": payload}), payload, "list")
            continue
        token = quote(payload[:300].replace("/", ""), safe="") or "x"
        url = reverse(name, args=["TOKEN"]).replace("TOKEN", token)
        assert_safe(client.get(url), payload, name)
        assert_safe(client.post(url, {"accept": payload}), payload, name)
    assert row_counts() == before
    ambassador.refresh_from_db()
    assert ambassador.accepts_newsletter == newsletter_before


@pytest.mark.parametrize(
    "name", ["ambassadors:ambassador-signup", "networks:ball-create", "ambassadors:login-request"]
)
def test_broken_utf8_form_bodies(client, fredericia, name):
    url = reverse(name)
    before = row_counts()
    for body in BROKEN_UTF8_BODIES:
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        assert_safe(response, "", url)
    assert row_counts() == before


def test_the_corpus_is_big_enough():
    assert len(PAYLOADS) >= 300


# A short list of odd input with the exact answer each form gives it, per field.
ODD_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE ambassadors_ambassador; --",
    "x" * 10_000,
    "\x00",
    "abc\x1bdef",
    "\u202etxt.exe",
    "Ｆｒｅｄｅｒｉｃｉａ",
    "😀" * 50,
    "-1",
    "99999999999999999999999999",
    "javascript:alert(1)",
    "",
    " ",
]
SIGN_UP_FIELDS = [
    "kind",
    "name",
    "email",
    "phone",
    "postcode",
    "organisation_name",
    "description",
    "website",
    "skills",
    "themes",
    "core_areas",
    "accept_privacy",
]


@pytest.mark.parametrize("field", SIGN_UP_FIELDS)
def test_sign_up_never_fails_and_never_reflects_markup(client, fredericia, field):
    valid = {
        "kind": "association",
        "name": "Gyldig Person",
        "email": "gyldig@example.dk",
        "postcode": "7000",
        "organisation_name": "Gyldig Forening",
        "accept_privacy": "on",
    }
    for payload in ODD_PAYLOADS:
        response = client.post(reverse("ambassadors:ambassador-signup"), {**valid, field: payload})
        assert response.status_code in (200, 302), (field, payload)
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "onerror=alert(1)>" not in html
        if response.status_code == 200:
            assert not Ambassador.objects.filter(email="gyldig@example.dk").exists()
        Ambassador.objects.all().delete()


@pytest.mark.parametrize("payload", ODD_PAYLOADS)
def test_login_request_and_links_never_fail(client, db, payload):
    response = client.post(reverse("ambassadors:login-request"), {"email": payload})
    assert response.status_code == 200
    token = payload.replace("/", "") or "x"
    for name in ("ambassador-confirm", "ambassador-login", "ambassador-stay"):
        response = client.get(reverse(f"ambassadors:{name}", kwargs={"token": token}))
        assert response.status_code == 400
    response = client.get(f"/ambassadoerer/bevis/{token[:50]}/")
    assert response.status_code == 404
    response = client.get(reverse("ambassadors:ambassador-list"), {"q": payload, "kind": payload})
    assert response.status_code == 200
