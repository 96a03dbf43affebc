import pytest
from django.urls import reverse

from tests.themes.factories import CoreAreaFactory, MilestoneFactory, StrategyFactory, ThemeFactory
from themes.services import STRATEGY_DIR, strategy_load

PUBLIC_PAGES = [
    ("themes:home", {}),
    ("themes:theme-list", {}),
    ("themes:theme-detail", {"number": 1}),
    ("themes:corearea-detail", {"slug": "bolig"}),
    ("themes:about", {}),
    ("themes:accessibility", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_public_pages_answer_in_danish(client, fredericia, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert 'href="#main"' in html  # skip link
    assert reverse("themes:accessibility") in html  # footer link
    assert "Fællesskabsportalen" in html


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_public_pages_have_a_unique_title(client, fredericia, name, kwargs):
    titles = set()
    for other_name, other_kwargs in PUBLIC_PAGES:
        html = client.get(reverse(other_name, kwargs=other_kwargs)).content.decode()
        titles.add(html.split("<title>")[1].split("</title>")[0])
    assert len(titles) == len(PUBLIC_PAGES)


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_PAGES)
def test_public_pages_run_a_bounded_number_of_queries(
    client, db, django_assert_max_num_queries, name, kwargs
):
    strategy = StrategyFactory(slug="stor")
    themes = ThemeFactory.create_batch(40, strategy=strategy)
    for i in range(10):
        CoreAreaFactory(strategy=strategy, slug="bolig" if i == 0 else f"a{i}", themes=themes)
    MilestoneFactory.create_batch(20, strategy=strategy)
    url = reverse(name, kwargs=kwargs).replace("/1/", f"/{themes[0].number}/")
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200


def test_home_shows_core_areas_and_all_themes(client, fredericia):
    response = client.get(reverse("themes:home"))
    assert response.templates[0].name == "themes/home.html"
    html = response.content.decode()
    for theme in fredericia.themes.all():
        assert theme.title in html
        assert theme.get_absolute_url() in html
    for area in fredericia.core_areas.all():
        assert area.get_absolute_url() in html
    assert fredericia.name in html


def test_theme_page_links_its_core_areas_and_neighbours(client, fredericia):
    theme = fredericia.themes.get(number=5)
    response = client.get(theme.get_absolute_url())
    html = response.content.decode()
    assert theme.title in html
    for area in theme.core_areas.all():
        assert area.get_absolute_url() in html
    assert reverse("themes:theme-detail", kwargs={"number": 4}) in html
    assert reverse("themes:theme-detail", kwargs={"number": 6}) in html


def test_core_area_page_lists_its_themes(client, fredericia):
    area = fredericia.core_areas.get(slug="beskaeftigelse")
    html = client.get(area.get_absolute_url()).content.decode()
    assert area.promise in html
    for theme in area.themes.all():
        assert theme.get_absolute_url() in html


def test_about_page_has_target_group_and_history(client, fredericia):
    html = client.get(reverse("themes:about")).content.decode()
    assert fredericia.social_problems.first().name in html
    for year in (2018, 2021, 2022):
        assert f'<span class="year">{year}</span>' in html


@pytest.mark.parametrize(
    "path", ["/temaer/99/", "/temaer/0/", "/kerneomraader/findes-ikke/", "/ingen-side/"]
)
def test_unknown_pages_get_the_styled_404(client, fredericia, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert "Vi kunne ikke finde siden" in response.content.decode()


def test_pages_work_before_any_strategy_is_loaded(client, db):
    for name in ("themes:home", "themes:theme-list", "themes:about"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "load_strategy" in response.content.decode()
    assert client.get("/temaer/1/").status_code == 404


def test_frederiksberg_swaps_in_with_its_own_words(client, fredericia):
    strategy_load(path=STRATEGY_DIR / "frederiksberg.toml")
    html = client.get(reverse("themes:home")).content.decode()
    assert "Frederiksberg Kommune" in html
    assert "Principper" in html and "Fokusområder" in html
    assert "Vi vil være en by for alle" not in html
    assert client.get("/kerneomraader/bolig/").status_code == 404


def test_language_switch_to_english_and_back(client, fredericia):
    danish = client.get("/temaer/1/").content.decode()
    assert '<a href="/en/temaer/1/" hreflang="en" lang="en"' in danish
    html = client.get("/en/temaer/1/").content.decode()
    assert '<html lang="en">' in html
    assert (
        "We want to focus on the whole person" in html
        or fredericia.themes.get(number=1).title_en in html
    )
    assert "Skip to content" in html
    assert "Accessibility statement" in html
    # every public page has its English twin under /en/
    for name, kwargs in PUBLIC_PAGES:
        page = client.get(f"/en{reverse(name, kwargs=kwargs)}").content.decode()
        assert '<html lang="en">' in page
        assert "Accessibility statement" in page
    assert '<a href="/temaer/1/" hreflang="da" lang="da"' in html
    back = client.get("/temaer/1/").content.decode()
    assert '<html lang="da">' in back  # the language is the URL's, never remembered


def test_every_page_carries_a_strict_content_security_policy(client, fredericia):
    response = client.get(reverse("themes:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy and "nonce" not in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert "style=" not in html
    assert html.count("<script") == html.count('<script src="/static/')
