"""The quarterly return: counted by date received from the definition file, matching counts worked out here
independently; exact for a guardian, suppressed for anyone else so that no small count can be worked out from the
totals; a nil quarter returned as nil; CSV, Excel and `wellled ftsu return`."""

from __future__ import annotations

import csv
import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from wellled.core.workbook import opened_workbook, sheet_rows
from wellled.ftsu import services
from wellled.ftsu.periods import Quarter, quarter_of, quarter_parse
from wellled.ftsu.returns import definition_load, quarter_return, return_csv, return_xlsx, suppress

pytestmark = pytest.mark.django_db
THRESHOLD = 5
GROUPS = ["nursing", "medical", "admin", "estates", "nursing_support"]
ELEMENTS = ["patient_safety", "worker_safety", "bullying", "behaviours"]


def _figures(result):
    return {(c.table, c.code): c for c in result.cells}


def test_the_return_matches_counts_worked_out_independently(org, guardian, year_of_cases):
    definition = definition_load()
    for number in range(1, 5):
        quarter = Quarter(2024, number)
        mine = [s for s in year_of_cases if quarter.first_day <= s["received_on"] <= quarter.last_day]
        figures = _figures(
            quarter_return(user=guardian, organisation=org, quarter=quarter, definition=definition)
        )
        assert figures[("cases", "total")].count == len(mine)
        assert figures[("cases", "detriment")].count == sum(s["detriment"] == "yes" for s in mine)
        for kind in ("open", "confidential", "anonymous"):
            assert figures[("openness", kind)].count == sum(s["openness"] == kind for s in mine)
        for group in GROUPS:
            assert figures[("worker_group", group)].count == sum(s["worker_group"] == group for s in mine)
        for element in ELEMENTS:
            assert figures[("elements", element)].count == sum(element in s["elements"] for s in mine)


def _hidden_cell_worked_out(result) -> list[str]:
    """Try to work out each hidden cell of every additive table from what the return shows: its total and its other
    cells (a small count is 1 to 4; a cell hidden to protect another is at least 5). Returns the cells found."""
    found = []
    for table in result.definition["tables"]:
        if not table.get("additive"):
            continue
        cells = [c for c in result.cells if c.table == table["code"]]
        total = result.totals[table["code"]]
        if total.hidden:
            continue
        hidden = [c for c in cells if c.hidden]
        rest = int(total.shown) - sum(int(c.shown) for c in cells if not c.hidden)
        ranges = [
            range(1, THRESHOLD) if c.shown.startswith("fewer") else range(THRESHOLD, rest + 1) for c in hidden
        ]
        for i, cell in enumerate(hidden):
            possible = {combo[i] for combo in itertools.product(*ranges) if sum(combo) == rest}
            if len(possible) == 1:
                found.append(f"{table['code']}/{cell.code} = {possible.pop()}")
    return found


def test_outside_the_guardian_role_small_counts_are_hidden_and_cannot_be_derived(
    org, people, guardian, year_of_cases
):
    for number in range(1, 5):
        result = quarter_return(user=people["administrator"], organisation=org, quarter=Quarter(2024, number))
        assert result.suppressed
        for cell in [*result.cells, *result.totals.values()]:
            assert cell.shown == "0" or not cell.shown.isdigit() or int(cell.shown) >= THRESHOLD, cell
        assert _hidden_cell_worked_out(result) == []
    # A guardian asking for exact counts sees them; anyone else asking is still given the suppressed copy.
    assert not quarter_return(user=guardian, organisation=org, quarter=Quarter(2024, 1)).suppressed
    assert quarter_return(
        user=people["administrator"], organisation=org, quarter=Quarter(2024, 1), suppressed=False
    ).suppressed


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=6))
def test_suppression_never_leaves_a_cell_to_be_worked_out(counts):
    total = sum(counts)
    hidden, total_hidden = suppress(counts, total, THRESHOLD)
    assert all(h for n, h in zip(counts, hidden, strict=True) if 0 < n < THRESHOLD)
    if total_hidden or not any(hidden):
        return
    rest = total - sum(n for n, h in zip(counts, hidden, strict=True) if not h)
    ranges = [
        range(1, THRESHOLD) if n < THRESHOLD else range(THRESHOLD, rest + 1)
        for n, h in zip(counts, hidden, strict=True)
        if h
    ]
    for i in range(len(ranges)):
        assert len({c[i] for c in itertools.product(*ranges) if sum(c) == rest}) > 1, (counts, hidden)


def test_the_threshold_is_configurable(org, people, year_of_cases, settings):
    settings.WELLLED_FTSU_SUPPRESSION_THRESHOLD = 10
    result = quarter_return(user=people["administrator"], organisation=org, quarter=Quarter(2024, 2))
    assert all(not c.shown.isdigit() or c.shown == "0" or int(c.shown) >= 10 for c in result.cells)
    assert any(c.shown == "fewer than 10" for c in result.cells)


def test_a_quarter_with_no_cases_is_returned_as_nil(org, guardian):
    result = quarter_return(user=guardian, organisation=org, quarter=Quarter(2023, 1))
    assert result.nil
    rows = list(csv.reader(io.StringIO(return_csv(result).decode("utf-8-sig"))))
    assert rows[-1][-3:] == ["No cases in the quarter", "nil", "0"]


def test_csv_excel_and_the_command_carry_the_same_figures(org, guardian, year_of_cases, tmp_path):
    result = quarter_return(user=guardian, organisation=org, quarter=Quarter(2024, 1))
    from_csv = list(csv.reader(io.StringIO(return_csv(result).decode("utf-8-sig"))))
    with opened_workbook(return_xlsx(result)) as book:
        from_xlsx = [[str(v) for v in row] for row in sheet_rows(book.active)]
    assert from_csv == from_xlsx
    out = tmp_path / "return.csv"
    call_command(
        "ftsu",
        "return",
        "--organisation",
        org.ods_code,
        "--quarter",
        "2024/25 Q1",
        "--out",
        str(out),
        "--as-user",
        "guardian",
    )
    assert list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == from_csv
    call_command(
        "ftsu", "return", "--organisation", org.ods_code, "--quarter", "2024/25 Q4", "--out", str(out)
    )
    assert "fewer than 5" in out.read_text(encoding="utf-8-sig")  # as the first administrator: suppressed


def test_quarters_by_the_financial_year():
    assert quarter_of(datetime.date(2024, 4, 1)) == Quarter(2024, 1)
    assert quarter_of(datetime.date(2025, 3, 31)) == Quarter(2024, 4)
    assert quarter_of(datetime.date(2025, 1, 1)).label == "2024/25 Q4"
    assert Quarter(2024, 4).last_day == datetime.date(2025, 3, 31)
    assert quarter_parse(" 2024/25 q3 ") == Quarter(2024, 3)
    with pytest.raises(ValueError, match="2024/25 Q1"):
        quarter_parse("2024/26 Q1")


def test_the_retention_job_erases_closed_cases_keeping_counts(org, guardian, case):
    services.case_close(
        case=case,
        by=guardian,
        expected_version=case.version,
        closed_on=datetime.date(2024, 7, 1),
        outcome="Resolved",
        feedback="yes",
    )
    assert services.cases_erase_expired(today=datetime.date(2030, 6, 30)) == 0
    call_command("ftsu", "retention", "--today", "2030-07-01")
    case.refresh_from_db()
    assert case.erased_on and case.concern_sealed == case.identity_sealed == "" and not case.contacts.exists()
    figures = _figures(quarter_return(user=guardian, organisation=org, quarter=Quarter(2024, 1)))
    assert figures[("cases", "total")].count == 1 and figures[("openness", "confidential")].count == 1
    from wellled.core.models import AuditLog

    assert AuditLog.objects.filter(object_id=str(case.pk), note__startswith="Erased").exists()


def test_a_guardian_issues_the_return_frozen_and_suppressed(
    login, client, org, people, guardian, year_of_cases
):
    from django.urls import reverse

    from wellled.reports.models import IssuedPaper

    assert (
        login(people["administrator"])
        .post(reverse("ftsu-return-issue"), {"quarter": "2024/25 Q4"})
        .status_code
        == 404
    )
    client.logout()
    client = login(guardian)
    response = client.post(reverse("ftsu-return-issue"), {"quarter": "2024/25 Q4"})
    issued = IssuedPaper.objects.get(kind="ftsu_ret")
    assert response.status_code == 302, response.content[:300]
    assert client.get(reverse("ftsu-return-issued", args=[issued.pk, "xlsx"])).status_code == 200
    frozen = issued.files.get(format="csv").content
    suppressed = quarter_return(user=people["administrator"], organisation=org, quarter=Quarter(2024, 4))
    assert bytes(frozen) == return_csv(suppressed)
    assert b"fewer than 5" in bytes(frozen)


@pytest.mark.django_db
def test_a_draft_return_names_its_quarter_and_refuses_a_bad_one_against_the_quarter_field(org, guardian):
    """The return is about the quarter its draft names, never as at a date; a bad label is said on the field."""
    from django.core.exceptions import ValidationError

    from wellled.core.permissions import Permission
    from wellled.ftsu.paper_kind import RETURN_KIND

    request = RETURN_KIND.draft_request(
        organisation=org, by=guardian, as_at=None, parameters={"quarter": "2024/25 Q2"}
    )
    assert request.subject == quarter_parse("2024/25 Q2")
    assert request.as_at is None
    assert RETURN_KIND.default_as_at(org, guardian) is None
    assert RETURN_KIND.issue_permission(org) == Permission.VIEW  # the service asks for the guardian
    with pytest.raises(ValidationError) as refused:
        RETURN_KIND.draft_request(organisation=org, by=guardian, as_at=None, parameters={"quarter": "Q9"})
    assert "quarter" in refused.value.message_dict
