"""Plain Danish by measure: the running text of the public pages, held to LIX limits.

The pages the most vulnerable read first are held tightest (tests/site_pages.py gives each state
its limit): the ball form, its receipt and the status page to 30, the home page and the sign-up
page to 35, every other public page to 45.
"""

from html.parser import HTMLParser

from django.test import Client

from tests.site_pages import PLAIN, Site, Visit, public_visits, render_by_client
from udsathed.core.readability import lix

BLOCKS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "br",
    "section", "article", "aside", "header", "footer", "table", "tr", "td", "th", "form",
    "fieldset", "legend", "label", "button", "blockquote", "figure", "figcaption", "details",
    "summary", "hr", "main", "caption", "option", "address", "pre",
}  # fmt: skip
# Not read as words: navigation, code, addresses and numbers in <code>, dates and times in <time>.
SKIPPED = {
    "nav",
    "script",
    "style",
    "svg",
    "template",
    "noscript",
    "select",
    "textarea",
    "code",
    "time",
}
VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "col", "base"}


class RunningText(HTMLParser):
    """The text a reader reads in `<main>`: not the navigation, not scripts, not the values
    of form fields (field names are attributes and never read), not codes and addresses
    (`<code>`) or dates (`<time>`), not a listing's cards that link to a page
    (`.card-link-area`: they repeat the title and facts that page shows, and it is measured);
    every block ends a sentence."""

    def __init__(self):
        super().__init__()
        self.in_main = False
        self.skip_depth = 0  # > 0 inside a skipped element: the open tags since it began
        self.parts: list[str] = []

    def skipped(self, tag: str, attributes: dict) -> bool:
        return (
            tag in SKIPPED
            or attributes.get("aria-hidden") == "true"
            or "hidden" in attributes
            or "card-link-area" in (attributes.get("class") or "").split()
        )

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if tag not in VOID and (self.skip_depth or self.skipped(tag, dict(attrs))):
            self.skip_depth += 1
        if tag in BLOCKS and not self.skip_depth:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if not self.in_main or tag in VOID:
            return
        if self.skip_depth:
            self.skip_depth -= 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_main and not self.skip_depth:
            self.parts.append(data)

    @property
    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def running_text(html: str) -> str:
    parser = RunningText()
    parser.feed(html)
    return parser.text


def danish_html(visit: Visit, site: Site) -> str:
    if visit.by_client:
        return render_by_client(visit, "da", site=site)[1]
    client = Client()
    if visit.staff:
        client.force_login(site.staff_user)
    if visit.login:
        client.get(visit.login)
    if visit.cookie:
        client.cookies[visit.cookie] = "1"
    response = client.get(visit.path)
    assert response.status_code == visit.status, (visit.label, response.status_code)
    return response.content.decode()


def test_running_text_skips_navigation_and_field_values():
    html = (
        "<nav>Forside Temaer</nav><main><h1>Send en bold</h1><nav>Side 2</nav>"
        '<label for="t">Titel</label><input name="contact_consent" value="ja">'
        "<select><option>Bolig</option></select><p>Skriv kort. Vi svarer</p></main><p>Fod</p>"
    )
    assert running_text(html) == "Send en bold\nTitel\nSkriv kort. Vi svarer"


def test_public_pages_are_plain_danish_by_lix(fredericia, project_leader):
    site = Site(staff_user=project_leader)
    scores = []
    for visit in public_visits(site):
        text = running_text(danish_html(visit, site))
        scores.append((visit, round(lix(text), 1), text))
    too_hard = [
        f"{visit.label} ({visit.path}): LIX {score} > {visit.lix}\n{text}\n"
        for visit, score, text in scores
        if score > visit.lix
    ]
    assert too_hard == [], "\n".join(too_hard)
    assert {v.label for v, *_ in scores if v.lix == PLAIN} >= {"ball form", "ball receipt"}
