"""The BAF paper: built as at a date from the scoring history, issued frozen through the reports machinery, and
opened in each format to check what it says (the heat map's counts agree with the register)."""

import datetime
import io

import pytest
from django.utils import timezone

from wellled.core.service_kit import ConcurrentEditError  # noqa: F401 (the services re-export it)
from wellled.reports.models import IssuedPaper, IssuedPaperFile, PaperKind
from wellled.risks import paper_kind, services
from wellled.risks.baf_paper import baf_paper_build
from wellled.risks.baf_render import render
from wellled.risks.selectors import heat_map

from .conftest import make_risk

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
EARLIER = TODAY - datetime.timedelta(days=40)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def register(org, editor, lead, objective, objects):
    """Six live risks (two principal, one linked to an action), one closed, all first scored 60 days ago."""
    opened = TODAY - datetime.timedelta(days=60)
    risks = []
    for i, current in enumerate([(3, 4), (4, 5), (2, 2), (3, 4), (1, 3), (5, 5)]):
        risks.append(
            make_risk(
                org,
                editor,
                title=f"Register risk {i}",
                current=current,
                owner=lead,
                opened_on=opened,
                at=at(opened),
            )
        )
    closed = make_risk(org, editor, title="Closed risk", current=(4, 4), opened_on=opened, at=at(opened))
    services.risk_status_set(
        risk=closed, by=editor, expected_version=closed.version, status="closed", reason="Gone."
    )
    for risk in risks[:2]:
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
    for risk in risks:
        risk.refresh_from_db()
    services.risk_links_set(
        risk=risks[0], by=editor, expected_version=risks[0].version, actions=[objects["action"]]
    )
    risks[0].refresh_from_db()
    services.assurance_add(
        control=risks[0].controls.first()
        or services.control_add(risk=risks[0], by=editor, description="Weekly bed meeting"),
        by=editor,
        source="Internal audit of patient flow",
        line="third",
        level="limited",
    )
    return risks


def test_heat_map_counts_agree_with_the_register_when_built_today(org, editor, register):
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    live = heat_map(user=editor, organisation=org, on=TODAY)
    for lk in range(1, 6):
        for ck in range(1, 6):
            assert paper.heat_count(lk, ck) == live.count(lk, ck), (lk, ck)
    assert paper.register_total == live.total == 6  # the closed risk is not counted
    assert paper.heat_count(3, 4) == 2
    assert paper.escalated_total == 2  # 20 and 25 reach the threshold of 15


def test_scores_are_those_of_the_date_when_a_review_came_later(org, editor, lead, register):
    risk = register[0]
    services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=risk.version,
        reviewed_on=TODAY,
        narrative="Worse.",
        likelihood=5,
        consequence=4,
    )
    earlier = baf_paper_build(user=editor, organisation=org, as_at=EARLIER)
    now = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    assert {r.reference: r.current.score for r in earlier.principal}[risk.reference] == 12
    assert {r.reference: r.current.score for r in now.principal}[risk.reference] == 20
    assert earlier.heat_count(3, 4) == 2 and now.heat_count(3, 4) == 1


def test_movement_since_the_last_issued_baf_when_a_principal_risk_was_rescored(org, editor, lead, register):
    paper_kind.baf_paper_issue(organisation=org, as_at=EARLIER, by=editor)
    risk = register[0]
    risk.refresh_from_db()
    services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=risk.version,
        reviewed_on=TODAY,
        narrative="Worse.",
        likelihood=5,
        consequence=4,
    )
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    moved = {r.reference: r.movement_text for r in paper.principal}
    assert moved[risk.reference] == "Score up from 12"
    assert moved[register[1].reference] == "No change"
    assert paper.previous_as_at == EARLIER


def test_issued_baf_is_frozen_with_checksums_and_audited_when_issued(org, editor, register):
    issued = paper_kind.baf_paper_issue(organisation=org, as_at=TODAY, by=editor)
    assert issued.kind == PaperKind.BAF and issued.plan_id is None and issued.data_intact
    assert sorted(issued.files.values_list("format", flat=True)) == ["csv", "docx", "pdf", "xlsx"]
    assert all(f.intact for f in IssuedPaperFile.objects.filter(paper=issued))
    with pytest.raises(PermissionError):
        IssuedPaper.objects.filter(pk=issued.pk).update(title="Changed")
    from wellled.core.models import AuditLog

    assert AuditLog.objects.filter(
        object_id=str(issued.pk), note__startswith="Board assurance framework"
    ).exists()


def test_issue_refused_when_the_person_only_views(org, viewer, register):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        paper_kind.baf_paper_issue(organisation=org, as_at=TODAY, by=viewer)
    assert not IssuedPaper.objects.filter(kind=PaperKind.BAF).exists()


def test_pdf_says_the_principal_risks_and_heat_map_counts_when_opened(org, editor, register):
    from pypdf import PdfReader

    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render(paper, "pdf"))).pages)
    text = " ".join(text.split())
    assert "Board assurance framework" in text and org.name in text
    assert "SO1: Safe, high-quality care" in text
    for risk in paper.principal:
        assert risk.title in text
    assert "4 x 5 = 20 (Extreme)" in text
    assert "score 12, high" in text  # the heat map's cells are written in words
    assert "Internal audit of patient flow" in text
    assert "6 live risks" in text


def test_word_heat_map_table_agrees_with_the_register_when_opened(org, editor, register):
    from docx import Document

    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    document = Document(io.BytesIO(render(paper, "docx")))
    grid = document.tables[0]
    live = heat_map(user=editor, organisation=org, on=TODAY)
    for i, lk in enumerate(range(5, 0, -1), start=1):
        for ck in range(1, 6):
            count = int(grid.cell(i, ck).text.split()[0])
            assert count == live.count(lk, ck), (lk, ck)
            assert f"score {lk * ck}" in grid.cell(i, ck).text
    body = "\n".join(p.text for p in document.paragraphs)
    assert all(r.reference + ": " + r.title in body for r in paper.principal)


def test_excel_and_csv_are_formula_safe_when_a_title_starts_with_equals(org, editor, objective):
    from openpyxl import load_workbook

    risk = make_risk(org, editor, title='=HYPERLINK("http://x")')
    services.risk_baf_set(
        risk=risk, by=editor, expected_version=risk.version, principal=True, objective=objective
    )
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    sheet = load_workbook(io.BytesIO(render(paper, "xlsx")))["Principal risks"]
    titles = [sheet.cell(row, 3).value for row in range(5, sheet.max_row + 1)]
    assert '\'=HYPERLINK("http://x")' in titles
    assert "'=HYPERLINK" in render(paper, "csv").decode("utf-8-sig")


def test_tampered_snapshot_refused_when_the_paper_page_is_opened(login, org, editor, register):
    from django.db import connection
    from django.urls import reverse

    issued = paper_kind.baf_paper_issue(organisation=org, as_at=TODAY, by=editor)
    with connection.cursor() as cursor:  # what someone with database access might do
        cursor.execute(
            "UPDATE reports_issuedpaper SET title = 'x', data_sha256 = 'f' WHERE id = %s", [issued.pk]
        )
    assert login(editor).get(reverse("baf-paper-detail", args=[issued.pk])).status_code == 409


def test_cli_writes_each_format_when_asked(org, editor, register, tmp_path):
    from django.core.management import call_command

    from wellled.__main__ import COMMAND_ALIASES

    assert COMMAND_ALIASES["baf-paper"] == "baf_paper"
    for fmt in ("pdf", "docx", "xlsx", "csv"):
        out = tmp_path / f"baf.{fmt}"
        call_command(
            "baf_paper", organisation=org.ods_code, fmt=fmt, out=str(out), as_user="governance_editor"
        )
        assert out.stat().st_size > 500


def test_heat_map_cells_say_what_they_were_at_the_last_issued_baf_when_counts_moved(
    org, editor, lead, register
):
    from pypdf import PdfReader

    paper_kind.baf_paper_issue(organisation=org, as_at=EARLIER, by=editor)
    risk = register[0]
    risk.refresh_from_db()
    services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=risk.version,
        reviewed_on=TODAY,
        narrative="Worse.",
        likelihood=5,
        consequence=4,
    )
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    assert (paper.heat_before(3, 4), paper.heat_count(3, 4), paper.heat_movement(3, 4)) == (2, 1, "(was 2)")
    assert paper.heat_movement(5, 4) == "(was 0)" and paper.heat_movement(1, 3) == ""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render(paper, "pdf"))).pages)
    assert "(was 2)" in text


def test_principal_risk_says_how_many_operational_risks_feed_it_when_linked(org, editor, register):
    principal = register[0]
    for i, current in enumerate([(2, 2), (4, 4)]):
        make_risk(org, editor, title=f"Local risk {i}", current=current, parent=principal)
    closed = make_risk(org, editor, title="Closed local risk", current=(5, 5), parent=principal)
    services.risk_status_set(
        risk=closed, by=editor, expected_version=closed.version, status="closed", reason="Done."
    )
    paper = baf_paper_build(user=editor, organisation=org, as_at=TODAY)
    row = next(r for r in paper.principal if r.reference == principal.reference)
    assert (row.beneath, row.beneath_highest) == (2, 16)
    assert row.beneath_text == "2 operational risks feed it; the highest scores 16"
    from docx import Document

    body = "\n".join(
        c.text for t in Document(io.BytesIO(render(paper, "docx"))).tables for c in t.columns[-1].cells
    )
    assert "2 operational risks feed it" in body
