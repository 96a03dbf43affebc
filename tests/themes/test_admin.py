import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from tests.themes.factories import (
    CoreAreaFactory,
    MilestoneFactory,
    PostcodeFactory,
    SocialProblemFactory,
    StrategyFactory,
    ThemeFactory,
)
from themes.admin import CoreAreaAdmin, StrategyAdmin, ThemeAdmin
from themes.models import CoreArea, Milestone, Postcode, SocialProblem, Strategy, Theme

MODELS = [Strategy, Theme, CoreArea, Milestone, SocialProblem, Postcode]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def lots_of_data(db):
    for s in range(3):
        strategy = StrategyFactory(is_active=s == 0)
        themes = ThemeFactory.create_batch(12, strategy=strategy)
        for _ in range(3):
            CoreAreaFactory(strategy=strategy, themes=themes[:6])
        MilestoneFactory.create_batch(4, strategy=strategy)
        SocialProblemFactory.create_batch(4, strategy=strategy)
        PostcodeFactory.create_batch(5, strategy=strategy)


@pytest.mark.parametrize("model", MODELS)
def test_changelists_open_with_bounded_queries(
    client, superuser, lots_of_data, model, django_assert_max_num_queries
):
    client.force_login(superuser)
    with django_assert_max_num_queries(12):
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_add_pages_open(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


def test_change_pages_open(admin_client, fredericia):
    assert admin_client.get(admin_url(Strategy, "change", fredericia.pk)).status_code == 200
    theme = fredericia.themes.first()
    assert admin_client.get(admin_url(Theme, "change", theme.pk)).status_code == 200
    area = fredericia.core_areas.first()
    assert admin_client.get(admin_url(CoreArea, "change", area.pk)).status_code == 200


def test_changelist_search_and_filter(admin_client, fredericia):
    response = admin_client.get(admin_url(Theme, "changelist"), {"q": "frivillighed"})
    assert "Vi vil have mere frivillighed" in response.content.decode()
    response = admin_client.get(admin_url(Strategy, "changelist"), {"is_active__exact": "1"})
    assert fredericia.name in response.content.decode()


def test_admin_display_methods(fredericia):
    theme_admin = ThemeAdmin(Theme, site)
    theme = fredericia.themes.prefetch_related("core_areas").get(number=1)
    assert "Bolig" in theme_admin.core_area_names(theme)
    assert theme_admin.has_film(theme) is False
    strategy_admin = StrategyAdmin(Strategy, site)
    assert strategy_admin.period_display(fredericia) == fredericia.period_display
    annotated = CoreAreaAdmin(CoreArea, site).get_queryset(None).first()
    assert annotated.theme_count == annotated.themes.count()


def test_the_admin_uses_danish_names(admin_client, db):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Strategien" in html
    assert "Temaer" in html
    assert "Kerneområder" in html


def test_only_one_strategy_can_be_active(db):
    from django.core.exceptions import ValidationError

    StrategyFactory(is_active=True)
    second = StrategyFactory.build(is_active=True)
    with pytest.raises(ValidationError, match="Kun én strategi kan være aktiv"):
        second.full_clean()
