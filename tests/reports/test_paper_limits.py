"""Every paper holds any text the forms accept (ADR 0044): each text field at its limit written as one unbroken token
(a pasted link) renders in every format of every paper kind, and the PDF holds the whole text; a BAF risk with two
controls at their limit renders; an IPR of measures with too few points for process limits issues; and a paper that
still cannot be laid out names the record and field, on the command line in one line with exit status 1."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader
from tests.reports.limits_data import plan_at_limits, text_of, unbroken_of
from tests.reports.test_ipr import months

from wellled.core import limits
from wellled.reports.board_paper import board_paper_build
from wellled.reports.formats import FORMATS, render
from wellled.reports.paper_errors import PaperContentError

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate

# Escaped on the way into ReportLab's markup and back out of the PDF as written.
ESCAPED = "a=1&b=<2>;"


def pdf_text(data: bytes) -> str:
    """The PDF's text without any white space (a text broken across lines or rows reads as one)."""
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "".join("".join(p.text for p in document.paragraphs).split()) + "".join("".join(cells).split())


# The board paper -------------------------------------------------------------------------------------------------


def test_board_paper_with_every_text_one_unbroken_token_at_its_limit_renders_in_every_format(org, editor):
    plan, as_at = plan_at_limits(org, editor, actions=1, filler=unbroken_of)
    paper = board_paper_build(user=editor, organisation=org, plan=plan, as_at=as_at)
    files = {fmt: render(paper, fmt) for fmt in FORMATS}
    text = pdf_text(files["pdf"])
    for marker in ("END-TITLE-0", "END-MEASURE-0", "END-UPDATE-0", "END-FINDING"):
        assert marker in text, marker
    assert ESCAPED in text
    words = docx_text(files["docx"])
    for marker in ("END-TITLE-0", "END-MEASURE-0", "END-UPDATE-0", "END-FINDING"):
        assert marker in words, marker
    for fmt in ("csv", "html"):
        assert "END-UPDATE-0" in files[fmt].decode("utf-8-sig"), fmt


def test_board_paper_that_cannot_be_laid_out_names_the_action_and_update(org, editor, monkeypatch):
    """Should ReportLab still fail (here: no table may split), the error names the tallest text's record and field."""
    from wellled.reports.pdf_layout import PaperTable

    plan, as_at = plan_at_limits(org, editor, actions=1)
    paper = board_paper_build(user=editor, organisation=org, plan=plan, as_at=as_at)
    monkeypatch.setattr(PaperTable, "split", lambda self, width, height: [])
    with pytest.raises(PaperContentError) as caught:
        render(paper, "pdf")
    assert caught.value.record == "Action L0"
    assert caught.value.field.startswith("progress update of ")
    assert str(caught.value).startswith("Action L0, progress update of ")
    assert "6,000 characters" in str(caught.value)


def test_board_paper_command_given_content_it_cannot_lay_out_exits_1_with_one_line(
    org, editor, monkeypatch, tmp_path, capsys
):
    from wellled.reports.management.commands.board_paper import Command
    from wellled.reports.pdf_layout import PaperTable

    plan, _ = plan_at_limits(org, editor, actions=1)
    monkeypatch.setattr(PaperTable, "split", lambda self, width, height: [])
    argv = ["wellled", "board_paper", "--organisation", org.ods_code, "--plan", plan.name, "--format", "pdf"]
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv([*argv, "--out", str(tmp_path / "paper.pdf"), "-v", "0"])
    assert exited.value.code == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert error.startswith("CommandError: Action L0, progress update of ")
    assert "Traceback" not in error


# The BAF ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def baf_at_limits(org, editor, lead):
    """Build the BAF of one principal risk whose every text, two controls and their assurances, is at its limit."""
    from tests.risks.conftest import make_risk

    from wellled.risks import services
    from wellled.risks.baf_paper import baf_paper_build
    from wellled.risks.models import Risk

    objective = services.objective_create(organisation=org, by=editor, code="SO1", title="Safe care")

    def build(filler):
        risk = make_risk(
            org,
            editor,
            title=filler(limits.limit_of(Risk, "title"), "END-RISK"),
            owner=lead,
            reference="ZNM-012",
            gaps_in_control=filler(limits.RISK_DESCRIPTION_CHARS, "END-GAPS-CONTROL"),
            gaps_in_assurance=filler(limits.RISK_DESCRIPTION_CHARS, "END-GAPS-ASSURANCE"),
        )
        services.risk_baf_set(
            risk=risk,
            by=editor,
            expected_version=risk.version,
            principal=True,
            objective=objective,
            lead_committee="Quality committee",
            lead_executive=editor,
            assurance_rating="reasonable",
        )
        for index in range(2):
            control = services.control_add(
                risk=risk, by=editor, description=filler(limits.RISK_CONTROL_CHARS, f"END-CONTROL-{index}")
            )
            services.assurance_add(
                control=control,
                by=editor,
                source=filler(limits.RISK_CONTROL_CHARS, f"END-ASSURANCE-{index}"),
                line="third",
                level="limited",
            )
        return baf_paper_build(user=editor, organisation=org, as_at=TODAY())

    return build


@pytest.mark.parametrize("filler", [text_of, unbroken_of], ids=["words", "unbroken"])
def test_baf_with_two_controls_and_assurances_at_their_limit_renders_in_every_format(baf_at_limits, filler):
    from wellled.risks.baf_render import FORMATS as BAF_FORMATS
    from wellled.risks.baf_render import render as baf_render

    paper = baf_at_limits(filler)
    files = {fmt: baf_render(paper, fmt) for fmt in BAF_FORMATS}
    markers = ["END-GAPS-CONTROL", "END-GAPS-ASSURANCE"] + [
        f"END-{kind}-{i}" for kind in ("CONTROL", "ASSURANCE") for i in range(2)
    ]
    text, words = pdf_text(files["pdf"]), docx_text(files["docx"])
    for marker in markers:
        assert marker in text, marker
        assert marker in words, marker
    assert "END-CONTROL-1" in files["csv"].decode("utf-8-sig")


def test_baf_that_cannot_be_laid_out_names_the_risk_and_control(baf_at_limits, monkeypatch):
    from wellled.reports.pdf_layout import PaperTable
    from wellled.risks.baf_render import render as baf_render

    paper = baf_at_limits(text_of)
    monkeypatch.setattr(PaperTable, "split", lambda self, width, height: [])
    with pytest.raises(PaperContentError) as caught:
        baf_render(paper, "pdf")
    assert caught.value.record == "Risk ZNM-012"
    assert caught.value.field in ("gaps in control", "gaps in assurance", "control 1", "control 2")


def test_baf_command_given_content_it_cannot_lay_out_exits_1_with_one_line(
    org, baf_at_limits, monkeypatch, tmp_path, capsys
):
    from wellled.reports.pdf_layout import PaperTable
    from wellled.risks.management.commands.baf_paper import Command

    baf_at_limits(text_of)
    monkeypatch.setattr(PaperTable, "split", lambda self, width, height: [])
    argv = ["wellled", "baf_paper", "--organisation", org.ods_code, "--format", "pdf", "--out"]
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv([*argv, str(tmp_path / "baf.pdf"), "-v", "0"])
    assert exited.value.code == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert error.startswith("CommandError: Risk ZNM-012, ")


# The integrated performance report --------------------------------------------------------------------------------


def _measure(org, editor, name: str, values):
    from wellled.measures import services

    measure = services.measure_create(
        organisation=org, by=editor, name=name, kind="value", direction="increase"
    )
    rows = [
        services.ValueRow(measure.pk, day, value=v)
        for day, v in zip(months(len(values)), values, strict=True)
        if v is not None
    ]
    services.values_load(organisation=org, by=editor, source="test", rows=rows)
    return measure


def test_ipr_with_commentary_one_unbroken_token_at_its_limit_renders_in_pdf_and_word(org, editor):
    from wellled.measures import services
    from wellled.reports.ipr import ipr_build, render_ipr_docx, render_ipr_pdf

    measure = _measure(org, editor, "Staff appraisal rate", [50, 52, 49, 51, 53, 50, 52, 51, 49, 52, 50, 51])
    services.commentary_write(
        measure=measure,
        by=editor,
        period=TODAY(),
        shows=unbroken_of(limits.MEASURE_COMMENTARY_CHARS, "END-SHOWS"),
        why=unbroken_of(limits.MEASURE_COMMENTARY_CHARS, "END-WHY"),
        next_steps=unbroken_of(limits.MEASURE_COMMENTARY_CHARS, "END-NEXT"),
    )
    report = ipr_build(user=editor, organisation=org, as_at=TODAY())
    text, words = pdf_text(render_ipr_pdf(report)), docx_text(render_ipr_docx(report))
    for marker in ("END-SHOWS", "END-WHY", "END-NEXT"):
        assert marker in text, marker
        assert marker in words, marker


def test_ipr_of_measures_with_too_few_points_for_limits_issues_and_says_so(org, editor):
    """As the demo's ward accreditation measures: one to four points each. Their limits are None in the snapshot (valid
    JSON), the charts draw without them, and the report says too few points rather than common cause."""
    from wellled.reports.ipr.kind import frozen_report, ipr_issue

    for count in (1, 2, 3, 4):
        _measure(org, editor, f"Ward {count}", [60 + i for i in range(count)])
    _measure(
        org, editor, "Ward visited every other month", [60, None, 70, None, 65]
    )  # no two points adjacent
    issued = ipr_issue(organisation=org, as_at=TODAY(), by=editor)
    json.dumps(issued.data, allow_nan=False)  # strict JSON: no NaN anywhere
    report = frozen_report(issued)
    said = {m.name: m.variation_text for m in report.measures}
    assert said["Ward 1"] == "1 point: too few for process limits"
    assert said["Ward visited every other month"] == "3 points: too few for process limits"
    # Making Data Count: limits need a baseline of at least 12 points, so four points are too few as well (this
    # said "Common cause variation" before issue 26, which is what a board must never be told of four points).
    assert said["Ward 4"] == "4 points: too few for process limits"
    one = next(m for m in report.measures if m.name == "Ward 1")
    assert one.chart.groups[-1].upper_limit is None
    assert "1point:toofewforprocesslimits" in pdf_text(bytes(issued.files.get(format="pdf").content))
    assert "1point:toofewforprocesslimits" in docx_text(bytes(issued.files.get(format="docx").content))


def test_ipr_chart_is_drawn_once_for_both_formats(org, editor, monkeypatch):
    from wellled.reports.ipr import ipr_build, render_ipr_docx, render_ipr_pdf
    from wellled.reports.papers.charts import ChartCache
    from wellled.spc import render as spc_render

    _measure(org, editor, "Drawn once", [50, 52, 49, 51, 53, 50, 52, 51, 49, 52, 50, 51])
    report = ipr_build(user=editor, organisation=org, as_at=TODAY())
    drawn = []
    real = spc_render.render_svg
    monkeypatch.setattr(spc_render, "render_svg", lambda *a, **k: drawn.append(1) or real(*a, **k))
    charts = ChartCache()  # one issue's cache, as the paper pipeline passes it to every format
    render_ipr_pdf(report, charts)
    render_ipr_docx(report, charts)
    assert len(drawn) == 1


# The information answer ------------------------------------------------------------------------------------------


def test_information_answer_with_texts_one_unbroken_token_at_their_limit_renders_in_every_format():
    from wellled.information.answer import AnswerPaper, AnswerTable
    from wellled.information.render import FORMATS as ANSWER_FORMATS
    from wellled.information.render import render as answer_render

    update = unbroken_of(limits.PROGRESS_NARRATIVE_CHARS, "END-UPDATE")
    paper = AnswerPaper(
        title="Plan position",
        subject_name="Northmoor Test Trust",
        subject_ods_code="ZNM",
        answered_by="North region",
        kind="plan",
        kind_label="Plan position",
        asked_for=unbroken_of(limits.INFORMATION_REQUEST_CHARS, "END-ASKED"),
        as_at=datetime.date(2026, 11, 30),
        generated_at=timezone.now(),
        generated_by="Director",
        tables=(AnswerTable("Actions", ("Ref", "Progress update"), (("L0", update),)),),
    )
    for fmt in ANSWER_FORMATS:
        data = answer_render(paper, fmt)
        if fmt == "csv":
            assert update in data.decode("utf-8-sig") and "END-ASKED" in data.decode("utf-8-sig")
        else:
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
            assert update in cells
