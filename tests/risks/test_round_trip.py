"""The risk register both ways (issue 25): exported, three risks changed in the workbook as a risk manager would in
Excel (a current rating, a wording, an owner), imported back; those three change, the rating as a review, and
nothing else does. The dry run shows the differences first; another organisation's people never reach these risks;
a workbook of two million rows is refused while it is read."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from tests.factories import make_person
from tests.spreadsheets import giant_workbook, xlsx_bytes

from wellled.core.choices import Role
from wellled.core.formatting import numeric_date
from wellled.core.models import AuditLog
from wellled.core.registers import Upload, upload_digest
from wellled.core.workbook import workbook_bytes
from wellled.risks.models import Risk, RiskReview
from wellled.risks.selectors import RegisterFilters, risk_register
from wellled.risks.spreadsheet import register_export, register_import

from .conftest import make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(org, editor, lead, category, directorate):
    """Five risks, with owners, units, categories, controls and dates, as a register has them."""
    other = make_person(org, Role.LEAD, first_name="Second", last_name="Owner")
    risks = [
        make_risk(
            org,
            editor,
            reference=f"R{n}",
            title=f"Risk number {n}: {word}",
            owner=lead if n % 2 else other,
            handler=editor if n == 1 else None,
            category=category if n < 4 else None,
            unit=directorate if n != 3 else None,
            controls=[f"Control {n}a", f"Control {n}b"] if n != 5 else [],
            cause="Formula-like text =SUM(A1) stays text" if n == 2 else "",
        )
        for n, word in enumerate(["staffing", "estates", "finance", "sepsis", "flow"], start=1)
    ]
    return {"risks": risks, "other": other}


def _exported(org, editor) -> bytes:
    from django.utils import timezone

    return register_export(
        risks=risk_register(
            user=editor, organisation=org, filters=RegisterFilters(status="all"), on=timezone.localdate()
        )
    )


def _edit(data: bytes, changes: dict[str, dict[str, object]]) -> bytes:
    """The workbook opened with openpyxl (as Excel would), the cells of the rows with these references changed."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        edits = changes.get(row[0].value, {})
        for header, value in edits.items():
            row[headers.index(header)].value = value
    return workbook_bytes(book)


def _state(org):
    return {
        r.reference: (r.version, r.title, r.owner_id, r.current_score, r.next_review_on)
        for r in Risk.objects.filter(organisation=org)
    }


EDITS = {
    "R1": {"Current rating": "2x4=8"},
    "R2": {"Title": "Estates backlog: roof leaks on two wards"},
    "R3": {"Owner": "Second Owner"},
}


def test_round_trip_changes_the_three_risks_and_nothing_else(org, editor, lead, register):
    data = _edit(_exported(org, editor), EDITS)
    before, audits, reviews = _state(org), AuditLog.objects.count(), RiskReview.objects.count()

    dry = register_import(organisation=org, by=editor, file=Upload("register.xlsx", data), dry_run=True)
    assert dry.ok, [str(p) for p in dry.problems]
    assert dry.lines() == [
        "Row 2, R1: changes: Current rating: 3x4=12 → 2x4=8",
        "Row 3, R2: changes: Title: Risk number 2: estates → Estates backlog: roof leaks on two wards",
        f"Row 4, R3: changes: Owner: {lead.get_full_name()} → Second Owner",
    ]
    assert (_state(org), AuditLog.objects.count(), RiskReview.objects.count()) == (before, audits, reviews)

    result = register_import(organisation=org, by=editor, file=Upload("register.xlsx", data))
    assert result.applied and result.summary().startswith("0 new risk(s), 3 changed, 2 unchanged")
    after = _state(org)
    risks = {r.reference: r for r in Risk.objects.filter(organisation=org)}
    assert risks["R1"].scores("current") == (2, 4) and risks["R1"].current_score == 8
    review = RiskReview.objects.get(risk=risks["R1"])
    assert (review.likelihood_before, review.consequence_before, review.likelihood, review.consequence) == (
        3,
        4,
        2,
        4,
    )
    assert "register imported from register.xlsx" in review.narrative
    assert risks["R2"].title == "Estates backlog: roof leaks on two wards"
    assert risks["R3"].owner == register["other"]
    assert RiskReview.objects.count() == reviews + 1
    for reference in ("R4", "R5"):
        assert after[reference] == before[reference]
    assert risks["R2"].cause == "Formula-like text =SUM(A1) stays text"
    assert Risk.objects.filter(organisation=org).count() == 5
    # each change audited on its risk, and only there
    changed = AuditLog.objects.filter(pk__gt=0).order_by("-pk")[: AuditLog.objects.count() - audits]
    touched = {(a.content_type.model, a.object_id) for a in changed}
    assert {object_id for model, object_id in touched if model == "risk"} == {
        str(risks[r].pk) for r in ("R1", "R2", "R3")
    }

    again = register_import(organisation=org, by=editor, file=Upload("register.xlsx", data), dry_run=True)
    # the same file again: only the next review date that the review moved on differs
    assert again.ok and [line.split(": ", 2)[1:] for line in again.lines()] == [
        [
            "changes",
            f"Next review date: {numeric_date(risks['R1'].next_review_on)} → {numeric_date(before['R1'][4])}",
        ]
    ]


def test_a_risk_left_out_of_the_sheet_is_reported_and_kept(org, editor, register):
    book = load_workbook(io.BytesIO(_exported(org, editor)))
    book.active.delete_rows(3)
    result = register_import(organisation=org, by=editor, file=Upload("r.xlsx", workbook_bytes(book)))
    assert result.applied and len(result.not_in_sheet) == 1
    assert f"{result.not_in_sheet[0]}: not in the sheet, left unchanged" in result.lines()
    assert Risk.objects.filter(organisation=org).count() == 5


def test_removing_a_control_in_the_sheet_is_refused_and_nothing_is_written(org, editor, register):
    data = _edit(_exported(org, editor), {"R1": {"Controls": "Control 1a", "Title": "Renamed"}})
    result = register_import(organisation=org, by=editor, file=Upload("r.xlsx", data))
    assert not result.applied
    assert "does not remove them" in str(result.problems[0])
    assert Risk.objects.get(reference="R1").title.startswith("Risk number 1")


def test_implausible_dates_refused_naming_the_row(org, editor, register):
    import datetime

    data = _edit(
        _exported(org, editor),
        {
            "R4": {"Next review date": datetime.date(9999, 12, 31)},
            "R5": {"Date opened": datetime.date(1947, 12, 31)},
        },
    )
    book = load_workbook(io.BytesIO(data))
    book.active.append(["R9", "Opened in the far future", *[None] * 7, "9999-12-31", None, "3x3"])
    result = register_import(organisation=org, by=editor, file=Upload("r.xlsx", workbook_bytes(book)))
    messages = [str(p) for p in result.problems]
    assert messages[0].startswith("Row 5, Next review date: 31/12/9999 is not a plausible date")
    assert messages[1].startswith("Row 6, Date opened: 31/12/1947 is not a plausible date")
    assert messages[2].startswith("Row 7, Date opened: 31/12/9999 is not a plausible date")
    assert not result.applied and not Risk.objects.filter(reference="R9").exists()


def test_cli_dry_run_prints_the_differences_and_the_real_run_applies_them(
    org, editor, register, tmp_path, capsys
):
    path = tmp_path / "register.xlsx"
    call_command(
        "risks", "export", "--organisation", org.ods_code, "--out", str(path), "--as-user", editor.username
    )
    path.write_bytes(_edit(path.read_bytes(), EDITS))
    call_command(
        "risks",
        "import",
        str(path),
        "--organisation",
        org.ods_code,
        "--dry-run",
        "--as-user",
        editor.username,
    )
    out = capsys.readouterr().out
    assert "Row 2, R1: changes: Current rating: 3x4=12 → 2x4=8" in out
    assert "Dry run: 0 new risk(s), 3 changed, 2 unchanged" in out
    assert Risk.objects.get(reference="R1").current_score == 12
    call_command("risks", "import", str(path), "--organisation", org.ods_code, "--as-user", editor.username)
    assert Risk.objects.get(reference="R1").current_score == 8


def test_page_previews_then_imports_only_the_file_that_was_checked(login, org, editor, register):
    data = _edit(_exported(org, editor), EDITS)
    client = login(editor)
    response = client.post(
        reverse("risk-import"), {"do": "check", "file": SimpleUploadedFile("register.xlsx", data)}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "The file is ready" in page
    assert "3x4=12 → 2x4=8" in page and "Import these changes" in page
    assert Risk.objects.get(reference="R1").current_score == 12
    other = _edit(data, {"R4": {"Title": "Not the file that was checked"}})
    response = client.post(
        reverse("risk-import"),
        {
            "do": "import",
            "checked": upload_digest(Upload("x", data)),
            "file": SimpleUploadedFile("r.xlsx", other),
        },
    )
    assert response.status_code == 200 and "This is not the file you checked" in response.content.decode()
    assert Risk.objects.get(reference="R1").current_score == 12
    response = client.post(
        reverse("risk-import"),
        {
            "do": "import",
            "checked": upload_digest(Upload("x", data)),
            "file": SimpleUploadedFile("r.xlsx", data),
        },
    )
    assert response.status_code == 302
    assert Risk.objects.get(reference="R1").current_score == 8
    history = client.get(reverse("risk-history", args=[Risk.objects.get(reference="R2").pk])).content.decode()
    assert "Estates backlog: roof leaks on two wards" in history  # the change is in the risk's history


def test_another_organisation_importing_the_same_references_never_reaches_these_risks(
    org, editor, register, other_org, outsider
):
    rows = [["Risk ID", "Title", "Current rating"], ["R1", "Someone else's risk", "5x5=25"]]
    before = _state(org)
    result = register_import(
        organisation=other_org, by=outsider, file=Upload("r.xlsx", xlsx_bytes(sheets={"Risk register": rows}))
    )
    assert result.applied and [r.action for r in result.rows] == ["create"]
    assert result.not_in_sheet == []  # the other organisation's register is all it compares with
    assert _state(org) == before
    assert Risk.objects.get(organisation=other_org, reference="R1").current_score == 25
    with pytest.raises(PermissionDenied):
        register_import(organisation=org, by=outsider, file=Upload("r.xlsx", xlsx_bytes(sheets={"R": rows})))


def test_two_million_row_workbook_refused_while_it_is_read(org, editor):
    data = giant_workbook(2_050_000)
    result = register_import(organisation=org, by=editor, file=Upload("huge.xlsx", data), dry_run=True)
    assert [str(p) for p in result.problems] == [
        "The file: The sheet has more than 20,000 rows, so it was not read further and nothing was imported. "
        "Check that it is the risk register, or split it."
    ]
    assert result.rows == [] and not Risk.objects.exists()
