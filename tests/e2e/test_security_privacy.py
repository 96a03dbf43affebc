"""Privacy 7 and accessibility 2-3 in Chromium: an anonymous visitor gets only strictly necessary
cookies and no request to another host; the public forms work by keyboard alone, the error summary
takes the focus, and nothing scrolls sideways at 320 px."""

import pytest

from tests.e2e.conftest import assert_no_console_errors

PUBLIC_PATHS = [
    "/",
    "/temaer/",
    "/om/",
    "/privatliv/",
    "/netvaerk/",
    "/aktiviteter/",
    "/nyhedsbreve/",
    "/ambassadoerer/",
    "/ambassadoerer/bliv-ambassadoer/",
    "/ambassadoerer/min-side/log-ind/",
    "/bolde/send/",
    "/bolde/",
]
NECESSARY_COOKIES = {"csrftoken", "sessionid", "ball_just_sent"}
FORMS = ["/ambassadoerer/bliv-ambassadoer/", "/ambassadoerer/min-side/log-ind/", "/bolde/send/"]


def test_anonymous_visitors_get_only_necessary_cookies_and_no_foreign_requests(page, strategy):
    for path in PUBLIC_PATHS:
        page.goto(path)
    # Sending a form (with errors) is where a session or tracking cookie would appear.
    page.goto("/bolde/send/")
    page.locator("main form [type=submit]").last.click()
    page.wait_for_load_state()
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert names <= NECESSARY_COOKIES, names
    assert page.watcher.foreign_requests == []
    assert_no_console_errors(page)


def test_no_horizontal_scrolling_at_320_px(page, strategy):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in PUBLIC_PATHS:
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)


@pytest.fixture
def every_public_form(strategy):
    """The public forms that refuse an empty submission: the three above, an activity's
    registration and (last, after logging in by the e-mail link) the story form. (The
    evaluation questionnaire accepts an empty answer, so it has no error summary to reach.)"""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from ambassadors.tokens import make_token
    from networks.models import Activity
    from tests.ambassadors.factories import AmbassadorFactory

    start = timezone.now() + timedelta(days=7)
    activity = Activity.objects.create(
        kind="theme_day", title="Temadag", description="Om bolig.", starts_at=start,
        ends_at=start + timedelta(hours=2), place_name="Biblioteket",
        address="Prinsessegade 33, 7000 Fredericia", state="open",
    )  # fmt: skip
    ambassador = AmbassadorFactory()
    login = reverse("ambassadors:ambassador-login", args=[make_token(ambassador, "login")])
    return [
        *FORMS,
        activity.get_absolute_url(),
        (login, reverse("ambassadors:story-create")),
    ]


def test_public_forms_by_keyboard_alone_focus_the_error_summary(page, every_public_form):
    for path in every_public_form:
        if isinstance(path, tuple):  # log in first by the e-mail link, then the form
            page.goto(path[0])
            path = path[1]
        page.goto(path)
        # Tab until the submit button has the focus, then press Enter: no mouse anywhere.
        for _ in range(300):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "(() => { const e = document.activeElement;"
                " return [e.tagName, e.type || '', getComputedStyle(e).outlineStyle,"
                " getComputedStyle(e).boxShadow, !!e.closest('main form')]; })()"
            )
            if focused[0] in {"BUTTON", "INPUT"} and focused[1] == "submit" and focused[4]:
                break
        else:
            raise AssertionError(f"the submit button of {path} is not reachable by Tab")
        assert focused[2] != "none" or focused[3] != "none", (path, focused)
        page.keyboard.press("Enter")
        # Functions, not expressions: Playwright evaluates an expression string with eval(),
        # which the portal's Content-Security-Policy refuses once it has to poll.
        page.wait_for_function(
            "() => document.readyState === 'complete' && (document.getElementById('error-summary')"
            " || (document.activeElement && document.activeElement.matches(':invalid')))"
        )
        if page.locator("#error-summary").count() == 0:
            # The browser's own check stopped the empty form first and focused the field.
            assert page.evaluate("document.activeElement.matches(':invalid')"), path
            page.evaluate("document.querySelector('main form').noValidate = true")
            page.keyboard.press("Enter")
            page.wait_for_selector("#error-summary")
            page.wait_for_load_state()
        summary = page.locator("#error-summary")
        assert summary.count() == 1, path
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.id === 'error-summary'",
            timeout=5000,
        )
        fields = page.evaluate(
            "[...document.querySelectorAll('[aria-invalid=true]:not([type=radio])')]"
            ".map(e => [e.name || e.id,"
            " (e.getAttribute('aria-describedby') || '').split(' ').filter(i => i &&"
            " document.getElementById(i)).length])"
        )
        assert fields, path
        assert all(described for _name, described in fields), (path, fields)


def test_invalid_radio_groups_point_to_their_error(page, strategy):
    page.goto("/ambassadoerer/bliv-ambassadoer/")
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form [type=submit]").last.click()
    page.wait_for_selector("#error-summary")
    radios = page.locator("[aria-invalid=true][type=radio]")
    assert radios.count() >= 1
    described = radios.first.get_attribute("aria-describedby")
    assert described and page.locator(f"#{described}").is_visible()
