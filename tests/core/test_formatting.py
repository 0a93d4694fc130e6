"""How dates, months, counts and figures read, in every page, paper and export (wellled.core.formatting)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from wellled.core import formatting


def test_long_date_has_no_leading_zero_and_no_ordinal():
    assert formatting.long_date(datetime.date(2026, 9, 3)) == "3 September 2026"


def test_long_date_of_a_moment_is_in_the_trusts_time_zone_with_its_time(settings):
    settings.TIME_ZONE = "Europe/London"
    moment = datetime.datetime(2026, 7, 31, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert formatting.long_date(moment) == "1 August 2026 at 00:30"
    assert formatting.day_text(moment) == "1 August 2026"
    assert formatting.short_date(moment) == "1 Aug 2026"


def test_missing_dates_read_as_nothing():
    assert formatting.long_date(None) == ""
    assert formatting.month_year(None) == ""
    assert formatting.short_month(None) == ""


def test_months_as_boards_write_timescales():
    assert formatting.month_year(datetime.date(2027, 3, 31)) == "March 2027"
    assert formatting.short_month(datetime.date(2027, 3, 31)) == "Mar 2027"


@pytest.mark.parametrize(
    ("number", "expected"), [(0, "0 actions"), (1, "1 action"), (2, "2 actions"), (1204, "1,204 actions")]
)
def test_counts_agree_with_their_noun(number, expected):
    assert formatting.counted(number, "action") == expected


def test_counts_take_an_irregular_plural():
    assert formatting.counted(3, "person", "people") == "3 people"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (36.2349, "36.2"),
        (268.0, "268"),
        (12345.6, "12,346"),
        (4.126, "4.13"),
        (0.01234, "0.012"),
        (-0.0001, "0"),
        (2.0, "2"),
        (float("nan"), "—"),
        (None, "—"),
    ],
)
def test_figures_keep_sensible_precision(value, expected):
    assert formatting.figure(value) == expected


def test_measure_numbers_carry_their_unit():
    assert formatting.measure_number(36.2349, "%") == "36.2%"
    assert formatting.measure_number(4.1, "per 1,000") == "4.1 per 1,000"
    assert formatting.measure_number(268, "") == "268"
    assert formatting.measure_number(None, "%") == "—"


def test_months_are_added_keeping_the_day_or_the_months_last():
    from wellled.core.calendar import months_add

    assert months_add(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert months_add(datetime.date(2026, 11, 30), 18) == datetime.date(2028, 5, 30)
    assert months_add(datetime.date(2026, 3, 15), -3) == datetime.date(2025, 12, 15)
