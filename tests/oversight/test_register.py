"""Exit criteria and their evidence both ways (issue 25): an oversight body exports them (a sheet each), edits the
workbook with openpyxl as an improvement director would in Excel, checks it (the differences row by row) and
imports it (each change through the services, audited); nothing left out is deleted, judgements are never read
back, another body's people never reach these trusts, and a bad cell is named by row and column."""

from __future__ import annotations

import datetime
import io
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from openpyxl import load_workbook
from tests.spreadsheets import giant_workbook

from wellled.core.models import AuditLog
from wellled.core.registers import Upload, upload_digest
from wellled.core.workbook import workbook_bytes
from wellled.oversight.models import ExitCriterion, ExitCriterionEvidence
from wellled.oversight.register import criteria_export, criteria_import

pytestmark = pytest.mark.django_db


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


def _state():
    return (
        sorted(ExitCriterion.objects.values_list("pk", "reference", "title", "description", "agreed_on")),
        sorted(ExitCriterionEvidence.objects.values_list("pk", "criterion_id", "kind", "object_id")),
    )


def test_export_edit_check_and_import(region, director, org, records, plan):
    criterion, evidence = records["criterion"], records["evidence"]
    data = criteria_export(user=director, organisation=region)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Exit criteria", "Evidence"]
    criteria_rows = list(book["Exit criteria"].iter_rows(values_only=True))
    assert criteria_rows[0][:6] == (
        "Criterion ID",
        "Trust",
        "Reference",
        "Criterion",
        "What it asks",
        "Agreed on",
    )
    assert criteria_rows[1][:3] == (f"E{criterion.pk}", org.ods_code, "EC1")
    assert criteria_rows[1][6] == "Partly met"
    evidence_rows = list(book["Evidence"].iter_rows(values_only=True))
    assert evidence_rows[1][:4] == (f"V{evidence.pk}", f"{org.ods_code} EC1", "Action", evidence.label)

    same = criteria_import(organisation=region, by=director, file=Upload("c.xlsx", data), dry_run=True)
    assert all(r.ok and not r.created and not r.updated for r in same), [
        str(p) for r in same for p in r.problems
    ]

    other_action = plan.actions.order_by("-pk").first()
    edited = _edit(
        data,
        "Exit criteria",
        {
            f"E{criterion.pk}": {
                "Criterion": "A stable board with substantive executives in post",
                "Latest judgement": "Met",
            }
        },
        add=[
            {
                "Trust": org.ods_code,
                "Reference": "EC2",
                "Criterion": "Quality governance reviewed externally",
                "Agreed on": datetime.date(2025, 6, 1),
            }
        ],
    )
    edited = _edit(
        edited,
        "Evidence",
        {},
        add=[
            {
                "For criterion": f"{org.ods_code} EC1",
                "Kind of record": "Action",
                "Record": f"{other_action.reference} {other_action.title}",
            }
        ],
    )
    before = _state()
    check = criteria_import(organisation=region, by=director, file=Upload("c.xlsx", edited), dry_run=True)
    assert all(r.ok for r in check), [str(p) for r in check for p in r.problems]
    lines = [line for r in check for line in r.lines()]
    assert any(line.startswith("Row 2") and "in post" in line for line in lines), lines
    assert any(line.startswith("Row 3") and "EC2" in line for line in lines), lines
    assert any(other_action.title in line for line in lines), lines
    assert _state() == before

    done = criteria_import(organisation=region, by=director, file=Upload("c.xlsx", edited), dry_run=False)
    assert all(r.applied for r in done)
    criterion.refresh_from_db()
    assert criterion.title == "A stable board with substantive executives in post"
    assert criterion.judgements.first().judgement == "partly_met"  # never read back
    assert ExitCriterion.objects.filter(trust=org, reference="EC2", oversight_body=region).exists()
    assert ExitCriterionEvidence.objects.filter(
        criterion=criterion, kind="action", object_id=other_action.pk
    ).exists()
    assert ExitCriterionEvidence.objects.filter(pk=evidence.pk).exists()
    assert AuditLog.objects.filter(object_id=str(criterion.pk), action="update").exists()


def test_rows_left_out_are_kept_and_bad_cells_named(region, director, org, records):
    data = criteria_export(user=director, organisation=region)
    book = load_workbook(io.BytesIO(data))
    book["Evidence"].delete_rows(2)
    book["Exit criteria"]["F2"] = datetime.date(9999, 12, 31)
    book["Evidence"].append([None, f"{org.ods_code} EC1", "Measure", "No such measure"])
    results = criteria_import(
        organisation=region, by=director, file=Upload("c.xlsx", workbook_bytes(book)), dry_run=False
    )
    problems = [str(p) for r in results for p in r.problems]
    assert any(p.startswith("Row 2, Agreed on: 31/12/9999 is not a plausible date") for p in problems), (
        problems
    )
    assert any(p.startswith("Row 2, Record") and "No such measure" in p for p in problems), problems
    assert not any(r.applied for r in results)
    assert ExitCriterionEvidence.objects.filter(pk=records["evidence"].pk).exists()


def test_another_body_and_a_viewer_cannot_reach_them(
    region, director, other_region, other_director, region_viewer, records
):
    data = criteria_export(user=director, organisation=region)
    assert (
        len(
            list(
                load_workbook(
                    io.BytesIO(criteria_export(user=other_director, organisation=other_region))
                ).active.iter_rows()
            )
        )
        == 1
    )
    with pytest.raises(PermissionDenied):
        criteria_import(organisation=region, by=region_viewer, file=Upload("c.xlsx", data), dry_run=True)
    criterion = records["criterion"]
    edited = _edit(data, "Exit criteria", {f"E{criterion.pk}": {"Criterion": "Taken over"}})
    results = criteria_import(
        organisation=other_region, by=other_director, file=Upload("c.xlsx", edited), dry_run=False
    )
    assert not any(r.applied for r in results)
    criterion.refresh_from_db()
    assert criterion.title == "A stable board with substantive executives"


def test_the_pages_and_the_command(login, region, director, records, tmp_path):
    criterion = records["criterion"]
    client = login(director)
    response = client.get("/oversight/criteria/export.xlsx")
    assert response.status_code == 200
    edited = _edit(response.content, "Exit criteria", {f"E{criterion.pk}": {"Reference": "EC1a"}})
    upload = io.BytesIO(edited)
    upload.name = "criteria.xlsx"
    check = client.post("/oversight/criteria/import/", {"file": upload})
    assert check.status_code == 200 and "EC1a" in check.content.decode()
    upload.seek(0)
    digest = upload_digest(Upload("criteria.xlsx", edited))
    done = client.post("/oversight/criteria/import/", {"file": upload, "do": "import", "checked": digest})
    assert done.status_code == 302
    criterion.refresh_from_db()
    assert criterion.reference == "EC1a"
    path = tmp_path / "criteria.xlsx"
    call_command(
        "exit_criteria",
        "export",
        "--organisation",
        region.ods_code,
        "--out",
        str(path),
        "--as-user",
        director.username,
        stdout=StringIO(),
    )
    path.write_bytes(_edit(path.read_bytes(), "Exit criteria", {f"E{criterion.pk}": {"Reference": "EC9"}}))
    out = StringIO()
    call_command(
        "exit_criteria",
        "import",
        str(path),
        "--organisation",
        region.ods_code,
        "--dry-run",
        "--as-user",
        director.username,
        stdout=out,
    )
    assert "Reference: EC1a → EC9" in out.getvalue()
    criterion.refresh_from_db()
    assert criterion.reference == "EC1a"


def test_a_trust_cannot_use_the_pages_and_the_issue_workbook_is_refused(
    login, editor, region, director, records
):
    client = login(editor)
    assert client.get("/oversight/criteria/export.xlsx").status_code == 404
    data = giant_workbook(2_050_000, header=["Criterion ID", "Trust", "Reference", "Criterion", "Agreed on"])
    results = criteria_import(organisation=region, by=director, file=Upload("c.xlsx", data), dry_run=True)
    assert not results[0].ok and "more than" in str(results[0].problems[0])
