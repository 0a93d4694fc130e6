"""Wards and their assessments both ways (issue 25): exported as a workbook (a sheet each), edited with openpyxl as a
matron would in Excel, checked (the differences row by row), imported (each change through the services, audited);
wards and assessments left out are kept, Wellled's own figures never read back, other organisations never
reached, and a workbook of two million rows refused while it is read."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from tests.spreadsheets import giant_workbook, xlsx_bytes

from wellled.accreditation.models import WardAudit
from wellled.accreditation.register import wards_export, wards_import
from wellled.core.choices import AuditAction, UnitKind
from wellled.core.models import AuditLog, OrganisationUnit
from wellled.core.registers import Upload, upload_digest
from wellled.core.workbook import workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org, editor, wards, draft, directorate):
    return {"wards": wards, "draft": draft, "directorate": directorate}


@pytest.fixture
def directorate(org):
    return OrganisationUnit.objects.create(organisation=org, kind=UnitKind.DIRECTORATE, name="Medicine")


def _edit(data: bytes, sheet: str, changes: dict[str, dict[str, object]], add: list | None = None) -> bytes:
    book = load_workbook(io.BytesIO(data))
    rows = book[sheet]
    headers = [c.value for c in rows[1]]
    for row in rows.iter_rows(min_row=2):
        for header, value in changes.get(row[0].value, {}).items():
            row[headers.index(header)].value = value
    for extra in add or []:
        rows.append([extra.get(h) for h in headers])
    return workbook_bytes(book)


def test_export_has_a_sheet_each_and_reads_back_unchanged(org, editor, setup):
    data = wards_export(user=editor, organisation=org)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Wards", "Assessments"]
    assert [c.value for c in book["Wards"][1]] == [
        "Ward ID",
        "Ward or team",
        "Kind",
        "Code",
        "Directorate or service",
    ]
    results = wards_import(organisation=org, by=editor, file=Upload("w.xlsx", data), dry_run=True)
    assert [r.ok for r in results] == [True, True]
    assert [r.lines() for r in results] == [[], []]


def test_round_trip_renames_a_ward_adds_a_team_and_changes_a_draft_summary(org, editor, setup):
    ward, larch = setup["wards"]
    draft = setup["draft"]
    data = wards_export(user=editor, organisation=org)
    data = _edit(
        data,
        "Wards",
        {f"W{larch.pk}": {"Ward or team": "Larch ward (respiratory)", "Directorate or service": "Medicine"}},
        add=[{"Ward or team": "Hospital at night team", "Kind": "team", "Code": "HAN"}],
    )
    data = _edit(data, "Assessments", {f"A{draft.pk}": {"Summary": "Visited on the night shift."}})
    before = AuditLog.objects.count()
    dry = wards_import(organisation=org, by=editor, file=Upload("w.xlsx", data), dry_run=True)
    assert dry[0].lines() == [
        f"Row 2, W{larch.pk}: changes: Ward or team: Larch ward → Larch ward (respiratory); "
        "Directorate or service: (empty) → Medicine",
        "Row 4, (new, numbered when saved): new: Ward or team: (empty) → Hospital at night team; "
        "Kind: (empty) → team; Code: (empty) → HAN",
    ]
    assert dry[1].lines() == [f"Row 2, A{draft.pk}: changes: Summary: (empty) → Visited on the night shift."]
    assert AuditLog.objects.count() == before

    results = wards_import(organisation=org, by=editor, file=Upload("w.xlsx", data), dry_run=False)
    assert all(r.applied for r in results)
    larch.refresh_from_db()
    assert (larch.name, larch.parent) == ("Larch ward (respiratory)", setup["directorate"])
    team = OrganisationUnit.objects.get(organisation=org, name="Hospital at night team")
    assert (team.kind, team.code) == (UnitKind.TEAM, "HAN")
    draft.refresh_from_db()
    assert draft.summary == "Visited on the night shift."
    ward.refresh_from_db()
    assert ward.name == "Ward 7 (acute medicine)"
    updated = AuditLog.objects.filter(pk__gt=0, action=AuditAction.UPDATE).order_by("-pk")[:5]
    assert {(a.content_type.model, a.object_id) for a in updated} >= {
        ("organisationunit", str(larch.pk)),
        ("wardaudit", str(draft.pk)),
    }
    assert not AuditLog.objects.filter(
        action=AuditAction.UPDATE, content_type__model="organisationunit", object_id=str(ward.pk)
    ).exists()


def test_a_new_assessment_is_started_and_fixed_columns_cannot_change(org, editor, setup, scheme):
    ward, larch = setup["wards"]
    draft = setup["draft"]
    day = datetime.date.today() - datetime.timedelta(days=1)
    data = _edit(
        wards_export(user=editor, organisation=org),
        "Assessments",
        {},
        add=[{"Ward or team": "Larch ward", "Scheme": str(scheme), "Audited on": day}],
    )
    results = wards_import(organisation=org, by=editor, file=Upload("w.xlsx", data), dry_run=False)
    assert all(r.applied for r in results), [str(p) for r in results for p in r.problems]
    started = WardAudit.objects.get(unit=larch)
    assert (started.audited_on, started.auditor, started.scheme) == (day, editor, scheme)

    moved = _edit(
        wards_export(user=editor, organisation=org),
        "Assessments",
        {f"A{draft.pk}": {"Ward or team": "Larch ward"}},
    )
    results = wards_import(organisation=org, by=editor, file=Upload("w.xlsx", moved), dry_run=False)
    assert not any(r.applied for r in results)
    assert any("cannot be changed by an import" in str(p) for p in results[1].problems)


def test_unknown_ids_implausible_dates_and_duplicates_named_by_row(org, editor, setup, scheme):
    rows = {
        "Wards": [
            ["Ward ID", "Ward or team", "Kind", "Code"],
            ["W999999", "Someone else's ward", "ward", ""],
            ["", "Larch ward", "cupboard", ""],
        ],
        "Assessments": [
            ["Assessment ID", "Ward or team", "Scheme", "Audited on"],
            ["", "Larch ward", str(scheme), "31/12/9999"],
        ],
    }
    results = wards_import(
        organisation=org, by=editor, file=Upload("w.xlsx", xlsx_bytes(sheets=rows)), dry_run=False
    )
    messages = [str(p) for r in results for p in r.problems]
    assert messages[0].startswith("Row 2, Ward ID: no ward of the organisation has the reference W999999")
    assert messages[1].startswith("Row 3, Kind: “cupboard” is not one of")
    assert messages[2].startswith("Row 2, Audited on: 31/12/9999 is not a plausible date")
    assert not any(r.applied for r in results)


def test_other_organisations_wards_are_never_reached(org, editor, setup, other_org, outsider):
    ward = setup["wards"][0]
    data = _edit(
        wards_export(user=editor, organisation=org), "Wards", {f"W{ward.pk}": {"Ward or team": "Taken"}}
    )
    results = wards_import(organisation=other_org, by=outsider, file=Upload("w.xlsx", data), dry_run=False)
    assert not any(r.applied for r in results)
    assert any(f"has the reference W{ward.pk}" in str(p) for p in results[0].problems)
    ward.refresh_from_db()
    assert ward.name == "Ward 7 (acute medicine)"
    exported = load_workbook(io.BytesIO(wards_export(user=outsider, organisation=other_org)))
    assert exported["Wards"].max_row == 1 and exported["Assessments"].max_row == 1
    with pytest.raises(PermissionDenied):
        wards_import(organisation=org, by=outsider, file=Upload("w.xlsx", data), dry_run=True)


def test_page_checks_then_imports_the_same_file_and_the_command_does_the_same(
    login, org, editor, setup, tmp_path, capsys
):
    larch = setup["wards"][1]
    data = _edit(wards_export(user=editor, organisation=org), "Wards", {f"W{larch.pk}": {"Code": "LRC"}})
    client = login(editor)
    response = client.post(
        reverse("wards-import"), {"do": "check", "file": SimpleUploadedFile("w.xlsx", data)}
    )
    assert response.status_code == 200 and "(empty) → LRC" in response.content.decode()
    response = client.post(
        reverse("wards-import"),
        {
            "do": "import",
            "checked": upload_digest(Upload("w", data)),
            "file": SimpleUploadedFile("w.xlsx", data),
        },
    )
    assert response.status_code == 302
    larch.refresh_from_db()
    assert larch.code == "LRC"
    path = tmp_path / "wards.xlsx"
    call_command(
        "accreditation",
        "export",
        "--organisation",
        org.ods_code,
        "--out",
        str(path),
        "--as-user",
        editor.username,
    )
    path.write_bytes(_edit(path.read_bytes(), "Wards", {f"W{larch.pk}": {"Code": "LR2"}}))
    call_command(
        "accreditation",
        "import",
        str(path),
        "--organisation",
        org.ods_code,
        "--dry-run",
        "--as-user",
        editor.username,
    )
    assert f"Wards: Row 2, W{larch.pk}: changes: Code: LRC → LR2" in capsys.readouterr().out
    call_command(
        "accreditation", "import", str(path), "--organisation", org.ods_code, "--as-user", editor.username
    )
    larch.refresh_from_db()
    assert larch.code == "LR2"


def test_two_million_row_workbook_refused_while_it_is_read(org, editor):
    data = giant_workbook(2_050_000, header=["Ward ID", "Ward or team", "Kind", "Code"])
    results = wards_import(organisation=org, by=editor, file=Upload("huge.xlsx", data), dry_run=True)
    assert [str(p) for p in results[0].problems] == [
        "The file: The sheet has more than 20,000 rows, so it was not read further and nothing was imported. "
        "Check that it is the ward register, or split it."
    ]
