"""The one export mechanism (udsathed.core.exports): formula-safe cells, the audit row, and the
exports of stories and questionnaire results (issue 21 item 2)."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ambassadors.admin.exports import AmbassadorExportResource
from ambassadors.models import Ambassador, StoryState
from evaluation.models import QuestionKind
from evaluation.services import response_submit
from tests.ambassadors.factories import AmbassadorFactory
from tests.evaluation.factories import EvaluationRoundFactory, QuestionFactory, RespondentFactory
from udsathed.core.exports import safe_cell
from udsathed.core.models import AuditAction, AuditEntry


def test_safe_cell_defuses_every_formula_start():
    for value in ["=1+1", "+45", "-2", "@SUM(A1)", "\t=1", "\r=1"]:
        assert safe_cell(value) == "'" + value
    assert safe_cell("Aase") == "Aase"
    assert safe_cell(3) == 3


def test_story_export_is_audited(client, project_leader, fredericia):
    from ambassadors.models import Story

    story = Story.objects.create(
        ambassador=AmbassadorFactory(name="Aase"),
        title="@Min historie",
        text="Det gik godt.",
        state=StoryState.SUBMITTED,
    )
    client.force_login(project_leader)
    response = client.post(
        reverse("admin:ambassadors_story_changelist"),
        {"action": "export_excel", "_selected_action": [story.pk]},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'@Min historie" in cells and "Det gik godt." in cells
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.user, entry.target, entry.persons) == (project_leader, "ambassadors.story", 1)


def test_results_export_is_aggregated_as_the_results_page(
    client, project_leader, committee_member, fredericia
):
    round = EvaluationRoundFactory()
    scale = QuestionFactory(round=round, text="Hvor tilfreds er du?")
    text = QuestionFactory(round=round, kind=QuestionKind.TEXT, text="Hvad mangler?")
    for score, words in [(5, "Mere tid"), (3, ""), (5, "=Bedre kaffe")]:
        response_submit(
            respondent=RespondentFactory(round=round), answers={scale.pk: score, text.pk: words}
        )
    url = reverse("admin:evaluation_evaluationround_results", args=[round.pk])
    client.force_login(committee_member)
    assert "?format=xlsx" in client.get(url).content.decode()
    response = client.get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, first, second = rows
    assert first[header.index("spørgsmål")] == "Hvor tilfreds er du?"
    assert [first[header.index(str(n))] for n in range(1, 6)] == ["0", "0", "1", "0", "2"]
    assert first[header.index("3")] == "1"
    assert second[-1].splitlines() == ["Mere tid", "=Bedre kaffe"]  # a text cell, not a formula
    for respondent in round.respondents.select_related("ambassador"):
        assert respondent.ambassador.name not in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.user, entry.target, entry.persons) == (committee_member, "evaluation.answer", 2)
    response = client.get(url, {"format": "xlsx"})
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 3


def test_ambassador_export_keeps_a_bounded_number_of_queries(
    client, project_leader, fredericia, django_assert_max_num_queries
):
    themes = list(fredericia.themes.all()[:3])
    people = [AmbassadorFactory(themes=themes) for _ in range(30)]
    client.force_login(project_leader)
    with django_assert_max_num_queries(20):
        response = client.post(
            reverse("admin:ambassadors_ambassador_changelist"),
            {"action": "export_csv", "_selected_action": [person.pk for person in people]},
        )
    assert len(response.content.decode("utf-8-sig").splitlines()) == 31


def test_ambassador_export_reads_many_rows_in_as_many_queries_as_a_few(fredericia):
    # Paged by OFFSET, the list would be read again for each page (quadratic in the rows); the
    # rows come in chunks of one server-side cursor instead.
    themes = list(fredericia.themes.all()[:2])
    few = [AmbassadorFactory(themes=themes).pk for _ in range(3)]
    many = few + [AmbassadorFactory(themes=themes).pk for _ in range(147)]
    resource = AmbassadorExportResource()
    counts = []
    for people in (few, many):
        with CaptureQueriesContext(connection) as queries:
            dataset = resource.export(resource.rows(Ambassador.objects.filter(pk__in=people)))
        assert len(dataset) == len(people)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_ambassador_export_names_the_themes_and_core_areas_in_the_page_language(fredericia):
    from django.utils import translation

    themes = list(fredericia.themes.order_by("number")[:2])
    areas = list(fredericia.core_areas.order_by("position")[:2])
    areas[1].name_en = ""  # no English name: the Danish one stands in, as on the pages
    areas[1].save()
    person = AmbassadorFactory(themes=themes, core_areas=areas)
    bare = AmbassadorFactory()
    resource = AmbassadorExportResource()
    for language in ("da", "en"):
        with translation.override(language):
            rows = resource.rows(Ambassador.objects.filter(pk__in=[person.pk, bare.pk]))
            dataset = resource.export(rows.order_by("pk"))
            themes_column, areas_column = (
                dataset.headers.index(str(resource.fields["themes"].column_name)),
                dataset.headers.index(str(resource.fields["core_areas"].column_name)),
            )
            first, second = dataset[0], dataset[1]
            assert first[themes_column] == f"{themes[0].number}, {themes[1].number}"
            names = [getattr(areas[0], f"name_{language}"), areas[1].name_da]
            assert first[areas_column] == ", ".join(names)
            assert second[themes_column] == "" and second[areas_column] == ""
