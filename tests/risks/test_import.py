"""Importing a Datix-style register: messy headers, title rows above them, merged cells, score cells written every
which way; every kind of bad row reported by row and column, and nothing written unless every row is good."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from wellled.core.choices import UnitKind
from wellled.core.models import AuditLog, OrganisationUnit
from wellled.core.registers import Upload as SpreadsheetFile
from wellled.risks.models import Risk, RiskScore
from wellled.risks.selectors import RegisterFilters, risk_register
from wellled.risks.spreadsheet import register_export, register_import, score_parse

from .conftest import make_risk

pytestmark = pytest.mark.django_db

HEADERS = [
    "Risk ID ",
    "Directorate\n",
    "Risk Title / Description",
    "Risk Category",
    "Risk Owner",
    "Initial Score",
    "Current Rating (L x C)",
    "Target",
    "Date Identified",
    "Next Review Date",
    "Status",
    "Closure reason",
]
GOOD_ROWS = [
    [
        "DX101",
        "Medicine",
        "Delays in ambulance handover",
        "Workforce",
        "Lead Person",
        "4x5=20",
        "4 x 4",
        "L2xC4",
        datetime.date(2025, 6, 2),
        "15/01/2027",
        "Open",
        "",
    ],
    [
        "DX102",
        None,
        "Sepsis screening missed in triage",
        "Workforce",
        "lead@example.org",
        "20 (4x5)",
        "3x5=15",
        "1x5=5",
        "02/07/2025",
        datetime.date(2027, 2, 1),
        "live",
        "",
    ],  # Medicine, merged from the row above
    [
        "",
        "Surgery",
        "Theatre list cancellations",
        "",
        "",
        "",
        "3x3",
        "",
        "",
        "",
        "Tolerated",
        "Within appetite",
    ],
]


def workbook(rows, headers=HEADERS, merge_directorate=True) -> SpreadsheetFile:
    """A register as Datix exports it: a title and a date line above the headers, the directorate merged down."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Northmoor risk register export"])
    sheet.append(["Produced 30/11/2026"])
    sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if merge_directorate:
        sheet.merge_cells("B5:B6")
    out = io.BytesIO()
    book.save(out)
    return SpreadsheetFile(name="register.xlsx", data=out.getvalue())


@pytest.fixture
def setup(org, editor, lead, category):
    for name in ("Medicine", "Surgery"):
        OrganisationUnit.objects.create(organisation=org, kind=UnitKind.DIRECTORATE, name=name)
    lead.first_name, lead.last_name = "Lead", "Person"
    lead.save()
    return org


@pytest.mark.parametrize(
    ("text", "scores"),
    [
        ("4x5=20", (4, 5)),
        ("4 x 5", (4, 5)),
        ("L4xC5", (4, 5)),
        ("4×5", (4, 5)),
        ("20 (4x5)", (4, 5)),
        ("1*1", (1, 1)),
    ],
)
def test_score_cells_read_when_written_the_ways_registers_write_them(text, scores):
    assert score_parse(text) == scores


def test_messy_register_imported_whole_when_every_row_is_good(setup, editor):
    result = register_import(organisation=setup, by=editor, file=workbook(GOOD_ROWS))
    assert result.ok, [str(p) for p in result.problems]
    assert result.header_row == 4
    risks = {r.title: r for r in Risk.objects.filter(organisation=setup)}
    handover = risks["Delays in ambulance handover"]
    assert (handover.reference, handover.unit.name, handover.owner.username) == ("DX101", "Medicine", "lead")
    assert (handover.inherent_score, handover.current_score, handover.target_score) == (20, 16, 8)
    assert handover.escalated and handover.opened_on == datetime.date(2025, 6, 2)
    sepsis = risks["Sepsis screening missed in triage"]
    assert sepsis.unit.name == "Medicine"  # carried down from the merged cell
    assert sepsis.next_review_on == datetime.date(2027, 2, 1)
    theatre = risks["Theatre list cancellations"]
    assert theatre.status == "tolerated" and theatre.reference  # numbered for it
    assert (theatre.inherent_score, theatre.target_score) == (9, 9)  # started at the current rating
    assert RiskScore.objects.filter(risk__organisation=setup).count() == 9
    assert AuditLog.objects.filter(content_type__model="risk", action="create").count() == 3


def test_dry_run_reports_the_rows_and_writes_nothing_when_asked(setup, editor):
    result = register_import(organisation=setup, by=editor, file=workbook(GOOD_ROWS), dry_run=True)
    assert result.ok and len(result.rows) == 3
    assert not Risk.objects.exists()


BAD = [
    # (column index, value, header named in the problem, words in the message)
    (2, "", "Risk Title / Description", "no title"),
    (6, "", "Current Rating (L x C)", "current rating is missing"),
    (6, "16", "Current Rating (L x C)", "score alone"),
    (6, 16, "Current Rating (L x C)", "score alone"),
    (5, "4x5=18", "Initial Score", "4 x 5 is 20, not 18"),
    (6, "6x2", "Current Rating (L x C)", "likelihood must be from 1 to 5"),
    (7, "high", "Target", "not a score"),
    (1, "Cardiology", "Directorate", "not one of the organisation's directorates"),
    (3, "Finance", "Risk Category", "not one of the risk categories"),
    (4, "Nobody Known", "Risk Owner", "no member of the organisation"),
    (8, "31/02/2026", "Date Identified", "not a date"),
    (9, "next month", "Next Review Date", "not a date"),
    (10, "pending", "Status", "not a status"),
    (10, "Closed", "Closure reason", "needs the reason"),
    (0, "DX101", "Risk ID", "also the reference in row 5"),
]


@pytest.mark.parametrize(("column", "value", "header", "words"), BAD, ids=[b[3] for b in BAD])
def test_bad_row_named_by_row_and_column_and_nothing_written_when_one_row_is_wrong(
    setup, editor, column, value, header, words
):
    rows = [list(r) for r in GOOD_ROWS]
    bad = list(GOOD_ROWS[0])
    bad[0] = "DX109"
    bad[column] = value
    rows.append(bad)
    result = register_import(organisation=setup, by=editor, file=workbook(rows))
    assert not result.ok
    problem = result.problems[0]
    assert (problem.row, problem.column.strip()) == (8, header), str(problem)
    assert words in problem.message
    assert str(problem).startswith("Row 8, ")
    assert not Risk.objects.exists()  # the good rows were not imported either


def test_existing_reference_updates_that_risk_rather_than_adding_another(setup, editor):
    make_risk(setup, editor, reference="DX101", title="Ambulance handover")
    result = register_import(organisation=setup, by=editor, file=workbook(GOOD_ROWS))
    assert result.ok, [str(p) for p in result.problems]
    assert [r.action for r in result.rows] == ["update", "create", "create"]
    assert Risk.objects.count() == 3
    assert Risk.objects.get(reference="DX101").title == "Delays in ambulance handover"


def test_file_refused_when_no_header_row_is_found(setup, editor):
    result = register_import(
        organisation=setup,
        by=editor,
        file=workbook(GOOD_ROWS, headers=["A", "B", "C"], merge_directorate=False),
    )
    assert "no header row" in str(result.problems[0])


def test_file_refused_when_two_columns_claim_the_same_field(setup, editor):
    headers = [*HEADERS[:11], "Residual score"]
    result = register_import(organisation=setup, by=editor, file=workbook(GOOD_ROWS, headers=headers))
    assert any("a second column" in str(p) for p in result.problems)
    assert not Risk.objects.exists()


def test_file_refused_with_a_reason_when_it_is_not_a_spreadsheet(setup, editor):
    result = register_import(
        organisation=setup, by=editor, file=SpreadsheetFile(name="register.xls", data=b"junk")
    )
    assert "Excel 97" in str(result.problems[0]) or "Upload" in str(result.problems[0])


def test_import_refused_when_the_person_only_views(setup, viewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        register_import(organisation=setup, by=viewer, file=workbook(GOOD_ROWS))


def test_export_reimports_into_another_register_when_round_tripped(setup, editor, other_org, outsider):
    register_import(organisation=setup, by=editor, file=workbook(GOOD_ROWS))
    content = register_export(
        risks=risk_register(
            user=editor, organisation=setup, filters=RegisterFilters(status="all"), on=datetime.date.today()
        )
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(1, 1).value == "Risk ID" and "4x4=16" in [c.value for c in sheet[2]] + [
        c.value for c in sheet[3]
    ]
    # The same layout reads back: a fresh organisation without the directorates reports them, row by row.
    result = register_import(
        organisation=other_org, by=outsider, file=SpreadsheetFile("export.xlsx", content), dry_run=True
    )
    assert {p.column for p in result.problems} >= {"Directorate or service"}
    result = register_import(
        organisation=setup, by=editor, file=SpreadsheetFile("export.xlsx", content), dry_run=True
    )
    assert result.ok, [str(p) for p in result.problems]
    assert {r.action for r in result.rows} == {"same"}  # exported and read back: nothing to change


def test_cli_dry_run_prints_problems_and_fails_when_a_row_is_bad(setup, editor, tmp_path, capsys):
    rows = [*GOOD_ROWS, ["DX200", "Medicine", "", "Workforce", "", "", "3x3", "", "", "", "Open", ""]]
    path = tmp_path / "register.xlsx"
    path.write_bytes(workbook(rows).data)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "risks",
            "import",
            str(path),
            "--organisation",
            setup.ods_code,
            "--dry-run",
            "--as-user",
            "governance_editor",
        )
    assert "Row 8, Risk Title / Description: the risk has no title" in capsys.readouterr().err
    path.write_bytes(workbook(GOOD_ROWS).data)
    call_command(
        "risks", "import", str(path), "--organisation", setup.ods_code, "--as-user", "governance_editor"
    )
    assert Risk.objects.count() == 3
    out = tmp_path / "export.xlsx"
    call_command("risks", "export", "--organisation", setup.ods_code, "--out", str(out))
    assert load_workbook(out).active.max_row == 4
