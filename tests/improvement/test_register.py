"""QI projects both ways (issue 25): exported as a workbook, edited with openpyxl as a QI lead would in Excel,
checked (the differences row by row), imported (each change through the services, audited and in the project's
history); a project left out is kept, another organisation's never reached, a bad cell named by row and column."""

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
from wellled.improvement import services
from wellled.improvement.models import QIProject
from wellled.improvement.register import projects_export, projects_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(org, editor):
    return services.project_create(
        organisation=org,
        by=editor,
        title="Quicker discharge letters",
        aim="Send nine in ten discharge letters within a day.",
        started_on=datetime.date(2025, 3, 1),
    )


@pytest.fixture
def foreign(other_org, outsider):
    from wellled.core.choices import Role
    from wellled.core.models import Membership

    Membership.objects.filter(user=outsider, organisation=other_org).update(role=Role.GOVERNANCE_EDITOR)
    return services.project_create(
        organisation=other_org,
        by=outsider,
        title="Southvale secret",
        aim="Not for Northmoor.",
        started_on=datetime.date(2025, 1, 1),
    )


def _edit(data: bytes, changes: dict[str, dict[str, object]], add: list | None = None) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for header, value in changes.get(row[0].value, {}).items():
            row[headers.index(header)].value = value
    for extra in add or []:
        sheet.append([extra.get(h) for h in headers])
    return workbook_bytes(book)


def _state():
    return sorted(
        QIProject.objects.values_list("pk", "title", "aim", "lead_id", "sponsor_id", "status", "started_on")
    )


def test_export_edit_check_and_import(org, editor, lead, project, second, foreign):
    data = projects_export(user=editor, organisation=org)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Project ID", "Title", "Aim", "Lead", "Sponsor", "Status", "Started on")
    assert [r[0] for r in rows[1:]] == [f"Q{project.pk}", f"Q{second.pk}"]  # not the other trust's

    same = projects_import(organisation=org, by=editor, file=Upload("p.xlsx", data), dry_run=True)
    assert same[0].ok and not same[0].created and not same[0].updated

    edited = _edit(
        data,
        {
            f"Q{project.pk}": {"Status": "Sustaining", "Sponsor": editor.get_full_name() or editor.username},
            f"Q{second.pk}": {"Aim": "Send every discharge letter within a day."},
        },
        add=[
            {
                "Title": "Safer insulin",
                "Aim": "No missed insulin doses.",
                "Started on": datetime.date(2026, 1, 5),
                "Lead": lead.username,
            }
        ],
    )
    before = _state()
    check = projects_import(organisation=org, by=editor, file=Upload("p.xlsx", edited), dry_run=True)[0]
    assert check.ok, [str(p) for p in check.problems]
    lines = check.lines()
    assert any(
        line.startswith("Row 2") and "Status: Testing changes → Sustaining" in line for line in lines
    ), lines
    assert any(line.startswith("Row 3") and "Aim:" in line for line in lines), lines
    assert any(line.startswith("Row 4") for line in lines), lines
    assert _state() == before  # the dry run wrote nothing

    done = projects_import(organisation=org, by=editor, file=Upload("p.xlsx", edited), dry_run=False)[0]
    assert done.applied
    project.refresh_from_db()
    second.refresh_from_db()
    assert (project.status, project.sponsor) == ("sustaining", editor)
    assert second.aim == "Send every discharge letter within a day."
    new = QIProject.objects.get(organisation=org, title="Safer insulin")
    assert new.lead == lead and new.started_on == datetime.date(2026, 1, 5)
    assert AuditLog.objects.filter(object_id=str(project.pk), action="update").exists()
    assert QIProject.objects.filter(pk=foreign.pk, title="Southvale secret").exists()


def test_a_project_left_out_is_kept_and_bad_cells_are_named(org, editor, project, second):
    data = projects_export(user=editor, organisation=org)
    book = load_workbook(io.BytesIO(data))
    book.active.delete_rows(3)
    book.active["G2"] = datetime.date(1900, 1, 1)
    book.active["D2"] = "Nobody Here"
    result = projects_import(
        organisation=org, by=editor, file=Upload("p.xlsx", workbook_bytes(book)), dry_run=False
    )[0]
    problems = [str(p) for p in result.problems]
    assert any(p.startswith("Row 2, Lead") and "Nobody Here" in p for p in problems), problems
    assert any(p.startswith("Row 2, Started on") and "1948" in p for p in problems), problems
    assert not result.applied and QIProject.objects.filter(pk=second.pk).exists()


def test_a_viewer_cannot_import_and_another_trust_cannot_reach_these_projects(
    org, viewer, outsider, project, other_org
):
    data = projects_export(user=viewer, organisation=org)
    with pytest.raises(PermissionDenied):
        projects_import(organisation=org, by=viewer, file=Upload("p.xlsx", data), dry_run=True)
    from wellled.core.choices import Role
    from wellled.core.models import Membership

    Membership.objects.filter(user=outsider, organisation=other_org).update(role=Role.GOVERNANCE_EDITOR)
    edited = _edit(data, {f"Q{project.pk}": {"Title": "Taken over"}})
    result = projects_import(
        organisation=other_org, by=outsider, file=Upload("p.xlsx", edited), dry_run=False
    )[0]
    assert not result.applied and any(f"Q{project.pk}" in str(p) for p in result.problems)
    project.refresh_from_db()
    assert project.title == "Fewer falls on the frailty wards"


def test_the_pages_and_the_command(login, editor, org, project, tmp_path):
    client = login(editor)
    response = client.get("/improvement/export.xlsx")
    assert response.status_code == 200
    edited = _edit(response.content, {f"Q{project.pk}": {"Title": "Fewer falls on every ward"}})
    upload = io.BytesIO(edited)
    upload.name = "projects.xlsx"
    check = client.post("/improvement/import/", {"file": upload})
    assert check.status_code == 200 and "Fewer falls on every ward" in check.content.decode()
    upload.seek(0)
    done = client.post(
        "/improvement/import/",
        {"file": upload, "do": "import", "checked": upload_digest(Upload("projects.xlsx", edited))},
    )
    assert done.status_code == 302
    project.refresh_from_db()
    assert project.title == "Fewer falls on every ward"
    path = tmp_path / "projects.xlsx"
    call_command("qi", "export", "--organisation", org.ods_code, "--out", str(path), stdout=StringIO())
    path.write_bytes(_edit(path.read_bytes(), {f"Q{project.pk}": {"Status": "Closed"}}))
    out = StringIO()
    call_command("qi", "import", str(path), "--organisation", org.ods_code, "--dry-run", stdout=out)
    assert "Status: Testing changes → Closed" in out.getvalue()
    project.refresh_from_db()
    assert project.status == "active"


def test_the_issue_workbook_is_refused_while_it_is_read(org, editor):
    data = giant_workbook(2_050_000, header=["Project ID", "Title", "Aim", "Started on"])
    result = projects_import(organisation=org, by=editor, file=Upload("p.xlsx", data), dry_run=True)[0]
    assert not result.ok and "more than" in str(result.problems[0])
