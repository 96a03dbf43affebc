import pytest

from tests.e2e.conftest import assert_accessible, assert_no_console_errors, screenshot


def test_home_to_theme_to_core_area(page, strategy):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("heading", level=1).inner_text() == strategy.name
    screenshot(page, "home")

    page.get_by_role("link", name="Vi vil have flere ind i fællesskaber").first.click()
    page.wait_for_url("**/temaer/5/")
    assert (
        "Vi vil have flere ind i fællesskaber" in page.get_by_role("heading", level=1).inner_text()
    )
    screenshot(page, "theme-5")

    area = strategy.themes.get(number=5).core_areas.order_by("position").first()
    page.get_by_role("complementary").get_by_role("link", name=area.name).click()
    page.wait_for_url(f"**/kerneomraader/{area.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == area.name
    assert page.get_by_role("link", name="Vi vil have flere ind i fællesskaber").count() >= 1
    screenshot(page, f"core-area-{area.slug}")
    assert_no_console_errors(page)


def test_skip_link_is_first_and_moves_focus_to_main(page, strategy):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Gå til indhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_works_in_the_browser(page, strategy):
    page.goto("/aktiviteter/?tid=tidligere")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/aktiviteter/?tid=tidligere")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/temaer/1/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/temaer/1/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Accessibility statement").is_visible()
    title_en = strategy.themes.get(number=1).title_en
    assert page.get_by_role("heading", level=1).inner_text().endswith(title_en)
    assert_accessible(page, "theme 1 in English")
    # the menu keeps the visitor in English
    page.get_by_role("navigation").get_by_role("link", name="Activities").click()
    page.wait_for_url("**/en/aktiviteter/")
    page.get_by_role("link", name="Dansk").click()
    page.wait_for_url(lambda url: url.endswith("/aktiviteter/") and "/en/" not in url)
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("form input[name=csrfmiddlewaretoken]").count() == 0
    assert_no_console_errors(page)


@pytest.mark.parametrize("path", ["/", "/temaer/", "/om/"])
def test_no_horizontal_scrolling_at_320_px(browser, live_server, strategy, path):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot(page, f"narrow{path.replace('/', '-')}")
    context.close()
    assert overflow <= 0


def test_anonymous_visitor_gets_no_tracking_cookies(page, strategy):
    page.goto("/")
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert names == set()  # the pages that are not forms set no CSRF cookie either
