"""A committee member logs in, reads the dashboard and downloads the PDF report."""

from datetime import date, timedelta

from django.utils import timezone
from pypdf import PdfReader

from evaluation.models import Metric
from networks.models import ActivityKind
from tests.ambassadors.factories import AmbassadorFactory, ParticipationFactory
from tests.e2e.conftest import assert_accessible, assert_no_console_errors, screenshot
from tests.evaluation.factories import ActivityFactory, GoalFactory, MeasurementFactory
from tests.factories import UserFactory
from tests.networks.factories import BallFactory

PASSWORD = "en-lang-og-sikker-adgangskode"


def test_committee_member_reads_the_dashboard_and_downloads_the_pdf(page, strategy, groups):
    user = UserFactory(username="udvalg", is_staff=True, password=PASSWORD)
    user.groups.add(groups[1])
    now = timezone.now()
    for n in range(8):
        ambassador = AmbassadorFactory(confirmed_at=now - timedelta(days=200))
        ParticipationFactory(ambassador=ambassador, occurred_on=(now - timedelta(days=n)).date())
        BallFactory(
            received_at=now - timedelta(days=40 + n),
            first_response_at=now - timedelta(days=35 + n),
            title=f"Privat bold {n}",
        )

    # A goal running through this year with one plenary meeting held, and an indicator.
    today = timezone.localdate()
    GoalFactory(
        strategy=strategy,
        slug="stormoede-i-aar",
        title="Mindst to stormøder i år",
        metric=Metric.PLENARY_MEETINGS,
        target=2,
        period_start=date(today.year, 1, 1),
        period_end=date(today.year, 12, 31),
    )
    ActivityFactory(kind=ActivityKind.PLENARY, starts_at=now - timedelta(days=30))
    MeasurementFactory(indicator__strategy=strategy, measured_on=today - timedelta(days=60))

    page.goto("/dashboard/")
    page.wait_for_url("**/admin/login/**")
    page.get_by_label("Brugernavn").fill("udvalg")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/dashboard/")

    assert page.get_by_role("heading", name="Dashboard for udvalget", level=1).is_visible()
    assert page.get_by_role("img", name="Bolde modtaget og afsluttet pr. måned").is_visible()
    assert page.get_by_role("heading", name="150 ambassadører ved udgangen af 2020").is_visible()
    assert "Privat bold" not in page.content()
    # Each goal draws its course: value, target and where today's pace lands.
    assert page.get_by_role("img", name="Mindst to stormøder i år").is_visible()
    assert page.get_by_role("img", name="Hjemløse i kommunen (personer)").is_visible()
    page.get_by_text("Vis tallene som tabel").first.click()
    assert_accessible(page, "dashboard")
    screenshot(page, "dashboard")

    with page.expect_download(timeout=30_000) as info:  # WeasyPrint takes seconds on 2 cores
        page.get_by_role("link", name="Hent dashboardet som PDF-rapport").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(download.path()).pages)
    assert "Fremdriftsrapport" in text
    assert "150 ambassadører ved udgangen af 2020" in text

    page.goto("/dashboard/?fra=2020-12-31&til=2020-01-01")
    assert page.get_by_text("Perioden skal slutte samme dag").first.is_visible()
    assert_accessible(page, "dashboard with a bad period")
    assert_no_console_errors(page)

    page.goto("/fremdrift/")
    assert page.get_by_role("img", name="Mindst to stormøder i år").is_visible()
    assert page.get_by_role("img", name="Hjemløse i kommunen (personer)").is_visible()
    assert_accessible(page, "progress page")
    screenshot(page, "progress")
    assert_no_console_errors(page)
