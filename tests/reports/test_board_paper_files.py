"""Open the files a board member receives and check what they read: PDF, Word, Excel, CSV."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pypdf import PdfReader
from tests.reports.paper_data import AS_AT, FORMULA_NARRATIVE, LATE_NARRATIVE, SUCCESS_FORMULA

from wellled.core.cells import safe_cell
from wellled.reports.board_paper import board_paper_build
from wellled.reports.render_csv import render_csv
from wellled.reports.render_docx import BODY, render_docx
from wellled.reports.render_pdf import render_pdf
from wellled.reports.render_xlsx import render_xlsx

REFS = ["W1a", "W1b", "W1c", "W2a", "W2b", "X1"]
LEADS = ["RG", "TL", "DMc / TL", "Varied"]


@pytest.fixture
def paper(paper_plan, org):
    return board_paper_build(user=paper_plan.viewer, organisation=org, plan=paper_plan.plan, as_at=AS_AT)


@pytest.fixture
def pdf_pages(paper):
    reader = PdfReader(io.BytesIO(render_pdf(paper)))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


# PDF ----------------------------------------------------------------------------------------------------------


def test_pdf_front_page(pdf_pages):
    front = pdf_pages[0]
    assert "Northmoor Test Trust (ZNT01)" in front
    assert "Well-led review 2025: delivery status" in front
    assert "Position as at 30 September 2025" in front
    assert "Since the previous paper" in front and "31 August 2025" in front
    for word in ("Improved", "Worsened", "Newly completed", "Timescale slipped", "No update"):
        assert word in front
    assert f"Page 1 of {len(pdf_pages)}" in front


def test_pdf_every_page_has_the_running_header_and_page_number(pdf_pages):
    for number, text in enumerate(pdf_pages, start=1):
        assert "Northmoor Test Trust (ZNT01)" in text
        assert "position as at 30 September 2025" in text
        assert f"Page {number} of {len(pdf_pages)}" in text


def test_pdf_exceptions_come_before_the_parts(pdf_pages):
    text = " ".join(pdf_pages)
    assert (
        text.index("Exceptions")
        < text.index("Part A: delivery status by section")
        < text.index("Part B: delivery status by finding")
    )
    exceptions = text[text.index("Actions at risk or off track (1)") : text.index("Part A: delivery")]
    assert "W1b" in exceptions and "Timescales slipped this cycle (1)" in exceptions
    assert "W1a" in exceptions and "Updates awaited (1)" in exceptions and "W2b" in exceptions


def test_pdf_rows_leads_codes_and_legend(pdf_pages):
    text = " ".join(pdf_pages)
    part_a = text[text.index("Part A: delivery status by section") :]
    for ref in REFS:
        assert ref in part_a
    for lead in LEADS:
        assert lead in part_a
    for code in ("A/G", "R", "G"):
        assert f" {code} " in part_a
    assert "March 2026 → July 2026" in part_a
    assert "Status key" in part_a
    for label in ("Complete and assured", "On track", "At risk", "Off track"):
        assert label in part_a
    assert LATE_NARRATIVE not in text


# Word ---------------------------------------------------------------------------------------------------------


def _docx(paper, **kwargs):
    return Document(io.BytesIO(render_docx(paper, **kwargs)))


def _plan_table(document, ref="W1a"):
    return next(
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "Ref"
        and any(r.cells[0].text == ref for r in t.rows)
        and len(t.columns) == 7
    )


def test_docx_tables_with_repeating_header_rows_and_status_codes(paper):
    document = _docx(paper)
    table = _plan_table(document)
    header = table.rows[0]
    assert [c.text for c in header.cells] == [
        "Ref",
        "Planned action",
        "Timescale",
        "Lead",
        "Success measure",
        "Progress update",
        "Status",
    ]
    tbl_header = header._tr.trPr.find(qn("w:tblHeader"))
    assert tbl_header is not None and tbl_header.get(qn("w:val")) == "true"
    rows = {r.cells[0].text: r for r in table.rows[1:] if len(set(r.cells)) == 7}
    assert set(REFS) <= set(rows)
    w1b = rows["W1b"]
    assert w1b.cells[3].text == "TL"
    assert w1b.cells[6].text.startswith("R")
    shading = w1b.cells[6]._tc.tcPr.find(qn("w:shd"))
    assert shading.get(qn("w:fill")) == "D5281B"  # the status colour, with the code as text
    assert rows["W1a"].cells[2].text == "March 2026 → July 2026"
    assert rows["W2a"].cells[3].text == "DMc / TL"
    assert FORMULA_NARRATIVE in rows["W1a"].cells[5].text


def test_docx_front_page_exceptions_and_legend(paper):
    document = _docx(paper)
    paragraphs = [p.text for p in document.paragraphs]
    assert "Position as at 30 September 2025" in paragraphs
    assert "Exceptions" in paragraphs
    assert "Actions at risk or off track (1)" in paragraphs
    assert "Part A: delivery status by section" in paragraphs
    assert "Part B: delivery status by finding" in paragraphs
    legends = [t for t in document.tables if t.rows[0].cells[0].text == "B" and len(t.columns) == 12]
    assert len(legends) == 1  # the status key once, not under each of the paper's headings (issue 27)
    key_notes = [p for p in paragraphs if p.startswith("Status key:")]
    assert len(key_notes) == 1
    legend_text = " ".join(c.text for c in legends[0].rows[0].cells)
    for label in ("Complete and assured:", "On track:", "At risk:", "Off track:", "No update:"):
        assert label in legend_text
    everything = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert LATE_NARRATIVE not in everything
    header = document.sections[0].header.paragraphs[0].text
    assert "Northmoor Test Trust (ZNT01)" in header and "30 September 2025" in header
    assert "NUMPAGES" in document.sections[0].footer._element.xml
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


def test_docx_uses_a_trust_template(paper, tmp_path):
    template = Document()
    style = template.styles.add_style(BODY, 1)
    style.font.name = "Georgia"
    style.font.size = Pt(11)
    template.add_paragraph("Template placeholder text")
    path = tmp_path / "trust.docx"
    template.save(path)
    document = _docx(paper, template=path)
    assert "Template placeholder text" not in [p.text for p in document.paragraphs]
    assert document.styles[BODY].font.name == "Georgia"
    assert any(p.style.name == BODY for p in document.paragraphs)
    assert _plan_table(document) is not None


# Excel --------------------------------------------------------------------------------------------------------


def test_xlsx_one_row_per_action_with_fills_filters_and_frozen_header(paper):
    workbook = load_workbook(io.BytesIO(render_xlsx(paper)))
    sheet = workbook["Actions"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Section", "Section title", "Ref", "Planned action"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{len(REFS) + 1}"
    assert sheet.max_row == len(REFS) + 1
    column = {name: index for index, name in enumerate(header)}
    rows = {r[column["Ref"]].value: r for r in sheet.iter_rows(min_row=2)}
    assert list(rows) == REFS
    w1b = rows["W1b"]
    assert w1b[column["Status"]].value == "R"
    assert w1b[column["Status"]].fill.fgColor.rgb.endswith("D5281B")
    assert w1b[column["Lead"]].value == "TL"
    assert rows["W1a"][column["Timescale"]].value == "March 2026 → July 2026"
    formula = rows["W1a"][column["Progress update"]]
    assert formula.data_type == "s" and formula.value == "'" + FORMULA_NARRATIVE
    measure = w1b[column["Success measure"]]
    assert measure.data_type == "s" and measure.value == "'" + SUCCESS_FORMULA
    assert workbook["Legend"]["A2"].value == "B"
    legend = [r[1].value for r in workbook["Legend"].iter_rows(min_row=2)]
    assert legend == ["Complete and assured", "Complete", "On track", "At risk", "Off track", "No update"]


# CSV ----------------------------------------------------------------------------------------------------------


def test_csv_neutralises_formulas(paper):
    text = render_csv(paper).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Ref"] for r in rows] == REFS
    by_ref = {r["Ref"]: r for r in rows}
    assert by_ref["W1a"]["Progress update"] == "'" + FORMULA_NARRATIVE
    assert by_ref["W1a"]["Progress update"].startswith("'=SUM(")
    assert by_ref["W1b"]["Success measure"] == "'+44 staff trained"
    assert by_ref["W1b"]["Status"] == "R" and by_ref["W1b"]["Lead"] == "TL"
    assert LATE_NARRATIVE not in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Plain text", "Plain text"),
        ("", ""),
        (None, ""),
        (42, 42),
        ("A=B", "A=B"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
