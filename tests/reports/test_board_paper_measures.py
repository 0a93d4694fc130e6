"""Success measures in the board paper: each linked action shows its measure's latest value, icons and target,
a completed action whose measure shows concern is an exception, and a measures section lists them, as at the
paper's date (a value for a later period is left out). Checked in the built paper and in the files."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from tests.reports.paper_data import AS_AT

from wellled.measures import services as measure_services
from wellled.plans.models import Action
from wellled.reports.board_paper import board_paper_build
from wellled.reports.formats import render

MEASURE_NAME = "Leaders seen on wards each month"
# 16 steady months, then 8 months clearly lower: a shift of concern for a measure where higher is better.
VALUES = [52, 55, 51, 54, 53, 56, 52, 54, 55, 53, 51, 54, 56, 52, 53, 55] + [40, 41, 39, 42, 40, 38, 41, 40]
LATE_VALUE = 99.0  # recorded for October 2025, after the paper's date


def month_starts(count: int, first: datetime.date) -> list[datetime.date]:
    return [
        datetime.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(count)
    ]


@pytest.fixture
def linked_paper(paper_plan, org, editor):
    measure = measure_services.measure_create(
        organisation=org,
        by=editor,
        name=MEASURE_NAME,
        kind="value",
        direction="increase",
        target=50,
        unit_of_measurement="visits",
    )
    periods = month_starts(len(VALUES) + 1, datetime.date(2023, 10, 1))
    assert periods[-2] == datetime.date(2025, 9, 1) and periods[-1] > AS_AT
    rows = [
        measure_services.ValueRow(measure.pk, day, value=float(v))
        for day, v in zip(periods, [*VALUES, LATE_VALUE], strict=True)
    ]
    measure_services.values_load(organisation=org, by=editor, rows=rows, source="visits.csv")
    w1c = Action.objects.get(plan=paper_plan.plan, reference="W1c")
    measure_services.success_measure_link(action=w1c, by=editor, measure=measure, target=50)
    return board_paper_build(user=paper_plan.viewer, organisation=org, plan=paper_plan.plan, as_at=AS_AT)


def test_the_linked_action_shows_its_measure_as_at_the_papers_date(linked_paper):
    row = next(r for r in linked_paper.rows if r.reference == "W1c")
    assert row.measure is not None
    assert row.measure.name == MEASURE_NAME
    assert row.measure.latest == "40 visits" and row.measure.latest_period == "Sep 2025"
    assert row.measure.variation == "concern_low" and row.measure.variation_label == "Concern (low)"
    assert row.measure.target_met is False and row.measure.met_text == "Target not met"
    assert all(r.measure is None for r in linked_paper.rows if r.reference != "W1c")


def test_a_complete_action_whose_measure_shows_concern_is_an_exception(linked_paper):
    assert [r.reference for r in linked_paper.exceptions.not_improved] == ["W1c"]
    (line,) = linked_paper.measures
    assert line.name == MEASURE_NAME and line.references == ("W1c",) and line.points == len(VALUES)


def test_the_pdf_word_and_excel_papers_show_the_measure(linked_paper):
    pdf = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render(linked_paper, "pdf"))).pages
    )
    assert "Complete, but the measure has not improved (1)" in pdf
    assert "Measures: has it improved?" in pdf
    assert MEASURE_NAME in pdf and "Concern (low)" in pdf and "target not met" in pdf
    assert "99 visits" not in pdf

    document = Document(io.BytesIO(render(linked_paper, "docx")))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any(MEASURE_NAME in c and "Target 50 visits: target not met" in c for c in cells)
    assert "Measures: has it improved?" in [p.text for p in document.paragraphs]

    sheet = load_workbook(io.BytesIO(render(linked_paper, "xlsx")))["Actions"]
    header = [c.value for c in sheet[1]]
    w1c = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[header.index("Ref")] == "W1c")
    assert w1c[header.index("Linked measure")] == MEASURE_NAME
    assert w1c[header.index("Variation")] == "Concern (low)"
    assert w1c[header.index("Target met")] == "No"


def test_the_html_paper_shows_the_icons_with_their_meaning_in_words(linked_paper):
    html = render(linked_paper, "html").decode()
    assert 'aria-label="Special cause variation: concern (low values)"' in html
    assert "Concern (low)" in html and MEASURE_NAME in html
