import pytest

from tests.e2e.conftest import assert_accessible, assert_no_console_errors, screenshot
from tests.factories import UserFactory

PASSWORD = "en-lang-og-sikker-adgangskode"
# The log-in page is the same page for every test here: axe checks it once per process.
CHECKED = set()


@pytest.fixture
def logged_in_leader(page, strategy, groups):
    user = UserFactory(username="projektleder", is_staff=True, password=PASSWORD)
    user.groups.add(groups[0])
    page.goto("/admin/login/")
    if "admin login" not in CHECKED:
        assert_accessible(page, "admin login")
        CHECKED.add("admin login")
    page.get_by_label("Brugernavn").fill("projektleder")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/admin/")
    return page


def test_project_leader_edits_a_theme_in_the_admin(logged_in_leader, strategy):
    page = logged_in_leader
    theme = strategy.themes.get(number=7)
    page.goto(f"/admin/themes/theme/{theme.pk}/change/")
    assert_accessible(page, "theme change form")
    page.get_by_label("Link til film").fill("https://film.example.dk/tema-7")
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_url("**/admin/themes/theme/")
    screenshot(page, "admin-theme-list")
    theme.refresh_from_db()
    assert theme.film_url == "https://film.example.dk/tema-7"
    assert_no_console_errors(page)
