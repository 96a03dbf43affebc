"""Dashboards that tell the truth and look ahead (issue 19): the small-count rule where figures
are drawn, projections to the deadline, the downloads a spreadsheet reads, and the report."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluation import dashboard, metrics
from evaluation.charts import Chart, Series
from evaluation.metrics import GoalStatus, Period, TooEarly
from evaluation.models import Metric
from networks.models import ActivityKind
from tests.ambassadors.factories import AmbassadorFactory, ParticipationFactory
from tests.evaluation.factories import ActivityFactory, GoalFactory, MeasurementFactory, at
from tests.networks.factories import BallFactory, NetworkFactory

DASHBOARD = reverse("evaluation:dashboard")
PDF = reverse("evaluation:dashboard-pdf")
XLSX = reverse("evaluation:dashboard-xlsx")
PERIOD = {"fra": "2020-01-01", "til": "2020-12-31"}
Y2020 = Period(date(2020, 1, 1), date(2020, 12, 31))
pytestmark = pytest.mark.usefixtures("fredericia")


def csv_url(slug):
    return reverse("evaluation:dashboard-csv", args=[slug])


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def confirmed(day, **extra):
    return AmbassadorFactory(confirmed_at=at(day), created_at=at(day), **extra)


# Item 1: a hidden value is never drawn as a number ---------------------------------------------


def bar_chart(values, measure):
    return Chart(
        slug="x",
        title="X",
        description="",
        labels=["K1", "K2", "K3"],
        series=[Series("S", values, measure=measure)],
    )


def test_a_chart_with_a_count_of_one_never_has_a_bar_at_4():
    persons = bar_chart([1, 0, 8], "ambassadors")
    assert [bar["title"] for bar in persons.bars] == ["S, K3: 8"]  # no bar for the hidden 1
    assert [gap["title"] for gap in persons.gaps] == ["S, K1: <5"]
    assert persons.rows[0]["values"] == ["<5"]
    assert persons.table()[0] == ["K1", "<5"]

    events = bar_chart([1, 0, 8], "activities")  # an activity is no person: shown as it is
    assert events.gaps == []
    one, eight = events.bars
    assert one["title"] == "S, K1: 1"
    assert eight["height"] == pytest.approx(one["height"] * 8, abs=1)  # 1 drawn as 1, not 4


def test_a_line_breaks_at_a_hidden_value_and_marks_it():
    chart = Chart(
        slug="x",
        title="X",
        description="",
        labels=["Jan", "Feb", "Mar"],
        kind="line",
        unit="percent",
        series=[Series("Share", [50.0, 100.0, 60.0], measure="share_of_balls", bases=[10, 1, 10])],
    )
    [line] = chart.lines
    assert len(line["segments"]) == 2  # no line drawn through February
    assert all(segment.count(",") == 1 for segment in line["segments"])
    assert [dot["title"] for dot in line["dots"]] == ["Share, Jan: 50,0 %", "Share, Mar: 60,0 %"]
    assert [gap["title"] for gap in chart.gaps] == ["Share, Feb: <5"]
    assert chart.rows[1]["values"] == ["<5"]


def test_the_dashboard_shows_one_plenary_meeting_and_hides_a_share_of_one_ball(
    client, committee_member, fredericia
):
    GoalFactory(
        metric=Metric.PLENARY_MEETINGS,
        target=1,
        title="Mindst et stormøde i 2020",
        period_start=date(2020, 1, 1),
        period_end=date(2020, 12, 31),
    )
    ActivityFactory(kind=ActivityKind.PLENARY, starts_at=at(date(2020, 5, 1)))
    received = at(date(2020, 3, 2))
    BallFactory(received_at=received, first_response_at=received + timedelta(days=1))
    client.force_login(committee_member)
    text = client.get(DASHBOARD, PERIOD).content.decode()
    tile = text.split("Mindst et stormøde i 2020", 1)[1].split("</li>", 1)[0]
    assert '<p class="goal-value mb-1"><span class="visually-hidden">' in tile
    assert "</span>1</p>" in tile  # the meeting was held: 1, not "<5"
    assert "Nået" in tile
    assert "100,0 %" not in text  # one ball answered in time: a share of one is hidden
    rows = read_csv(client.get(csv_url("svar-til-tiden"), PERIOD))
    assert rows[3] == ["2020-03-01", "<5"]


def test_engagement_share_over_few_people_is_hidden(committee_member, client):
    person = confirmed(date(2019, 1, 1))
    ParticipationFactory(ambassador=person, occurred_on=date(2020, 5, 1))
    data = dashboard.dashboard_data(Y2020)
    rows = {row["key"]: row for row in data["engagement_rows"]}
    assert rows["top_share"]["value"] == 100.0
    assert rows["top_share"]["hidden"] and rows["people"]["hidden"]
    client.force_login(committee_member)
    assert "100,0 %" not in client.get(DASHBOARD, PERIOD).content.decode()


# Item 2: where each goal lands ----------------------------------------------------------------


def started_goal(**extra):
    fields = {
        "metric": Metric.STARTED_INITIATIVES,
        "target": 10,
        "period_start": date(2020, 1, 1),
        "period_end": date(2020, 12, 31),
    }
    return GoalFactory(**{**fields, **extra})


def test_projection_for_a_goal_ahead_on_course():
    goal = started_goal()
    for month in (1, 2, 3, 4, 5, 6):
        NetworkFactory(starts_on=date(2020, month, 10))
    progress = metrics.compute_goals([goal], as_of=date(2020, 6, 30))[0]
    # 6 in 182 days; 184 days left at that pace: 6 + 6.07 = 12 by the deadline.
    assert (progress.value, progress.projection, progress.status) == (
        6,
        12,
        GoalStatus.ON_TRACK,
    )
    assert [value for _, value, _ in progress.history] == [1, 2, 3, 4, 5, 6]


def test_projection_for_a_goal_behind():
    goal = started_goal()
    NetworkFactory(starts_on=date(2020, 2, 1))
    NetworkFactory(starts_on=date(2020, 5, 1))
    progress = metrics.compute_goals([goal], as_of=date(2020, 6, 30))[0]
    assert (progress.value, progress.projection, progress.status) == (2, 4, GoalStatus.BEHIND)


def test_a_count_that_reached_its_target_is_reached_at_once():
    goal = started_goal(target=2)
    NetworkFactory(starts_on=date(2020, 2, 1))
    NetworkFactory(starts_on=date(2020, 3, 1))
    progress = metrics.compute_goals([goal], as_of=date(2020, 4, 1))[0]
    assert progress.status == GoalStatus.REACHED
    assert progress.projection == 2


def test_too_early_to_say_with_a_reason():
    goal = started_goal()
    NetworkFactory(starts_on=date(2020, 1, 5))
    just = metrics.compute_goals([goal], as_of=date(2020, 1, 20))[0]
    assert (just.status, just.reason) == (GoalStatus.TOO_EARLY, TooEarly.JUST_STARTED)
    before = metrics.compute_goals([goal], as_of=date(2019, 12, 1))[0]
    assert (before.status, before.reason) == (GoalStatus.TOO_EARLY, TooEarly.NOT_STARTED)
    with translation.override("da"):
        assert "1. jan. 2020" in dashboard.too_early_reason(before)


def test_a_long_count_goal_keeps_the_pace_of_the_last_12_months():
    goal = GoalFactory(
        metric=Metric.STARTED_INITIATIVES,
        target=20,
        period_start=date(2018, 1, 1),
        period_end=date(2021, 12, 31),
    )
    for month in range(1, 13):
        NetworkFactory(starts_on=date(2018, month, 5))  # 12 in the first year, none since
    progress = metrics.compute_goals([goal], as_of=date(2019, 12, 31))[0]
    assert progress.value == 12
    assert progress.projection == 12  # the last 12 months added nothing
    assert progress.status == GoalStatus.BEHIND


def ball(received, days):
    at_ = at(received)
    return BallFactory(received_at=at_, first_response_at=at_ + timedelta(days=days))


def test_a_median_is_projected_from_the_last_3_months():
    goal = GoalFactory(metric=Metric.MEDIAN_FIRST_RESPONSE_DAYS, target=5)
    for n in range(6):
        ball(date(2020, 1, 2 + n), 20)  # slow at first
    for n in range(6):
        ball(date(2020, 5, 2 + n), 2)  # quick lately
    progress = metrics.compute_goals([goal], as_of=date(2020, 6, 30))[0]
    assert progress.value == 11.0  # over the whole period so far: behind the target
    assert progress.projection == 2.0  # the last three months
    assert progress.status == GoalStatus.ON_TRACK
    few = metrics.compute_goals([goal], as_of=date(2020, 9, 30))[0]  # nothing since May
    assert (few.status, few.reason) == (GoalStatus.TOO_EARLY, TooEarly.TOO_FEW)


def test_each_goal_has_a_chart_with_value_target_and_projection(client, committee_member):
    started_goal(title="Ti initiativer i 2020", slug="ti-initiativer")
    for month in (1, 2, 3, 4, 5, 6):
        NetworkFactory(starts_on=date(2020, month, 10))
    data = dashboard.dashboard_data(Period(date(2020, 1, 1), date(2020, 6, 30)))
    chart = data["goal_charts"]["maal-ti-initiativer"]
    value, target, pace = chart.series
    assert value.values[:6] == [1, 2, 3, 4, 5, 6] and value.values[6:] == [None] * 6
    assert target.values == [10.0] * 12
    assert pace.values[5] == 6 and pace.values[11] == 12 and pace.dashed
    client.force_login(committee_member)
    text = client.get(DASHBOARD, {"fra": "2020-01-01", "til": "2020-06-30"}).content.decode()
    assert 'id="chart-maal-ti-initiativer-title">Ti initiativer i 2020</title>' in text
    assert 'stroke-dasharray="6 4"' in text
    rows = read_csv(client.get(csv_url("maal"), {"fra": "2020-01-01", "til": "2020-06-30"}))
    assert rows[0][:5] == [
        "Mål",
        "Værdi",
        "Målværdi",
        "Periodens start",
        "Frist",
    ]
    [row] = [r for r in rows if r[0] == "Ti initiativer i 2020"]
    assert row[1:6] == ["6", "10", "2020-01-01", "2020-12-31", "12"]
    progress = client.get(reverse("evaluation:progress")).content.decode()
    assert "Ti initiativer i 2020" in progress
    assert reverse("evaluation:dashboard-csv", args=["maal"]) not in progress  # public page


# Item 3: effect indicators over time -----------------------------------------------------------


def test_indicator_chart_and_no_measurements_in_the_period_names_the_latest(
    client, committee_member, fredericia
):
    first = MeasurementFactory(indicator__strategy=fredericia, measured_on=date(2020, 2, 1))
    MeasurementFactory(indicator=first.indicator, measured_on=date(2020, 8, 1), value=49)
    MeasurementFactory(indicator=first.indicator, measured_on=date(2022, 3, 1), value=41)
    client.force_login(committee_member)
    text = client.get(DASHBOARD, PERIOD).content.decode()
    assert f'id="chart-indikator-{first.indicator.pk}-title"' in text
    assert "VIVE, national kortlægning af hjemløshed" in text
    other = client.get(DASHBOARD, {"fra": "2024-01-01", "til": "2024-12-31"}).content.decode()
    message = "Ingen målinger i den valgte periode"
    assert message in other
    latest = other.split(message, 1)[1][:200]
    assert "41" in latest and "1. marts 2022" in latest  # Django's short name for March
    assert "Ingen målinger endnu" not in other
    rows = read_csv(client.get(csv_url(f"indikator-{first.indicator.pk}"), PERIOD))
    assert rows[1] == ["2020-02-01", "57", "VIVE, national kortlægning af hjemløshed"]


# Item 4: themes and core areas over the years -------------------------------------------------


def test_themes_year_by_year(fredericia):
    theme = fredericia.themes.get(number=7)
    ball(date(2019, 3, 1), 1).themes.set([theme])
    ball(date(2020, 3, 1), 1).themes.set([theme])
    ball(date(2020, 4, 1), 1).themes.set([theme])
    for _ in range(6):
        confirmed(date(2019, 5, 1)).themes.set([theme])
    confirmed(date(2020, 5, 1), erased_at=at(date(2021, 1, 1))).themes.set([theme])
    rows = metrics.breakdown_by_year([2019, 2020])
    [balls] = [r for r in rows["themes"]["balls"] if r["object"] == theme]
    assert balls["years"] == {2019: 1, 2020: 2}
    [people] = [r for r in rows["themes"]["ambassadors"] if r["object"] == theme]
    assert people["years"] == {2019: 6, 2020: 6}  # the withdrawn one never counts
    charts = dashboard.yearly_charts(fredericia)
    table = charts["temaer-balls-aar"]
    assert table.header()[1:3] == [str(fredericia.period_start), str(fredericia.period_start + 1)]
    assert "kerneomraader-ambassadors-aar" in charts


def test_ambassadors_interested_per_year_hide_small_counts(fredericia):
    theme = fredericia.themes.get(number=3)
    confirmed(date(fredericia.period_start, 5, 1)).themes.set([theme])
    chart = dashboard.yearly_charts(fredericia)["temaer-ambassadors-aar"]
    row = chart.labels.index(str(theme))
    assert chart.rows[row]["values"][0] == "<5"


# Item 5: downloads a spreadsheet reads ---------------------------------------------------------


@pytest.fixture
def figures():
    for _ in range(7):
        confirmed(date(2020, 2, 1))
    for n in range(10):
        ball(date(2020, 3, 1 + n), 2 + n % 3)
    ActivityFactory(starts_at=at(date(2020, 5, 1)))


def test_csv_parses_back_to_the_numbers_the_page_shows(client, committee_member, figures):
    client.force_login(committee_member)
    page = client.get(DASHBOARD, PERIOD)
    chart = page.context["charts"]["svartid"]
    rows = read_csv(client.get(csv_url("svartid"), PERIOD))
    march = chart.labels.index(dashboard.month_label(date(2020, 3, 1)))
    shown = chart.rows[march]["values"][0]  # "3,0" on the page
    number = float(rows[march + 1][1].replace(",", "."))
    assert number == chart.series[0].values[march] == 3.0
    assert shown in page.content.decode()
    assert rows[march + 1][1] == "3"
    kinds = read_csv(client.get(csv_url("ambassadoerer"), PERIOD))
    assert kinds[1][1] == "7"  # seven citizens: a number, no grouping, no "<5"


def test_the_workbook_has_a_sheet_per_figure_with_typed_cells(client, committee_member, figures):
    client.force_login(committee_member)
    response = client.get(XLSX, PERIOD)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('fremdrift-20200101-20201231.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert {"maal", "engagement", "bolde", "svartid", "ambassadoerer", "temaer"} <= set(
        book.sheetnames
    )
    balls = book["bolde"]
    assert [c.value for c in balls[2]] == ["Måned", "Modtaget", "Afsluttet"]
    march = balls[5]
    assert isinstance(march[0].value, datetime) and march[0].value.date() == date(2020, 3, 1)
    assert march[1].value == 10 and isinstance(march[1].value, int)
    median = book["svartid"][5][1]
    assert median.data_type == "n" and median.value == 3.0
    goals = book["maal"]
    assert goals[3][2].data_type == "n"  # the target
    assert isinstance(goals[3][4].value, datetime)  # the deadline
    assert client.get(XLSX, {"fra": "2020-12-31", "til": "2020-01-01"}).status_code == 400


def test_a_goal_title_never_runs_as_a_formula_in_the_workbook(client, committee_member, fredericia):
    GoalFactory(title='=HYPERLINK("http://example.com","Klik")')
    client.force_login(committee_member)
    book = load_workbook(io.BytesIO(client.get(XLSX, PERIOD).content))
    titles = [row[0] for row in book["maal"].iter_rows(min_row=3, values_only=True)]
    assert '\'=HYPERLINK("http://example.com","Klik")' in titles
    cells = [row[0] for row in book["maal"].iter_rows(min_row=3)]
    assert all(cell.data_type != "f" for cell in cells)


# Item 6: the report --------------------------------------------------------------------------


def test_the_report_opens_with_a_one_page_summary_and_has_no_half_empty_pages(
    client, committee_member, figures
):
    client.force_login(committee_member)
    response = client.get(PDF, PERIOD)
    reader = PdfReader(io.BytesIO(response.content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    first = pages[0]
    assert "150 ambassadører ved udgangen af 2020" in first
    assert "Frist" in first
    assert "Aktive ambassadører" in first  # the engagement beside the goals
    assert "Bolde modtaget og afsluttet pr. måned" not in first  # the charts come after
    assert "31. dec. 2020" in first and "1. jan. 2020" in first
    assert not re.search(r"\d\. (Jan|Dec) \d{4}", " ".join(pages))
    # Every page but the last is well filled (the summary page may end early).
    lines = [len(page.extract_text().splitlines()) for page in reader.pages]
    assert all(n >= 25 for n in lines[1:-1]), lines


def test_english_dates_in_english(client, committee_member):
    with translation.override("en"):
        assert dashboard.day_label(date(2026, 1, 1)) == "Jan. 1, 2026"
    with translation.override("da"):
        assert dashboard.day_label(date(2026, 1, 1)) == "1. jan. 2026"


# Item 7: query counts at scale ---------------------------------------------------------------


def test_dashboard_with_goals_halfway_stays_bounded_at_scale(
    client, committee_member, fredericia, django_assert_max_num_queries
):
    for metric in Metric.values:
        GoalFactory(metric=metric, target=5, period_start=date(2019, 1, 1))
    for n in range(40):
        confirmed(date(2020, 1 + n % 12, 1))
        ball(date(2020, 1 + n % 12, 2), n % 9)
        ActivityFactory(starts_at=at(date(2020, 1 + n % 12, 3)))
        NetworkFactory(starts_on=date(2020, 1 + n % 12, 4))
    client.force_login(committee_member)
    with django_assert_max_num_queries(47):
        response = client.get(DASHBOARD, {"fra": "2020-01-01", "til": "2020-06-30"})
    assert response.status_code == 200
    with django_assert_max_num_queries(17):  # a cold cache: 11 + its reads and writes
        assert client.get(reverse("evaluation:progress")).status_code == 200
