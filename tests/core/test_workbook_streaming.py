"""core.workbook reads rows one at a time and stops at the limit whatever the sheet claims; core.formatting says
which imported dates are plausible (issue 25)."""

from __future__ import annotations

import datetime

import pytest
from tests.big_sheets import blank_workbook, huge_workbook, issue_workbook

from wellled.core.formatting import implausible_date, latest_plausible
from wellled.core.workbook import (
    RowLimitExceeded,
    bounded_rows,
    opened_workbook,
    scan_limit,
    sheet_row_stream,
    sheet_rows,
)

TODAY = datetime.date(2026, 12, 6)


def test_rows_past_what_the_sheet_claims_are_read_and_numbered():
    data = huge_workbook(["a", "b"], ["x", 1], rows=5)  # the sheet claims A1:C3
    with opened_workbook(data) as book:
        rows = list(sheet_row_stream(book.worksheets[0], max_rows=10))
    assert [number for number, _ in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[-1][1] == ["x", 1]


def test_sheet_rows_keeps_its_shape_and_reads_past_the_claim():
    data = huge_workbook(["a", "b"], ["x", 1], rows=4)
    with opened_workbook(data) as book:
        assert sheet_rows(book.worksheets[0], max_columns=2) == [["a", "b"]] + [["x", 1]] * 4
    with opened_workbook(data) as book, pytest.raises(RowLimitExceeded, match="more than 3 rows"):
        sheet_rows(book.worksheets[0], max_rows=3)


def test_the_issue_workbook_is_refused_at_the_row_limit():
    with opened_workbook(issue_workbook()) as book:
        rows = sheet_row_stream(book.worksheets[0], max_rows=1_000)
        with pytest.raises(RowLimitExceeded) as refused:
            for _ in rows:
                pass
    assert (refused.value.limit, refused.value.counting_blank) == (1_000, False)


def test_two_million_blank_rows_are_refused_at_the_scan_limit():
    with opened_workbook(blank_workbook()) as book, pytest.raises(RowLimitExceeded) as refused:
        list(sheet_row_stream(book.worksheets[0], max_rows=1_000))
    assert refused.value.limit == scan_limit(1_000)
    assert "runs past row 3,000, counting blank rows" in str(refused.value)


def test_bounded_rows_skips_blank_rows_and_keeps_their_numbers():
    rows = [["h"], [], ["", None], ["x", "y", "z"]]
    assert list(bounded_rows(rows, max_rows=5, max_columns=2)) == [(1, ["h"]), (4, ["x", "y"])]
    with pytest.raises(RowLimitExceeded):
        list(bounded_rows(rows, max_rows=1))
    with pytest.raises(RowLimitExceeded):
        list(bounded_rows(rows, max_rows=5, max_scanned=3))


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            datetime.date(1947, 12, 31),
            "31 December 1947 is before 1948, so it cannot be right: enter a date from 1 January 1948 to "
            "6 December 2036.",
        ),
        (
            datetime.date(9999, 12, 31),
            "31 December 9999 is more than ten years ahead, so it cannot be right: enter a date from 1 January "
            "1948 to 6 December 2036.",
        ),
        (datetime.date(1948, 1, 1), None),
        (datetime.date(2036, 12, 6), None),
        (datetime.datetime(2036, 12, 7, 9, 0), "7 December 2036 is more than ten years ahead"),
    ],
)
def test_implausible_dates(day, message):
    found = implausible_date(day, today=TODAY)
    assert found == message if message is None or message.endswith(".") else found.startswith(message)


def test_ten_years_after_a_leap_day():
    assert latest_plausible(datetime.date(2028, 2, 29)) == datetime.date(2038, 2, 28)
