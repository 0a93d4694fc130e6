"""The demo loader places dates relative to the load day and fills the text that names them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from wellled.demo.loader import DATA_DIR, DemoDataFileError, DemoDates, data

LOAD_DAY = datetime.date(2026, 12, 3)
# Keys whose values in the data files are date expressions.
DATE_KEYS = {"due", "agreed", "assessed", "date", "inspection", "first_month", "loaded_on"}
# Names the steps pass to text placeholders: a plan's inspection, an assessment's visit, a measure's month.
NAMED = {"inspection": LOAD_DAY, "assessed": LOAD_DAY, "month": LOAD_DAY}


@pytest.mark.parametrize(
    ("expression", "day"),
    [
        ("today", LOAD_DAY),
        ("month_end(-1)", datetime.date(2026, 11, 30)),
        ("month_end(0)", datetime.date(2026, 12, 31)),
        ("month_end(-10)", datetime.date(2026, 2, 28)),
        ("month_start(-3)", datetime.date(2026, 9, 1)),
        ("month(2)", datetime.date(2027, 2, 1)),
        ("day(-7, 20)", datetime.date(2026, 5, 20)),
        ("day(-10, 31)", datetime.date(2026, 2, 28)),  # a shorter month: its last day
        ("-10d", datetime.date(2026, 11, 23)),
        ("+2w", datetime.date(2026, 12, 17)),
        ("-3m", datetime.date(2026, 9, 3)),
        ("-1y", datetime.date(2025, 12, 3)),
        ("month_end(-1)+7d", datetime.date(2026, 12, 7)),
        ("month(-36)+35m", datetime.date(2026, 11, 1)),
    ],
)
def test_a_date_expression_names_a_day_relative_to_the_load_day(expression, day):
    assert DemoDates(LOAD_DAY).date(expression) == day


def test_months_keep_the_day_or_take_the_shorter_months_last():
    assert DemoDates(datetime.date(2026, 5, 31)).date("-3m") == datetime.date(2026, 2, 28)
    assert DemoDates(datetime.date(2028, 3, 31)).date("month_end(-1)") == datetime.date(2028, 2, 29)


@pytest.mark.parametrize("expression", ["yesterday", "month_end()", "day(-1)", "month_end(-1) 7d", "-3q"])
def test_an_unreadable_date_is_refused_with_its_text(expression):
    with pytest.raises(DemoDataFileError, match="Cannot read the demo date"):
        DemoDates(LOAD_DAY).date(expression)


def test_text_names_the_computed_dates():
    dates = DemoDates(LOAD_DAY)
    assert (
        dates.text("Opens on {month(0):day_month}; due in {month(1):month}.")
        == "Opens on 1 December; due in January."
    )
    assert (
        dates.text("Report IA-{month(-3):year2}-07 ({month(-3):month_year})")
        == "Report IA-26-07 (September 2026)"
    )
    assert (
        dates.text("Inspected on {inspection}", inspection=datetime.date(2025, 2, 12))
        == "Inspected on 12 February 2025"
    )
    assert dates.text("Self-review {day(-20, 24):financial_year}") == "Self-review 2025/26"
    assert dates.text("waits-{month(-4):year_month}") == "waits-2026-08"
    with pytest.raises(DemoDataFileError, match="Unknown date format"):
        dates.text("{today:weekday}")


def _walk(value: Any, key: str = ""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    else:
        yield key, value


@pytest.mark.parametrize("name", sorted(p.name for p in DATA_DIR.glob("*.yaml")))
def test_every_date_and_placeholder_in_the_data_files_reads(name):
    dates = DemoDates(LOAD_DAY)
    for key, value in _walk(data(name)):
        if key in DATE_KEYS:
            assert isinstance(dates.date(value), datetime.date)
        if isinstance(value, str) and "{" in value:
            assert "{" not in dates.text(value, **NAMED), value


def test_every_data_file_belongs_to_a_step_and_every_step_has_its_files():
    from wellled.demo.steps import OPTIONAL_DATA_FILES, STEPS

    named = [name for step in STEPS for name in step.data_files] + list(OPTIONAL_DATA_FILES)
    assert sorted(named) == sorted(p.name for p in DATA_DIR.glob("*.yaml"))
