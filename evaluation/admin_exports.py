"""What the questionnaire results export: one row per question, aggregated as the results page
shows them (counts per score, the average, the free-text answers without names);
udsathed.core.exports does the how."""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from udsathed.core.exports import ExportResource


class RoundResultsExportResource(ExportResource):
    point = Field(column_name=_("evaluation point"))
    question = Field(column_name=_("question"))
    answered = Field(attribute="answered", column_name=_("answered"))
    average = Field(column_name=_("average"))
    score_1 = Field(column_name="1")
    score_2 = Field(column_name="2")
    score_3 = Field(column_name="3")
    score_4 = Field(column_name="4")
    score_5 = Field(column_name="5")
    texts = Field(column_name=_("free-text answers"))

    def dehydrate_point(self, row):
        return str(row["question"].get_point_display())

    def dehydrate_question(self, row):
        return row["question"].text

    def dehydrate_average(self, row):
        return round(row["average"], 2) if row["average"] is not None else ""

    def _score(self, row, score):
        return dict(row["scores"]).get(score, 0) if row["is_scale"] else ""

    def dehydrate_score_1(self, row):
        return self._score(row, 1)

    def dehydrate_score_2(self, row):
        return self._score(row, 2)

    def dehydrate_score_3(self, row):
        return self._score(row, 3)

    def dehydrate_score_4(self, row):
        return self._score(row, 4)

    def dehydrate_score_5(self, row):
        return self._score(row, 5)

    def dehydrate_texts(self, row):
        return "\n".join(row["texts"])
