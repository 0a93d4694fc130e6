"""A trust loads its last board paper, a self-review workbook with a Part A by KLOE and a Part B of inspection
findings, and prints the paper as at the workbook's own position date (ADRs 0032, 0033).

The workbook is our own, in the shape trusts use: title lines, "Position as at end of September 2019", a status
key under every page, headings split across cells, revised timescales, several leads, "UPDATE AWAITED", and a
Part B table numbered 1, 2, 3 under "PART B Inspection findings: October 2018"."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader
from tests.factories import make_person
from tests.spreadsheets import xlsx_file

from wellled.core.choices import Role
from wellled.core.models import DeliveryStatus
from wellled.plans import services
from wellled.plans.models import Plan, ReportingCycle
from wellled.plans.spreadsheet import importer
from wellled.reports.board_paper import board_paper_build
from wellled.reports.render_docx import render_docx
from wellled.reports.render_pdf import render_pdf
from wellled.reports.render_xlsx import render_xlsx

pytestmark = pytest.mark.django_db

POSITION = datetime.date(2019, 9, 30)
KEY = ["Status G", "Done, and the improvement seen", "A/G", "On course, not finished", "A/R", "Plan in doubt"]
HEADER = ["Ref:", "Planned action", "Timescale", "Lead", "Success measure", "Progress update", "RAG"]
PART_B_HEADER = ["", "CQC finding", "Planned action", "Progress", "Lead", "RAG"]

WORKBOOK = [
    ["Board improvement framework"],
    ["PART A Board self-review against the KLOEs: 2018/19 actions"],
    ["PART B Inspection findings: October 2018"],
    ["Position as at end of September 2019"],
    [],
    ["PART A: Board self-review: delivery status"],
    HEADER,
    ["KLOE", "W1: Do leaders have the capacity and capability to deliver?"],
    [
        "W1a",
        "Launch a coaching programme for senior nurses",
        "March 2019 July 2019",
        "RG",
        "50 nurses in coaching",
        "Sixty nurses are now in coaching and a second cohort starts in the spring.",
        "A/G",
    ],
    [
        "W1b",
        "Agree a succession plan for the executive team",
        "February 2019",
        "TL",
        "Committee agrees",
        "Plan accepted; two posts out to advert.",
        "R",
    ],
    KEY,
    HEADER,
    ["", "W2: Is there a credible strategy, and plans to deliver it?"],
    [
        "W2a",
        "Deliver the clinical and estates plans",
        "March 2019",
        "Varied",
        "As per plan",
        "Estates work behind; clinical plan on course.",
        "A/R",
    ],
    [
        "W2b",
        "Build a supplier code of conduct",
        "December 2019",
        "DMc / AK / MS",
        "Supplier list complete",
        "Draft code written; 2,000 suppliers listed.",
        "A/G",
    ],
    KEY,
    HEADER,
    ["KLOE", "W3: Is information effectively used and challenged?"],
    [
        "W3a",
        "Finish and carry out the data quality plan",
        "March April 2019",
        "DB",
        "Audit committee content",
        "Committee content with the plan. UPDATE AWAITED",
        "G",
    ],
    [
        "W3b",
        "Put safety data in front of ward teams",
        "March May 2019",
        "DB",
        "Prototype live",
        "UPDATE AWAITED",
        "A/G",
    ],
    KEY,
    [],
    ["PART B Inspection findings: October 2018: delivery status"],
    PART_B_HEADER,
    [
        "1.",
        "Some leaders lacked the experience to lead well.",
        "Review appraisal results and change structures where needed.",
        "Changes made in one directorate; results to the January committee.",
        "TL",
        "A/G",
    ],
    [
        "2.",
        "Leaders were not always visible.",
        "Reintroduce regular leadership walkabouts.",
        "Walkabouts restart in November.",
        "RW",
        "AG",
    ],
    KEY,
]


@pytest.fixture
def imported(org, editor):
    # TL is already someone at the trust; the others are invited by their initials.
    make_person(org, role=Role.LEAD, username="tlee", first_name="Tom", last_name="Lee", initials="TL")
    workbook = xlsx_file(WORKBOOK)  # once: a workbook saved a second later has other bytes
    preview = importer.plan_import_preview(
        organisation=org, plan_or_none=None, file=workbook, by=editor, plan_name="Self-review 2019"
    )
    assert preview.ok, [str(p) for p in preview.errors]
    assert preview.position_as_at == POSITION
    result = importer.plan_import_apply(
        organisation=org,
        plan_or_none=None,
        file=workbook,
        by=editor,
        plan_name="Self-review 2019",
        expected_fingerprint=preview.fingerprint,
    )
    return result.plan


@pytest.fixture
def paper(imported, org, viewer):
    return board_paper_build(user=viewer, organisation=org, plan=imported, as_at=POSITION)


def test_the_import_makes_the_workbooks_position_a_closed_baseline_cycle(imported):
    cycle = ReportingCycle.objects.get(plan=imported)
    assert cycle.position_as_at == POSITION and cycle.state == "closed"
    assert cycle.name == "Position as at 30 September 2019 (imported)"
    assert set(imported.actions.values_list("updates__update_date", flat=True)) == {POSITION}


def test_the_paper_as_at_the_workbooks_date_says_what_the_workbook_said(paper, org):
    rows = {r.reference: r for r in paper.rows}
    assert sorted(rows) == ["1", "2", "W1a", "W1b", "W2a", "W2b", "W3a", "W3b"]
    assert paper.cycle_name == "Position as at 30 September 2019 (imported)"
    assert rows["W2b"].leads == "DMc / AK / MS"  # in the order written
    assert rows["W2a"].leads == "Varied" and rows["W1b"].leads == "TL"
    assert rows["W1a"].progress.startswith("Sixty nurses are now in coaching")
    assert rows["W1a"].progress_date == POSITION
    assert rows["W1a"].timescale == "March 2019 → July 2019"
    assert rows["W1b"].status.code == "R"
    assert rows["W1b"].status.colour == DeliveryStatus.objects.get(organisation=org, code="R").colour
    # UPDATE AWAITED after text, with a G: the text and status are printed, and the update is awaited.
    assert rows["W3a"].progress == "Committee content with the plan." and rows["W3a"].status.code == "G"
    assert rows["W3a"].update_awaited and rows["W3b"].update_awaited
    assert not rows["W1a"].update_awaited
    assert [r.reference for r in paper.exceptions.awaiting] == ["W3a", "W3b"]
    # Nothing slipped "this cycle": the revisions are the workbook's history.
    assert not paper.exceptions.slipped and not paper.movement.slipped
    # Part B: its source and date, its findings without an invented category, its actions only there.
    assert paper.part_b_title == "Part B: CQC inspection, October 2018"
    assert [(b.number, b.text, b.finding_type, [r.reference for r in b.rows]) for b in paper.part_b] == [
        (1, "Some leaders lacked the experience to lead well.", "", ["1"]),
        (2, "Leaders were not always visible.", "", ["2"]),
    ]
    assert [b.code for b in paper.part_a] == ["W1", "W2", "W3"]
    assert rows["2"].status.code == "A/G"


def test_the_first_paper_after_the_import_reports_no_new_slips(imported, org, editor, viewer):
    services.cycle_open(
        plan=imported,
        by=editor,
        name="October 2019",
        position_as_at=datetime.date(2019, 10, 31),
        update_deadline=datetime.date(2019, 11, 7),
    )
    paper = board_paper_build(user=viewer, organisation=org, plan=imported, as_at=datetime.date(2019, 10, 31))
    assert paper.movement.baseline_date == POSITION
    assert not paper.movement.slipped and not paper.exceptions.slipped
    assert not paper.movement.newly_completed and not paper.movement.improved and not paper.movement.worsened
    assert {r.reference: r.timescale for r in paper.rows}["W1a"] == "March 2019 → July 2019"


def test_pdf_word_and_excel_carry_it_all(paper):
    pdf = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(render_pdf(paper))).pages
    )
    for expected in (
        "Position as at 30 September 2019",
        "DMc / AK / MS",
        "Sixty nurses are now in coaching",
        "update awaited",
        "Part B: CQC inspection, October 2018",
        "Leaders were not always visible.",
        "March 2019 → July 2019",
    ):
        assert expected in pdf, expected
    for ref in ("W1a", "W1b", "W2a", "W2b", "W3a", "W3b"):
        assert ref in pdf

    document = Document(io.BytesIO(render_docx(paper)))
    red = next(s.colour for s in paper.statuses if s.code == "R").lstrip("#").upper()
    w1b = next(r for t in document.tables for r in t.rows if r.cells[0].text == "W1b" and len(r.cells) > 6)
    assert w1b.cells[6].text.startswith("R")
    assert w1b.cells[6]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")).upper() == red  # the code on its colour
    headings = [p.text for p in document.paragraphs]
    assert "Part B: CQC inspection, October 2018" in headings
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "DMc / AK / MS" in cells and "1. Some leaders lacked the experience to lead well." in cells
    assert any("update awaited" in c for c in cells)
    assert any(c.startswith("March 2019 → July 2019") for c in cells)

    book = load_workbook(io.BytesIO(render_xlsx(paper)))
    actions = book["Actions"]
    header = [c.value for c in actions[1]]
    by_ref = {r[header.index("Ref")]: r for r in actions.iter_rows(min_row=2, values_only=True)}
    assert by_ref["W2b"][header.index("Lead")] == "DMc / AK / MS"
    assert by_ref["W3b"][header.index("Update awaited")] == "Yes"
    assert by_ref["W1a"][header.index("Timescale")] == "March 2019 → July 2019"
    status_cell = actions.cell(
        row=[r[0].row for r in actions.iter_rows(min_row=2) if r[2].value == "W1b"][0],
        column=header.index("Status") + 1,
    )
    assert status_cell.value == "R" and status_cell.fill.fgColor.rgb.endswith(
        next(s.colour for s in paper.statuses if s.code == "R").lstrip("#").upper()
    )
    part_b = book["Part B"]
    assert [c.value for c in part_b[1]][:4] == ["Finding", "Finding text", "Category", "Ref"]
    assert [(r[0], r[1], r[3]) for r in part_b.iter_rows(min_row=2, values_only=True)] == [
        (1, "Some leaders lacked the experience to lead well.", "1"),
        (2, "Leaders were not always visible.", "2"),
    ]
    assert "Part B: CQC inspection, October 2018" in [c.value for c in part_b[1]]


def test_a_later_import_into_the_plan_does_not_overwrite_a_newer_position(imported, org, editor, viewer):
    """The same workbook imported again as at an older date leaves the current status alone."""
    w1b = imported.actions.get(reference="W1b")
    services.progress_update_record(
        action=w1b,
        by=editor,
        narrative="Both posts filled.",
        status=DeliveryStatus.objects.get(organisation=org, code="G"),
        expected_version=None,
    )
    older = [row[:] for row in WORKBOOK]
    older[9] = [*older[9][:5], "An older word.", "A/R"]
    plan = Plan.objects.get(pk=imported.pk)
    importer.plan_import_apply(
        organisation=org,
        plan_or_none=plan,
        file=xlsx_file(older),
        by=editor,
        as_at=datetime.date(2019, 8, 31),
    )
    w1b.refresh_from_db()
    assert w1b.status.code == "G"


def test_initials_that_match_someone_are_shown_for_the_editor_to_confirm_or_change(org, editor):
    tom = make_person(org, role=Role.LEAD, username="tlee", first_name="Tom", last_name="Lee", initials="TL")
    other = make_person(
        org, role=Role.LEAD, username="tlane", first_name="Tara", last_name="Lane", initials="TLa"
    )
    workbook = xlsx_file(WORKBOOK)
    preview = importer.plan_import_preview(
        organisation=org, plan_or_none=None, file=workbook, by=editor, plan_name="Self-review 2019"
    )
    assert [(m.token, m.person, m.rows) for m in preview.lead_matches] == [("TL", tom, [10, 25])]
    # The editor says TL in this workbook is Tara Lane: that is who leads W1b and finding 1's action.
    result = importer.plan_import_apply(
        organisation=org,
        plan_or_none=None,
        file=workbook,
        by=editor,
        plan_name="Self-review 2019",
        expected_fingerprint=preview.fingerprint,
        lead_choices={"tl": str(other.pk)},
    )
    assert result.plan.actions.get(reference="W1b").lead == other
    assert result.plan.actions.get(reference="1").lead == other


def test_a_matched_lead_can_be_invited_instead(org, editor):
    make_person(org, role=Role.LEAD, username="tlee", first_name="Tom", last_name="Lee", initials="TL")
    workbook = xlsx_file(WORKBOOK)
    preview = importer.plan_import_preview(
        organisation=org, plan_or_none=None, file=workbook, by=editor, plan_name="Self-review 2019"
    )
    result = importer.plan_import_apply(
        organisation=org,
        plan_or_none=None,
        file=workbook,
        by=editor,
        plan_name="Self-review 2019",
        expected_fingerprint=preview.fingerprint,
        lead_choices={"tl": importer.LEAD_CHOICE_INVITE},
    )
    lead = result.plan.actions.get(reference="W1b").lead
    assert lead.username != "tlee" and lead.initials == "TL" and not lead.has_usable_password()


def test_the_workbooks_status_key_is_offered_and_taken_only_when_asked(org, editor, people):
    workbook = xlsx_file(WORKBOOK)
    preview = importer.plan_import_preview(
        organisation=org, plan_or_none=None, file=workbook, by=editor, plan_name="Self-review 2019"
    )
    offered = {w.status.code: w.wording for w in preview.legend_offer}
    assert offered == {
        "G": "Done, and the improvement seen",
        "A/G": "On course, not finished",
        "A/R": "Plan in doubt",
    }
    g = DeliveryStatus.objects.get(organisation=org, code="G")
    meaning = g.meaning
    importer.plan_import_apply(
        organisation=org, plan_or_none=None, file=workbook, by=editor, plan_name="Self-review 2019"
    )
    assert DeliveryStatus.objects.get(pk=g.pk).meaning == meaning  # not asked: unchanged
    admin = people[Role.ADMINISTRATOR]
    importer.plan_import_apply(
        organisation=org,
        plan_or_none=None,
        file=workbook,
        by=admin,
        plan_name="Self-review 2019 (2)",
        legend_wording=True,
    )
    assert DeliveryStatus.objects.get(pk=g.pk).meaning == "Done, and the improvement seen"


def test_an_imported_finding_without_a_category_is_edited_without_being_given_one(
    imported, org, editor, login
):
    from django.urls import reverse

    finding = imported.findings.get(number=1)
    client = login(editor)
    response = client.post(
        reverse("finding-edit", args=[finding.pk]),
        {
            "number": 1,
            "text": "Some leaders lacked the experience to lead well (reworded).",
            "finding_type": "",
            "source": finding.source,
            "source_date": finding.source_date.isoformat(),
            "version": finding.version,
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.finding_type == "" and finding.text.endswith("(reworded).")


def test_the_upload_page_date_overrides_the_workbooks_line(org, editor, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from tests.spreadsheets import xlsx_bytes

    from wellled.plans.models import PlanImport

    client = login(editor)
    response = client.post(
        reverse("plan-import-new"),
        {
            "name": "Self-review 2019",
            "kind": "self_review",
            "file": SimpleUploadedFile("board.xlsx", xlsx_bytes(WORKBOOK)),
            "position_as_at": "2019-08-31",
        },
    )
    pending = PlanImport.objects.get()
    assert response.status_code == 302 and pending.position_as_at == datetime.date(2019, 8, 31)
    page = client.get(reverse("plan-import-review", args=[pending.pk])).content.decode()
    assert "31 August 2019, from the date given for this import" in page
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    client.post(reverse("plan-import-review", args=[pending.pk]), {"fingerprint": fingerprint})
    plan = Plan.objects.get(organisation=org, name="Self-review 2019")
    assert set(plan.actions.values_list("updates__update_date", flat=True)) == {datetime.date(2019, 8, 31)}
