"""A board paper renders any text the limits allow (docs/limits.md): a row taller than a page continues on the
next, nothing is lost, and the Excel file never cuts a cell silently."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from tests.reports.limits_data import plan_at_limits

from wellled.reports.board_paper import board_paper_build
from wellled.reports.render_pdf import render_pdf

pytestmark = pytest.mark.django_db


def test_pdf_with_every_text_at_its_limit_renders_and_each_text_ends_in_the_pdf(org, editor):
    plan, as_at = plan_at_limits(org, editor)
    paper = board_paper_build(user=editor, organisation=org, plan=plan, as_at=as_at)
    reader = PdfReader(io.BytesIO(render_pdf(paper)))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    for index in range(2):
        for marker in (f"END-TITLE-{index}", f"END-MEASURE-{index}", f"END-UPDATE-{index}"):
            # each appears in Part A, Part B and (at risk: status R) the exceptions
            assert text.count(marker) >= 2, marker
    assert "END-FINDING" in text


def test_excel_paper_says_in_the_cell_where_text_over_a_cells_limit_was_shortened(org, editor):
    """Text stored before the limits (here a 40,000-character update) is never cut silently in Excel."""
    import openpyxl

    from wellled.plans.models import Action, ProgressUpdate
    from wellled.reports.render_xlsx import render_xlsx

    plan, as_at = plan_at_limits(org, editor, actions=1)
    action = Action.objects.get(plan=plan)
    latest = action.updates.first()
    ProgressUpdate(
        action=action,
        narrative="old " * 10_000,
        status=latest.status,
        update_date=latest.update_date,
        created_by=editor,
        created_at=latest.created_at,  # same moment, recorded after it: the latest (and within a closed cycle)
    ).save()
    paper = board_paper_build(user=editor, organisation=org, plan=plan, as_at=as_at)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(paper)), read_only=True)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
    shortened = [c for c in cells if isinstance(c, str) and "Shortened here" in c]
    assert shortened and all(len(c) <= 32_767 for c in shortened)
    assert "the full text is 40,000 characters" in shortened[0]


def test_a_paper_that_cannot_be_laid_out_names_the_action_and_the_reason(org, editor, login, monkeypatch):
    from django.urls import reverse
    from reportlab.platypus.doctemplate import LayoutError

    from wellled.reports import render_pdf as pdf_module

    plan, _ = plan_at_limits(org, editor, actions=1)

    def fail(paper):
        raise LayoutError("Flowable too large on page 7")

    monkeypatch.setattr(pdf_module, "render_pdf", fail)
    response = login(editor).get(reverse("board-paper-download", args=[plan.pk, "pdf"]))
    page = response.content.decode()
    assert response.status_code == 422
    assert "The PDF file could not be produced (a page could not be laid out)" in page
    assert "action L0 (6,000 characters in its progress update)" in page
