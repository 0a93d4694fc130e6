"""The register round-trip kit (core.registers): a toy register of the organisation's units, written through the
core services, exported, edited with openpyxl and imported back."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from tests.spreadsheets import xlsx_bytes

from wellled.core import registers
from wellled.core.choices import AuditAction, UnitKind
from wellled.core.models import AuditLog, OrganisationUnit
from wellled.core.registers import Column, Context, Register, Upload
from wellled.core.service_kit import record_change
from wellled.core.services import organisation_unit_create
from wellled.core.workbook import opened_workbook, workbook_bytes

KINDS = {"ward": UnitKind.WARD, "team": UnitKind.TEAM}


def _create(context, values):
    if values["name"] == "Refused by the service":
        raise ValidationError({"name": "The service refuses this name."})
    return organisation_unit_create(
        organisation=context.organisation,
        by=context.by,
        kind=values.get("kind") or UnitKind.WARD,
        name=values["name"],
        code=values["code"],
    )


def _update(context, unit, changes, values):
    record_change(unit, changes, by=context.by, organisation=context.organisation, versioned=False)


UNITS: Register[OrganisationUnit] = Register(
    noun="unit",
    sheet="Units",
    reference="code",
    columns=(
        Column("code", "Unit code", lambda u: u.code, read=registers.text_reader(20), aliases=("Code",)),
        Column(
            "name", "Name", lambda u: u.name, read=registers.text_reader(200, required=True), required=True
        ),
        Column("kind", "Kind", lambda u: u.kind, read=registers.choice_reader(KINDS)),
        Column("opened_on", "Opened", lambda u: None, read=registers.date_reader()),
    ),
    records=lambda context: OrganisationUnit.objects.filter(organisation=context.organisation).exclude(
        code=""
    ),
    create=_create,
    update=_update,
)


@pytest.fixture
def wards(org, editor):
    return [
        organisation_unit_create(organisation=org, by=editor, kind=UnitKind.WARD, name=name, code=code)
        for code, name in (("W1", "Ash ward"), ("W2", "Beech ward"), ("W3", "Cedar ward"))
    ]


def _context(org, editor):
    return Context(organisation=org, by=editor)


def _edited(data: bytes, change) -> Upload:
    """The exported workbook opened with openpyxl as Excel would, changed, and saved again."""
    import io

    from openpyxl import load_workbook  # the tests edit a workbook as a person does in Excel

    book = load_workbook(io.BytesIO(data))
    change(book.worksheets[0])
    return Upload(name="units.xlsx", data=workbook_bytes(book))


def _export(org):
    return registers.registers_workbook(
        [(UNITS, OrganisationUnit.objects.filter(organisation=org).order_by("code"))]
    )


@pytest.mark.django_db
def test_export_then_import_unchanged_finds_nothing_to_do(org, editor, wards):
    data = _export(org)
    with opened_workbook(data) as book:
        assert book.worksheets[0].title == "Units"
    result = registers.register_compare(UNITS, Upload("units.xlsx", data), _context(org, editor))
    assert result.ok, result.problems
    assert [r.action for r in result.rows] == ["same", "same", "same"]
    assert result.lines() == []


@pytest.mark.django_db
def test_dry_run_shows_differences_row_by_row_and_writes_nothing(org, editor, wards):
    def change(sheet):
        sheet["B3"] = "Beech ward (surgical)"
        sheet.append(["W9", "Yew ward", "team", None])

    upload = _edited(_export(org), change)
    before = AuditLog.objects.count()
    result = registers.register_import(UNITS, upload, _context(org, editor), dry_run=True)
    assert result.ok, result.problems
    assert result.lines() == [
        "Row 3, W2: changes: Name: Beech ward → Beech ward (surgical)",
        "Row 5, W9: new: Unit code: (empty) → W9; Name: (empty) → Yew ward; Kind: (empty) → team",
    ]
    assert not result.applied
    assert AuditLog.objects.count() == before
    assert not OrganisationUnit.objects.filter(code="W9").exists()


@pytest.mark.django_db
def test_real_run_updates_only_what_differs_creates_new_and_leaves_missing_rows(org, editor, wards):
    def change(sheet):
        sheet["B3"] = "Beech ward (surgical)"
        sheet.delete_rows(4)  # W3 left out of the sheet
        sheet.append(["W9", "Yew ward", "team", None])

    result = registers.register_import(
        UNITS, _edited(_export(org), change), _context(org, editor), dry_run=False
    )
    assert result.ok and result.applied
    assert result.not_in_sheet == ["W3"]
    assert "W3: not in the sheet, left unchanged" in result.lines()
    assert OrganisationUnit.objects.get(code="W2").name == "Beech ward (surgical)"
    assert OrganisationUnit.objects.get(code="W3").name == "Cedar ward"
    assert OrganisationUnit.objects.get(code="W9").kind == UnitKind.TEAM
    changed = AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(wards[1].pk))
    assert changed.count() == 1
    assert not AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(wards[0].pk)).exists()


@pytest.mark.django_db
def test_every_bad_cell_named_by_row_and_column_and_nothing_written(org, editor, wards):
    rows = [
        ["Unit code", "Name", "Kind", "Opened"],
        ["W1", "Ash ward renamed", "ward", None],
        ["W4", "", "ward", None],
        ["W5", "Fir ward", "cupboard", None],
        ["W6", "Oak ward", "ward", "9999-12-31"],
        ["W7", "Elm ward", "ward", datetime.date(1900, 1, 1)],
        ["W1", "Ash again", "ward", None],
    ]
    upload = Upload("units.xlsx", xlsx_bytes(sheets={"Units": rows}))
    result = registers.register_import(UNITS, upload, _context(org, editor), dry_run=False)
    messages = [str(p) for p in result.problems]
    assert "Row 3, Name: this cannot be empty" in messages
    assert any(m.startswith("Row 4, Kind: “cupboard” is not one of") for m in messages)
    assert any(m.startswith("Row 5, Opened: 31/12/9999 is not a plausible date") for m in messages)
    assert any(m.startswith("Row 6, Opened: 01/01/1900 is not a plausible date") for m in messages)
    assert "Row 7, Unit code: W1 is also the reference in row 2: keep one" in messages
    assert not result.applied
    assert OrganisationUnit.objects.get(code="W1").name == "Ash ward"


@pytest.mark.django_db
def test_a_service_refusal_undoes_every_row_before_it(org, editor, wards):
    rows = [
        ["Unit code", "Name", "Kind"],
        ["W1", "Ash ward renamed", "ward"],
        ["W8", "Refused by the service", "ward"],
    ]
    upload = Upload("units.xlsx", xlsx_bytes(sheets={"Units": rows}))
    result = registers.register_import(UNITS, upload, _context(org, editor), dry_run=False)
    assert [str(p) for p in result.problems] == ["Row 3, W8: The service refuses this name."]
    assert not result.applied
    assert OrganisationUnit.objects.get(code="W1").name == "Ash ward"


@pytest.mark.django_db
def test_header_found_below_title_lines_and_csv_read_the_same(org, editor, wards):
    csv_text = "Unit register\n\nCode,Name,Kind\nW1,Ash ward,ward\nW2,Birch ward,ward\n"
    result = registers.register_compare(UNITS, Upload("units.csv", csv_text.encode()), _context(org, editor))
    assert result.ok, result.problems
    assert result.header_row == 3
    assert result.lines() == [
        "Row 5, W2: changes: Name: Beech ward → Birch ward",
        "W3: not in the sheet, left unchanged",
    ]


@pytest.mark.django_db
def test_file_without_header_or_not_a_spreadsheet_refused_with_a_reason(org, editor):
    no_header = Upload("units.xlsx", xlsx_bytes(sheets={"Units": [["a", "b"], ["c", "d"]]}))
    result = registers.register_compare(UNITS, no_header, _context(org, editor))
    assert str(result.problems[0]).startswith("The file: no header row was found in the first 15 rows")
    pdf = registers.register_compare(UNITS, Upload("units.pdf", b"%PDF-1.4"), _context(org, editor))
    assert "neither" in str(pdf.problems[0])


@pytest.mark.django_db
def test_rows_past_the_limit_refused_while_reading(org, editor, wards):
    small = Register(**{**UNITS.__dict__, "max_rows": 5})
    rows = [["Unit code", "Name", "Kind"]] + [[f"X{n}", f"Ward {n}", "ward"] for n in range(10)]
    result = registers.register_import(
        small, Upload("units.xlsx", xlsx_bytes(sheets={"Units": rows})), _context(org, editor), dry_run=False
    )
    assert [str(p) for p in result.problems] == [
        "The file: The sheet has more than 5 rows, so it was not read further and nothing was imported. "
        "Check that it is the unit register, or split it."
    ]
    assert result.rows == [] and not result.applied


def test_plausible_dates_are_from_1948_to_ten_years_ahead():
    today = datetime.date(2026, 12, 6)
    assert registers.plausible_date(datetime.date(1948, 7, 5), today=today)
    assert registers.plausible_date(datetime.date(2036, 12, 6), today=today)
    for day in (datetime.date(1947, 12, 31), datetime.date(2036, 12, 7)):
        with pytest.raises(ValueError, match="not a plausible date"):
            registers.plausible_date(day, today=today)
    assert registers.plausible_date(datetime.date(2030, 1, 1), today=datetime.date(2028, 2, 29))


def test_exported_formula_like_text_reads_back_as_written():
    assert registers.cell_text("'=SUM(A1)") == "=SUM(A1)"
    assert registers.cell_text(12.0) == "12"
    assert registers.header_word("Current Rating (L x C)") == "currentrating"
