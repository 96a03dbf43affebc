import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation.models import Answer, QuestionKind, Response
from tests.ambassadors.factories import AmbassadorFactory, ParticipationFactory
from tests.evaluation.factories import (
    ActivityFactory,
    EvaluationRoundFactory,
    MeasurementFactory,
    QuestionFactory,
    RecommendationFactory,
    RespondentFactory,
    at,
)
from tests.factories import UserFactory
from tests.networks.factories import BallFactory

DASHBOARD = reverse("evaluation:dashboard")
PDF = reverse("evaluation:dashboard-pdf")
PERIOD = {"fra": "2020-01-01", "til": "2020-12-31"}


def csv_url(slug):
    return reverse("evaluation:dashboard-csv", args=[slug])


@pytest.fixture
def data(fredericia):
    """Three ambassadors in 2020 (shown as <5), ten balls in March 2020, an indicator."""
    for _ in range(3):
        AmbassadorFactory(confirmed_at=at(date(2020, 2, 1)))
    for n in range(10):
        received = at(date(2020, 3, 1 + n))
        BallFactory(
            received_at=received,
            first_response_at=received + timedelta(days=2),
            title=f"Hemmelig overskrift {n}",
            description="Følsom fritekst om en borger",
        )
    ActivityFactory(starts_at=at(date(2020, 5, 1)))
    MeasurementFactory(indicator__strategy=fredericia, measured_on=date(2020, 2, 1), value=57)
    return fredericia


# Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DASHBOARD, PDF, csv_url("bolde")])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")


@pytest.mark.parametrize("url", [DASHBOARD, PDF, csv_url("bolde")])
def test_staff_without_a_dashboard_role_get_403(client, db, url):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["committee_member", "project_leader", "superuser"])
def test_dashboard_roles_read_it(client, fredericia, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(DASHBOARD).status_code == 200


def test_dashboard_is_not_served_after_the_right_is_lost(client, committee_member, fredericia):
    client.force_login(committee_member)
    assert client.get(reverse("evaluation:dashboard")).status_code == 200
    committee_member.groups.clear()
    assert client.get(reverse("evaluation:dashboard")).status_code == 403


def test_dashboard_shows_goals_aggregates_and_never_ball_text(
    client, committee_member, data, django_assert_max_num_queries
):
    client.force_login(committee_member)
    # A cold cache: 30, 10 for the year-by-year tables, 1 for recent recruits + the cache's
    # reads and writes + the staff session limit touching the session.
    with django_assert_max_num_queries(47):
        response = client.get(DASHBOARD, PERIOD)
    assert response.status_code == 200
    assert "evaluation/dashboard.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert "Dashboard for udvalget" in text
    assert "150 ambassadører ved udgangen af 2020" in text
    assert "Ikke nået" in text  # 3 of 150 by the end of 2020
    assert "&lt;5" in text
    assert "Hemmelig overskrift" not in text
    assert "Følsom fritekst" not in text
    assert '<svg class="chart-svg"' in text and "<title id=" in text
    assert "style=" not in text.split("<main", 1)[1]
    assert response["Cache-Control"] == "no-store"


def test_dashboard_queries_do_not_grow_with_the_data(
    client, committee_member, data, django_assert_max_num_queries
):
    for n in range(30):
        AmbassadorFactory(confirmed_at=at(date(2020, 4, 1)))
        ParticipationFactory(occurred_on=date(2020, 6, 1))
        BallFactory(received_at=at(date(2020, 7, 1 + n % 28)))
        ActivityFactory(starts_at=at(date(2020, 8, 1)))
    client.force_login(committee_member)
    # A cold cache: 30, 10 for the year-by-year tables, 1 for recent recruits + the cache's
    # reads and writes + the staff session limit touching the session.
    with django_assert_max_num_queries(47):
        assert client.get(DASHBOARD, PERIOD).status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"fra": "2020-12-31", "til": "2020-01-01"}, "Perioden skal slutte"),
        ({"fra": "31-12-2020", "til": "2021-01-01"}, "Skriv datoen som ÅÅÅÅ-MM-DD"),
        ({"fra": "1900-01-01", "til": "2020-01-01"}, "før 2000"),
        ({"fra": "2020-01-01", "til": "9999-12-31"}, "efter udgangen af næste år"),
        ({"fra": "2020-02-30"}, "Skriv datoen som ÅÅÅÅ-MM-DD"),
    ],
)
def test_bad_period_input_gives_a_danish_message_not_a_500(
    client, committee_member, query, message
):
    client.force_login(committee_member)
    response = client.get(DASHBOARD, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode() or "error-summary" in (
        response.content.decode()
    )
    assert client.get(PDF, query).status_code == 400
    assert client.get(csv_url("bolde"), query).status_code == 400


# Downloads ------------------------------------------------------------------------------------


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_chart_csv_download(client, committee_member, data):
    client.force_login(committee_member)
    response = client.get(csv_url("bolde"), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "bolde-20200101-20201231.csv" in response["Content-Disposition"]
    # Danish Excel: a byte order mark, ";" between fields, a header row, ISO dates, numbers.
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").splitlines()[0] == "Måned;Modtaget;Afsluttet"
    rows = read_csv(response)
    assert len(rows) == 13
    assert rows[3] == ["2020-03-01", "10", "0"]
    kinds = read_csv(client.get(csv_url("ambassadoerer"), PERIOD))
    assert kinds[1][:2] == ["2020-01-01", "<5"]  # 3 citizens: a count of persons, hidden
    assert client.get(csv_url("findes-ikke"), PERIOD).status_code == 404


def test_breakdown_csv_lists_every_theme(client, project_leader, data):
    client.force_login(project_leader)
    rows = read_csv(client.get(csv_url("temaer"), PERIOD))
    assert len(rows) == 13
    assert rows[1][0].startswith("1. Vi vil have fokus på det hele menneske")


def test_pdf_report(client, committee_member, data):
    client.force_login(committee_member)
    response = client.get(PDF, PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Fremdriftsrapport" in text
    assert "150 ambassadører ved udgangen af 2020" in text
    assert "Bolde modtaget og afsluttet pr. måned" in text
    assert "Hemmelig overskrift" not in text


# Public pages ---------------------------------------------------------------------------------


def test_progress_page_is_public_and_bounded(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):  # a cold cache: 10 + its reads and writes
        response = client.get(reverse("evaluation:progress"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Fremdrift" in text
    assert "150 ambassadører ved udgangen af 2020" in text
    assert "&lt;5" in text  # three ambassadors
    assert "VIVE, national kortlægning af hjemløshed" in text


def test_progress_page_without_strategy(client, db):
    assert client.get(reverse("evaluation:progress")).status_code == 200


def test_published_rounds_and_recommendations(client, fredericia):
    round = EvaluationRoundFactory(title="Evalueringen 2021")
    recommendation = RecommendationFactory(round=round, topic="Fokus på de mest udsatte")
    recommendation.themes.set([fredericia.themes.get(number=7)])
    hidden = EvaluationRoundFactory(title="Kladde", is_published=False)
    listing = client.get(reverse("evaluation:round-list")).content.decode()
    assert "Evalueringen 2021" in listing and "Kladde" not in listing
    page = client.get(round.get_absolute_url()).content.decode()
    assert "Fokus på de mest udsatte" in page
    assert "Foreslået" in page
    assert "Vi vil være en god ven" in page
    assert client.get(hidden.get_absolute_url()).status_code == 404


# The questionnaire ----------------------------------------------------------------------------


@pytest.fixture
def questionnaire(fredericia):
    round = EvaluationRoundFactory()
    scale = QuestionFactory(round=round, text="Hvor godt virker stormøderne?", required=True)
    text = QuestionFactory(round=round, kind=QuestionKind.TEXT, text="Hvad skal vi ændre?")
    return round, scale, text


def test_answering_twice_counts_once(client, questionnaire):
    round, scale, text = questionnaire
    respondent = RespondentFactory(round=round)
    url = respondent.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200
    assert "Hvor godt virker stormøderne?" in page.content.decode()
    data = {f"q{scale.pk}": "4", f"q{text.pk}": "Flere små møder"}
    first = client.post(url, data)
    assert "Tak for dine svar" in first.content.decode()
    second = client.post(url, {f"q{scale.pk}": "1"})
    assert "Du har allerede svaret" in second.content.decode()
    assert Response.objects.count() == 1
    assert list(Answer.objects.values_list("score", "text").order_by("pk")) == [
        (4, ""),
        (None, "Flere små møder"),
    ]


def test_the_unique_constraint_stops_a_second_response(questionnaire):
    from evaluation.services import AlreadyAnswered, response_submit

    round, scale, _ = questionnaire
    respondent = RespondentFactory(round=round)
    response_submit(respondent=respondent, answers={scale.pk: 5})
    respondent.answered_at = None  # as if a parallel request had read the row before
    respondent.save()
    with pytest.raises(AlreadyAnswered):
        response_submit(respondent=respondent, answers={scale.pk: 1})
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    "bad", [{}, {"score": "6"}, {"score": "0"}, {"score": "fem"}, {"text": "x" * 3001}]
)
def test_bad_answers_are_refused(client, questionnaire, bad):
    round, scale, text = questionnaire
    respondent = RespondentFactory(round=round)
    data = {}
    if "score" in bad:
        data[f"q{scale.pk}"] = bad["score"]
    else:
        data[f"q{scale.pk}"] = "3" if bad else ""
    if "text" in bad:
        data[f"q{text.pk}"] = bad["text"]
    response = client.post(respondent.get_absolute_url(), data)
    assert response.status_code == 200
    assert "aria-invalid" in response.content.decode()
    assert Response.objects.count() == 0


def test_unknown_link_or_closed_round(client, questionnaire):
    round, _, _ = questionnaire
    assert client.get(reverse("evaluation:response-create", args=["nope"])).status_code == 404
    round.closes_on = timezone.localdate() - timedelta(days=1)
    round.save()
    respondent = RespondentFactory(round=round)
    response = client.get(respondent.get_absolute_url())
    assert "ikke åbent" in response.content.decode()
