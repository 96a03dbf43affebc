from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from themes.models import CoreArea, Postcode, Strategy, Theme
from themes.services import STRATEGY_DIR, StrategyFileError, strategy_load

FREDERICIA = STRATEGY_DIR / "fredericia.toml"
FREDERIKSBERG = STRATEGY_DIR / "frederiksberg.toml"

MINIMAL = """
[strategy]
slug = "testby"
name = "Testbyens strategi"
municipality = "Testby Kommune"
period_start = 2024
tagline = "En strategi til test."
purpose = "Formål."
target_group = "Målgruppe."

[[themes]]
number = 1
title = "Vi vil teste"
description = "Beskrivelse."

[[core_areas]]
slug = "omraade"
name = "Område"
promise = "Et løfte."
description = "Beskrivelse."
themes = [1]

[[postcodes]]
code = "9999"
name = "Testby"
"""


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Strategy, Theme, CoreArea, Postcode)
    ] + [list(CoreArea.themes.through.objects.order_by("pk").values())]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "testby.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_fredericia_loads_12_themes_and_3_core_areas():
    result = strategy_load(path=FREDERICIA)
    strategy = result.strategy
    assert strategy.is_active
    assert list(strategy.themes.values_list("number", flat=True)) == list(range(1, 13))
    assert strategy.themes.get(number=1).title == "Vi vil have fokus på det hele menneske"
    assert strategy.themes.get(number=12).title == "Vi vil arbejde forebyggende"
    assert set(strategy.core_areas.values_list("slug", flat=True)) == {
        "bolig",
        "beskaeftigelse",
        "lighed-i-sundhed",
    }
    assert strategy.postcodes.filter(code="7000").exists()
    assert strategy.social_problems.count() >= 7
    assert strategy.milestones.filter(year=2021).exists()
    # every theme belongs to at least one core area
    assert not strategy.themes.filter(core_areas__isnull=True).exists()


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    strategy_load(path=FREDERICIA)
    before = snapshot()
    result = strategy_load(path=FREDERICIA)
    assert not result.changed
    assert result.created == result.updated == result.deleted == 0
    assert snapshot() == before


@pytest.mark.django_db
def test_editing_the_file_updates_rows_in_place(tmp_path):
    path = write(tmp_path, MINIMAL)
    strategy_load(path=path)
    theme_pk = Theme.objects.get().pk
    edited = MINIMAL.replace('title = "Vi vil teste"', 'title = "Vi vil teste grundigt"')
    edited += '\n[[themes]]\nnumber = 2\ntitle = "Vi vil mere"\ndescription = "Mere."\n'
    result = strategy_load(path=write(tmp_path, edited))
    assert result.updated == 1 and result.created == 1
    assert Theme.objects.get(number=1).pk == theme_pk
    assert Theme.objects.get(number=1).title == "Vi vil teste grundigt"
    assert Strategy.objects.count() == 1 and Theme.objects.count() == 2


@pytest.mark.django_db
def test_removed_rows_are_deleted(tmp_path):
    strategy_load(path=write(tmp_path, MINIMAL))
    without_postcode = MINIMAL.split("[[postcodes]]")[0]
    result = strategy_load(path=write(tmp_path, without_postcode))
    assert result.deleted == 1
    assert not Postcode.objects.exists()


@pytest.mark.django_db
def test_frederiksberg_loads_into_the_same_models_and_becomes_active():
    strategy_load(path=FREDERICIA)
    result = strategy_load(path=FREDERIKSBERG)
    strategy = result.strategy
    assert result.activated
    assert Strategy.objects.active().get() == strategy
    assert strategy.themes.count() == 8
    assert strategy.core_areas.count() == 4
    assert strategy.themes_heading == "Principper"
    assert strategy.postcodes.filter(code="2000").exists()
    assert strategy.postcodes.filter(code="1850").exists()
    assert not Strategy.objects.get(slug="fredericia").is_active


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('name = "Testbyens strategi"\n', ""), "strategy.name: required"),
        (
            lambda t: t.replace("period_start = 2024", 'period_start = "2024"'),
            "strategy.period_start",
        ),
        (lambda t: t.replace("themes = [1]", "themes = [7]"), "core_areas[0].themes"),
        (lambda t: t.replace('code = "9999"', 'code = "99"'), "postcodes[0]"),
        (
            lambda t: t + '\n[[themes]]\nnumber = 1\ntitle = "x"\ndescription = "y"\n',
            "themes[1].number",
        ),
        (lambda t: t.replace("[strategy]", "[strategi]"), "strategi: unknown section"),
        (lambda t: t.replace("tagline =", "tagline_fr = 'x'\ntagline ="), "strategy.tagline_fr"),
        (
            lambda t: t.replace('title = "Vi vil teste"', f'title = "{"x" * 300}"'),
            "themes[0].title",
        ),
        (lambda t: t.replace("[[themes]]", "[[themes"), "not valid TOML"),
    ],
)
def test_a_broken_file_names_the_field_and_changes_nothing(tmp_path, change, message):
    strategy_load(path=STRATEGY_DIR / "fredericia.toml")
    before = snapshot()
    with pytest.raises(StrategyFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        strategy_load(path=write(tmp_path, change(MINIMAL)))
    assert snapshot() == before


@pytest.mark.django_db
def test_a_late_failure_rolls_back_earlier_writes(tmp_path):
    # The theme is valid and written first; the bad postcode fails later in the same load.
    broken = MINIMAL.replace('code = "9999"', 'code = "abcd"')
    with pytest.raises(StrategyFileError, match=r"postcodes\[0\]"):
        strategy_load(path=write(tmp_path, broken))
    assert not Strategy.objects.exists()
    assert not Theme.objects.exists()


@pytest.mark.django_db
def test_command_loads_by_name_and_reports(capsys):
    call_command("load_strategy", "fredericia")
    assert "now the active strategy" in capsys.readouterr().out
    call_command("load_strategy", "fredericia")
    assert "0 created, 0 updated" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_if_none_leaves_a_loaded_strategy_alone(fredericia, capsys):
    call_command("load_strategy", "frederiksberg", "--if-none")
    assert Strategy.objects.active().get() == fredericia


@pytest.mark.django_db
def test_command_with_a_broken_file_fails_clearly(tmp_path):
    path = write(tmp_path, MINIMAL.replace("period_start = 2024\n", ""))
    with pytest.raises(CommandError, match="strategy.period_start: required field is missing"):
        call_command("load_strategy", str(path))
    assert not Strategy.objects.exists()


@pytest.mark.django_db
def test_command_with_an_unknown_name_fails_clearly():
    with pytest.raises(CommandError, match="no such strategy file"):
        call_command("load_strategy", "atlantis")
