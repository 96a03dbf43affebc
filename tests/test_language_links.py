"""Issue 17: English under /en/, Danish unprefixed, a language switch that is a link.

Every page names its twin in the other language with hreflang links; pages that are not forms
carry no CSRF token; the policy allows same-origin scripts without nonces; a mailed link opens
in the recipient's language.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from ambassadors import services
from tests.ambassadors.factories import AmbassadorFactory
from tests.security.test_settings_headers import parse_csp, public_pages

HREFLANG = re.compile(r'<link rel="alternate" hreflang="([a-zA-Z-]+)" href="([^"]+)">')
SWITCH = re.compile(r'<div class="language-switch"><a href="([^"]+)"')


def english(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, **kwargs)


def hreflangs(html: str) -> dict[str, str]:
    return dict(HREFLANG.findall(html))


def switch_href(html: str) -> str:
    hrefs = SWITCH.findall(html)
    assert len(hrefs) == 1, hrefs
    return hrefs[0].replace("&amp;", "&")


def test_english_lives_under_en_and_danish_stays_unprefixed(client, fredericia):
    assert english("themes:theme-detail", kwargs={"number": 1}) == "/en/temaer/1/"
    assert reverse("themes:theme-detail", kwargs={"number": 1}) == "/temaer/1/"

    danish = client.get("/temaer/1/").content.decode()
    assert '<html lang="da">' in danish and "Gå til indhold" in danish

    page = client.get("/en/temaer/1/").content.decode()
    assert '<html lang="en">' in page and "Skip to content" in page
    assert fredericia.themes.get(number=1).title_en in page
    # the menu of an English page stays in English
    assert 'href="/en/aktiviteter/"' in page


def test_the_language_switch_is_a_link_to_the_same_page_in_the_other_language(client, fredericia):
    danish = client.get("/temaer/1/").content.decode()
    assert switch_href(danish) == "/en/temaer/1/"
    english_page = client.get("/en/temaer/1/").content.decode()
    assert switch_href(english_page) == "/temaer/1/"
    assert "set_language" not in danish and "/i18n/" not in danish


def test_the_language_switch_keeps_the_query_string(client, fredericia):
    html = client.get("/aktiviteter/?tid=tidligere&side=2").content.decode()
    assert switch_href(html) == "/en/aktiviteter/?tid=tidligere&side=2"
    html = client.get("/en/aktiviteter/?tid=tidligere").content.decode()
    assert switch_href(html) == "/aktiviteter/?tid=tidligere"


def test_the_old_post_switch_is_gone(client, db):
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 404


def test_every_public_page_type_names_its_twins_with_hreflang(client, fredericia):
    for url in public_pages():
        if url.startswith("/admin/"):
            continue  # the admin stays Danish and unprefixed: it has no twin
        for path, other in [(url, f"/en{url}"), (f"/en{url}", url)]:
            html = client.get(path).content.decode()
            links = hreflangs(html)
            danish, english_path = (path, other) if not path.startswith("/en/") else (other, path)
            assert links == {
                "da": f"http://testserver{danish}",
                "en": f"http://testserver{english_path}",
                "x-default": f"http://testserver{danish}",
            }, path


def test_the_policy_allows_same_origin_scripts_without_nonces(client, fredericia):
    for url in ["/", "/en/", "/temaer/1/", "/admin/login/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert parse_csp(policy)["script-src"] == "'self'", url
        assert "nonce-" not in policy
        assert "nonce=" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/temaer/",
        "/temaer/1/",
        "/kerneomraader/bolig/",
        "/om/",
        "/tilgaengelighed/",
        "/aktiviteter/",
        "/netvaerk/",
        "/ambassadoerer/",
        "/nyhedsbreve/",
        "/privatliv/",
        "/fremdrift/",
        "/findes-ikke/",
    ],
)
def test_public_pages_that_are_not_forms_carry_no_csrf_token(client, fredericia, path):
    for url in [path, f"/en{path}"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert "csrfmiddlewaretoken" not in response.content.decode(), url
        assert "csrftoken" not in response.cookies, url


def test_a_mail_to_an_english_ambassador_links_under_en(fredericia, committed):
    ambassador = AmbassadorFactory(language="en", email="reader@example.dk")
    committed(services.ambassador_send_login_link, ambassador=ambassador)
    body = mail.outbox[-1].body
    assert "/en/ambassadoerer/min-side/log-ind/" in body
    html = mail.outbox[-1].alternatives[0].content
    assert "/en/ambassadoerer/min-side/log-ind/" in html


def test_a_mail_to_a_danish_ambassador_links_unprefixed_even_from_an_english_page(
    fredericia, committed
):
    ambassador = AmbassadorFactory(language="da", email="laeser@example.dk")
    with translation.override("en"):  # e.g. sent while an English page was being answered
        committed(services.ambassador_send_login_link, ambassador=ambassador)
    body = mail.outbox[-1].body
    assert "/ambassadoerer/min-side/log-ind/" in body
    assert "/en/" not in body


def test_the_admin_health_probe_and_icon_stay_unprefixed(client, db):
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/en/admin/login/").status_code == 404
    assert client.get("/en/healthz").status_code == 404
    assert client.get("/healthz").status_code == 200
