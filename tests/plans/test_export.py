"""Export of a plan to .xlsx and .csv: the layout the import reads, formulas neutralised, and a round trip that gives
back the same plan."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from tests.factories import make_person, status

from wellled.core.choices import Role
from wellled.core.service_kit import AS_IT_STANDS
from wellled.plans import services
from wellled.plans.choices import DatePrecision, PlanKind, PlanOrganisedBy
from wellled.plans.models import Action, Plan
from wellled.plans.spreadsheet.export import plan_export
from wellled.plans.spreadsheet.importer import plan_import_apply, plan_import_preview
from wellled.plans.spreadsheet.read import SpreadsheetFile


@pytest.fixture
def board_plan(org, editor):
    """A plan with what boards track: sections, revised timescales, several leads, a note, statuses and findings."""
    rg = make_person(
        org, role=Role.LEAD, username="rosa", first_name="Rosa", last_name="Green", initials="RG"
    )
    ak = make_person(org, role=Role.LEAD, username="amir", first_name="Amir", last_name="Khan", initials="AK")
    dmc = make_person(
        org, role=Role.LEAD, username="dee", first_name="Dee", last_name="McAllister", initials="DMc"
    )
    plan = services.plan_create(
        organisation=org,
        by=editor,
        name="Board plan 2026",
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.WORKSTREAM,
    )
    w1 = services.section_create(plan=plan, by=editor, code="W1", title="Is there the leadership capacity?")
    b = services.section_create(plan=plan, by=editor, code="Part B", title="Findings of the CQC inspection")
    finding = services.finding_create(plan=plan, by=editor, number=3, text="Leaders were not always visible.")
    coach = services.action_create(
        plan=plan,
        by=editor,
        reference="W1a",
        title="Coach ward leaders",
        section=w1,
        lead=rg,
        success_measure="60 ward leaders coached",
        due_date=datetime.date(2026, 3, 31),
    )
    services.action_timescale_revise(
        action=coach,
        by=editor,
        expected_version=AS_IT_STANDS,
        due_date=datetime.date(2026, 7, 31),
        reason="Funding arrived late",
    )
    services.progress_update_record(
        action=coach,
        by=editor,
        narrative="Forty leaders are being coached.",
        status=status(org, "A/G"),
        expected_version=None,
        update_date=datetime.date(2026, 9, 30),
    )
    services.action_create(
        plan=plan,
        by=editor,
        reference="W1b",
        title="Agree succession plans",
        section=w1,
        lead=ak,
        other_leads=[dmc, rg],
        success_measure="Plan agreed",
        due_date=datetime.date(2026, 4, 15),
        due_precision=DatePrecision.DAY,
    )
    walk = services.action_create(
        plan=plan,
        by=editor,
        reference="3",
        title="Walk the wards every month",
        section=b,
        lead_note="Varied",
        findings=[finding],
    )
    services.progress_update_record(
        action=walk,
        by=editor,
        narrative="Walkabouts started in May.",
        status=status(org, "G"),
        expected_version=None,
        update_date=datetime.date(2026, 9, 28),
    )
    services.action_create(plan=plan, by=editor, reference="Z1", title="An action with no section yet")
    return plan


def export_of(plan, editor, fmt):
    return plan_export(user=editor, organisation=plan.organisation, plan=plan, fmt=fmt)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def described(plan):
    """Everything the round trip must keep, for every action of the plan."""
    rows = {}
    for a in Action.objects.filter(plan=plan).select_related("section", "lead", "status"):
        latest = a.updates.order_by("-created_at", "-id").first()
        rows[a.reference] = {
            "title": a.title,
            "section": (a.section.code, a.section.title) if a.section else None,
            "lead": a.lead_id,
            "others": sorted(p.pk for p in a.other_leads.all()),
            "note": a.lead_note,
            "success": a.success_measure,
            "due": (a.due_date, a.due_precision),
            "timescales": [(t.due_date, t.precision) for t in a.timescales.all()],
            "status": a.status.code if a.status else None,
            "update": (latest.narrative, latest.update_date) if latest else None,
            "findings": [(f.number, f.text) for f in a.findings.all()],
        }
    return rows


@pytest.mark.django_db
def test_csv_export_has_the_board_layout_with_revisions_leads_and_latest_update_when_downloaded(
    board_plan, editor
):
    file = export_of(board_plan, editor, "csv")
    assert file.name.startswith("board-plan-2026-") and file.name.endswith(".csv")
    assert csv_rows(file.data) == [
        [
            "Section",
            "Ref",
            "Planned action",
            "Timescale",
            "Lead",
            "Success measure",
            "Progress update",
            "Update date",
            "Status",
            "Findings",
        ],
        [
            "W1: Is there the leadership capacity?",
            "W1a",
            "Coach ward leaders",
            "March 2026 → July 2026",
            "RG",
            "60 ward leaders coached",
            "Forty leaders are being coached.",
            "30 September 2026",
            "A/G",
            "",
        ],
        [
            "W1: Is there the leadership capacity?",
            "W1b",
            "Agree succession plans",
            "15 April 2026",
            "AK / DMc / RG",  # co-leads in the order given
            "Plan agreed",
            "",
            "",
            "",
            "",
        ],
        [
            "Part B: Findings of the CQC inspection",
            "3",
            "Walk the wards every month",
            "",
            "Varied",
            "",
            "Walkabouts started in May.",
            "28 September 2026",
            "G",
            "3. Leaders were not always visible.",
        ],
        ["", "Z1", "An action with no section yet", "", "", "", "", "", "", ""],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_gives_the_same_plan_when_round_tripped(board_plan, org, editor, fmt):
    file = export_of(board_plan, editor, fmt)
    upload = SpreadsheetFile(file.name, file.data)
    again = plan_import_preview(organisation=org, plan_or_none=board_plan, file=upload, by=editor)
    assert [str(p) for p in again.problems] == []
    assert [a.kind for a in again.actions] == ["unchanged"] * 4
    copy = plan_import_apply(
        organisation=org, plan_or_none=None, file=upload, by=editor, plan_name="Board plan copy"
    ).plan
    original, copied = described(board_plan), described(copy)
    for rows in (original, copied):
        for row in rows.values():
            row.pop("update_date", None)
    assert copied == original
    assert Plan.objects.get(pk=copy.pk).sections.count() == 2


@pytest.mark.django_db
def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised_when_exported(org, editor, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    services.action_update(
        action=action,
        by=editor,
        expected_version=action.version,
        title='=HYPERLINK("http://example.invalid","Click")',
        success_measure="+44 more staff",
        lead_note="Estates and facilities team",
    )
    services.progress_update_record(
        action=action,
        by=editor,
        narrative="-10% overdue reviews",
        expected_version=None,
        status=status(org, "G"),
    )
    rows = csv_rows(export_of(plan, editor, "csv").data)
    row = next(r for r in rows if r[1] == "W1a")
    assert row[2] == '\'=HYPERLINK("http://example.invalid","Click")'
    assert row[5] == "'+44 more staff" and row[6] == "'-10% overdue reviews"
    assert row[4].endswith(" / (Estates and facilities team)")
    book = openpyxl.load_workbook(io.BytesIO(export_of(plan, editor, "xlsx").data))
    cells = [c for r in book.active.iter_rows() for c in r]
    assert not any(c.data_type == "f" for c in cells)
    assert '\'=HYPERLINK("http://example.invalid","Click")' in [c.value for c in cells]
    again = plan_import_preview(
        organisation=org,
        plan_or_none=plan,
        file=SpreadsheetFile("plan.xlsx", export_of(plan, editor, "xlsx").data),
        by=editor,
    )
    assert next(r for r in again.rows if r.reference == "W1a").title.startswith("=HYPERLINK")
    assert all(a.kind == "unchanged" for a in again.actions)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
    ],
)
def test_every_member_downloads_the_export_from_the_plan_page_when_signed_in(
    login, viewer, plan, fmt, content_type
):
    client = login(viewer)
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert reverse("plan-export", args=[plan.pk, fmt]) in page
    assert reverse("plan-import", args=[plan.pk]) not in page  # importing is for editors
    response = client.get(reverse("plan-export", args=[plan.pk, fmt]))
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="well-led-self-review-')
    assert client.get(reverse("plan-export", args=[plan.pk, "pdf"])).status_code == 404
