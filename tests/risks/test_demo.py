"""The demo register: about 60 risks across the demo trust's directorates, a BAF of 8 to 12 principal risks linked to
the demo plans' actions and measures, dates counted from the load day, loaded once."""

import datetime

import pytest

from wellled.core.models import Organisation
from wellled.demo.loader import DemoDates
from wellled.demo.risks import demo_spec, register_load
from wellled.demo.steps import STEPS, demo_run
from wellled.reports.models import IssuedPaper, PaperKind
from wellled.risks.models import Risk

pytestmark = pytest.mark.django_db
LOAD_DAY = datetime.date(2026, 12, 3)


@pytest.fixture
def loaded():
    """The whole demo, through its load steps, on a fixed load day."""
    demo_run(dates=DemoDates(today=LOAD_DAY))
    return Organisation.objects.get(ods_code="ZNM")


def test_risks_step_runs_after_the_measures_it_links_to():
    names = [step.name for step in STEPS]
    assert names.index("risk registers and the BAF") > names.index("measures")


def test_demo_register_and_baf_when_loaded(loaded):
    risks = Risk.objects.filter(organisation=loaded)
    assert 55 <= risks.count() <= 65
    assert risks.exclude(unit=None).values("unit").distinct().count() >= 8
    principal = risks.filter(principal=True)
    assert 8 <= principal.count() <= 12
    assert all(r.objective_id and r.lead_committee and r.lead_executive_id for r in principal)
    assert principal.filter(actions__isnull=False).distinct().count() >= 8
    assert principal.filter(measures__isnull=False).distinct().count() >= 5
    # Escalated by each trust's own threshold (Eastvale's is 12).
    for risk in Risk.objects.filter(organisation__ods_code__in=["ZNM", "ZEV"]).select_related("organisation"):
        threshold = demo_spec()[risk.organisation.ods_code]["threshold"]
        assert risk.escalated == (risk.status != "closed" and risk.current_score >= threshold), risk


def test_demo_dates_count_from_the_load_day_when_loaded(loaded):
    risks = Risk.objects.filter(organisation=loaded)
    overdue = risks.filter(next_review_on__lt=LOAD_DAY).exclude(status="closed").count()
    assert 5 <= overdue <= 20
    assert risks.filter(next_review_on__gt=LOAD_DAY).count() > 30
    assert risks.filter(opened_on__gt=LOAD_DAY).count() == 0
    # A BAF was issued before the load day, so the BAF page shows movement since then.
    issued = IssuedPaper.objects.get(organisation=loaded, kind=PaperKind.BAF)
    assert issued.as_at == LOAD_DAY - datetime.timedelta(days=demo_spec()["ZNM"]["baf_issued_days_ago"])
    assert issued.data_intact


def test_demo_load_changes_nothing_when_run_again(loaded):
    before = Risk.objects.count()
    assert register_load(organisation=loaded, today=LOAD_DAY) == 0
    assert Risk.objects.count() == before


def test_demo_baf_shows_each_principal_risks_appetite_tolerance_and_flag_in_every_format(loaded):
    """Issue 26: the demo's BAF, in every format, shows each principal risk's appetite, tolerance and whether it is
    above it (GGI, BAF and risk appetite guidance: what the board reads the BAF for)."""
    import csv
    import io

    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from wellled.reports.snapshot import snapshot_from_data
    from wellled.risks.baf_paper import BafPaper

    issued = IssuedPaper.objects.get(organisation=loaded, kind=PaperKind.BAF)
    paper = snapshot_from_data(BafPaper, issued.data)
    flags = {r.reference: r.tolerance_text for r in paper.principal}
    assert len(flags) >= 8 and all(r.tolerance is not None and r.appetite for r in paper.principal)
    assert any(t.startswith("Above tolerance") for t in flags.values())
    assert any(t.startswith("Within tolerance") for t in flags.values())
    assert {r.appetite_source.split()[0] for r in paper.principal} == {"objective", "category"}
    files = {f.format: bytes(f.content) for f in issued.files.all()}
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    word = " ".join(
        c.text for t in Document(io.BytesIO(files["docx"])).tables for row in t.rows for c in row.cells
    )
    rows = {r["Reference"]: r for r in csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig")))}
    sheet = load_workbook(io.BytesIO(files["xlsx"]))["Principal risks"]
    headers = [c.value for c in sheet[4]]
    excel = {
        row[1].value: dict(zip(headers, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=5)
    }
    for risk in paper.principal:
        assert risk.appetite_text in pdf and risk.tolerance_text in pdf, risk.reference
        assert risk.appetite_text in word and risk.tolerance_text in word, risk.reference
        for table in (rows, excel):
            row = table[risk.reference]
            assert row["Appetite"].startswith(risk.appetite)
            assert str(row["Tolerance"]) == str(risk.tolerance)
            assert row["Against tolerance"] == risk.tolerance_text
