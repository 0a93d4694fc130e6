"""A workstream section's purpose and executive lead are printed under its heading in every paper format."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from tests.reports.paper_data import AS_AT

from wellled.core.service_kit import AS_IT_STANDS
from wellled.plans import services
from wellled.reports.board_paper import board_paper_build
from wellled.reports.render_docx import render_docx
from wellled.reports.render_html import render_html
from wellled.reports.render_pdf import render_pdf
from wellled.reports.render_xlsx import render_xlsx

pytestmark = pytest.mark.django_db

PURPOSE = "Grow leaders who can run services safely."


@pytest.fixture
def paper(paper_plan, org):
    w1 = paper_plan.plan.sections.get(code="W1")
    services.section_update(
        section=w1,
        by=paper_plan.editor,
        expected_version=AS_IT_STANDS,
        purpose=PURPOSE,
        executive_lead=paper_plan.leads["RG"],
    )
    return board_paper_build(user=paper_plan.viewer, organisation=org, plan=paper_plan.plan, as_at=AS_AT)


def test_the_section_block_carries_purpose_and_executive_lead(paper):
    w1 = paper.part_a[0]
    assert (w1.purpose, w1.executive_lead) == (PURPOSE, "Rosa Green (RG)")
    assert w1.about == f"Purpose: {PURPOSE} Executive lead: Rosa Green (RG)."
    assert paper.part_a[1].about == ""


def test_every_format_prints_it(paper):
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(paper))).pages)
    assert PURPOSE in pdf and "Executive lead: Rosa Green (RG)" in pdf
    cells = [c.text for t in Document(io.BytesIO(render_docx(paper))).tables for r in t.rows for c in r.cells]
    assert any(PURPOSE in c and "Rosa Green (RG)" in c for c in cells)
    html = render_html(paper)
    html = html.decode() if isinstance(html, bytes) else html
    assert PURPOSE in html and "Executive lead: Rosa Green (RG)" in html
    sections = load_workbook(io.BytesIO(render_xlsx(paper)))["Sections"]
    assert ["W1", "Leadership capacity and capability", PURPOSE, "Rosa Green (RG)"] in [
        list(r) for r in sections.iter_rows(min_row=2, values_only=True)
    ]
