"""Issue 20 item 1: one translation mechanism for every text people read.

The texts are kept per language by django-modeltranslation (each app's `translation.py`);
English falls back to Danish where no English text was written, and the page says so.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone, translation

from evaluation.models import EvaluationRound, Goal, Indicator, Question, Recommendation
from evaluation.tasks import send_questionnaires
from networks.models import Activity, ActivityPicture, AnswerTemplate, Network
from tests.ambassadors.factories import AmbassadorFactory
from tests.evaluation.factories import (
    ActivityFactory,
    EvaluationRoundFactory,
    RespondentFactory,
)
from tests.networks.factories import NetworkFactory
from tests.themes.factories import ThemeFactory
from themes.models import CoreArea, Milestone, SocialProblem, Strategy, Theme
from themes.services import strategy_file_path, strategy_load
from udsathed.core.translation import (
    fill_default_language,
    is_fallback,
    text_in,
    translated_fields,
)

ONLY_DANISH = "This text is only available in Danish."

# What people read, per model (issue 20 item 1). A model or field dropped from a
# `translation.py` fails here.
TRANSLATED = {
    Strategy: {"name", "tagline", "purpose", "target_group", "theme_label", "core_area_label"},
    Milestone: {"title", "description"},
    SocialProblem: {"name"},
    Theme: {"title", "description"},
    CoreArea: {"name", "promise", "description"},
    Network: {"name", "purpose", "expected_result", "outcome"},
    Activity: {"title", "description", "summary"},
    ActivityPicture: {"alt_text", "caption"},
    AnswerTemplate: {"text"},
    Goal: {"title", "description"},
    Indicator: {"name", "description", "unit"},
    EvaluationRound: {"title", "summary"},
    Question: {"text"},
    Recommendation: {"topic", "text", "background"},
}


def english(url_name, *args):
    with translation.override("en"):
        return reverse(url_name, args=args)


@pytest.mark.parametrize("model", TRANSLATED, ids=lambda m: m.__name__)
def test_every_text_people_read_is_kept_in_both_languages(model):
    assert set(translated_fields(model)) == TRANSLATED[model]
    names = {field.name for field in model._meta.get_fields()}
    for field in TRANSLATED[model]:
        assert {f"{field}_da", f"{field}_en"} <= names


def test_english_page_shows_english_text_and_says_where_only_danish_exists(client, fredericia):
    theme = ThemeFactory(
        strategy=fredericia,
        number=99,
        title="Vi vil have plads til alle",
        title_en="We want room for everyone",
        description="Kun på dansk endnu.",
        description_en="",
    )
    page = client.get(english("themes:theme-detail", theme.number)).content.decode()
    assert "We want room for everyone" in page
    assert '<div lang="da"><p>Kun på dansk endnu.</p></div>' in page
    assert ONLY_DANISH in page

    with translation.override("da"):
        danish = client.get(reverse("themes:theme-detail", args=[theme.number])).content.decode()
    assert "Vi vil have plads til alle" in danish
    assert ONLY_DANISH not in danish and 'lang="da"><p>' not in danish


def test_fully_translated_english_page_has_no_note(client, fredericia):
    theme = ThemeFactory(strategy=fredericia, number=98, title_en="Room", description_en="All.")
    page = client.get(english("themes:theme-detail", theme.number)).content.decode()
    assert ONLY_DANISH not in page


def test_activity_and_its_pictures_in_english(client, db):
    activity = ActivityFactory(
        title="Fællesspisning",
        title_en="Community dinner",
        description="Vi spiser sammen.",
        description_en="We eat together.",
        summary="Tredive kom.",
        summary_en="",
    )
    ActivityPicture.objects.create(
        activity=activity,
        image="activities/spisning.jpg",
        alt_text_da="Folk ved et langbord",
        alt_text_en="People at a long table",
    )
    page = client.get(english("networks:activity-detail", activity.slug)).content.decode()
    assert "Community dinner" in page and "We eat together." in page
    assert 'alt="People at a long table"' in page
    assert '<div lang="da"><p>Tredive kom.</p></div>' in page  # the minutes, not translated
    assert ONLY_DANISH in page


def test_network_page_in_english(client, db):
    network = NetworkFactory(name="Ensomme mænd", name_en="Lonely men", purpose_en="To meet.")
    page = client.get(english("networks:network-detail", network.slug)).content.decode()
    assert "Lonely men" in page and "To meet." in page


def test_api_gives_the_english_text(client, db):
    ActivityFactory(
        title="Fællesspisning",
        title_en="Community dinner",
        state="open",
        starts_at=timezone.now() + timedelta(days=3),
    )
    with translation.override("da"):
        url = reverse("api:activity-list")
    assert client.get(url).json()["results"][0]["title"] == "Fællesspisning"
    assert client.get(url, {"lang": "en"}).json()["results"][0]["title"] == "Community dinner"


def test_questionnaire_reaches_each_ambassador_in_their_own_language(fredericia):
    round = EvaluationRoundFactory(title="Evaluering 2026", title_en="Evaluation 2026")
    RespondentFactory(round=round, ambassador=AmbassadorFactory(language="en"))
    RespondentFactory(round=round, ambassador=AmbassadorFactory(language="da"))
    assert send_questionnaires.call(round.pk) == 2
    by_language = {message.to[0]: message for message in mail.outbox}
    for respondent in round.respondents.select_related("ambassador"):
        message = by_language[respondent.ambassador.email]
        title = "Evaluation 2026" if respondent.ambassador.language == "en" else "Evaluering 2026"
        assert title in message.body
        if respondent.ambassador.language == "en":
            assert "Evaluering 2026" not in message.body
            assert "/en/" in message.body


def test_answer_template_in_the_senders_language_falls_back_to_danish(db):
    template = AnswerTemplate.objects.create(title="Tak", text_da="Tak for bolden.", text_en="")
    assert template.text_for("en") == "Tak for bolden."
    template.text_en = "Thank you for the ball."
    assert template.text_for("en") == "Thank you for the ball."
    with translation.override("en"):  # the admin may run in English; the sender wrote Danish
        assert template.text_for("da") == "Tak for bolden."


def test_is_fallback_tells_when_danish_stands_in(db):
    theme = ThemeFactory(title="Titel", title_en="", description="Tekst", description_en="Text")
    assert is_fallback(theme, "title", "en")
    assert not is_fallback(theme, "description", "en")
    assert not is_fallback(theme, "title", "da")
    assert not is_fallback(theme, "film_url", "en")  # not a translated field
    assert text_in(theme, "title", "en") == "Titel"


def test_load_strategy_fills_both_languages_whatever_language_is_active(db):
    with translation.override("en"):
        strategy_load(path=strategy_file_path("fredericia"))
    theme = Theme.objects.order_by("number").first()
    assert theme.title_da.startswith("Vi vil") and theme.title_en.startswith("We want")
    strategy = Strategy.objects.get(slug="fredericia")
    assert (
        strategy.tagline_da and strategy.tagline_en and strategy.tagline_da != strategy.tagline_en
    )
    again = strategy_load(path=strategy_file_path("fredericia"))
    assert not again.changed


def test_migration_copies_each_text_into_its_danish_column_and_keeps_english(db):
    theme = ThemeFactory(title="Dansk titel", title_en="English title")
    Theme.objects.filter(pk=theme.pk).update(title_da=None)  # as the column was just added
    # The models as the migration sees them: plain fields, no translating manager.
    state = MigrationLoader(connection).project_state(
        ("themes", "0003_content_in_danish_and_english")
    )
    fill_default_language("themes", {"Theme": ("title",)})(state.apps, None)
    theme.refresh_from_db()
    assert (theme.title_da, theme.title_en) == ("Dansk titel", "English title")
