"""Six-monthly and annual measures (the staff survey): periods of the NHS financial year, labelled as boards write
them, gaps and future periods judged by the same calendar, and figures uploaded as '2024/25'."""

from __future__ import annotations

import datetime

import pytest

from wellled.measures.choices import Frequency
from wellled.measures.importers import parse_period
from wellled.measures.periods import (
    future_period_problem,
    next_period,
    normalise_period,
    period_grid,
    period_label,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "frequency", "stored"),
    [
        (D(2024, 4, 1), Frequency.ANNUAL, D(2024, 4, 1)),
        (D(2025, 3, 31), Frequency.ANNUAL, D(2024, 4, 1)),
        (D(2024, 10, 15), Frequency.ANNUAL, D(2024, 4, 1)),
        (D(2024, 9, 30), Frequency.SIX_MONTHLY, D(2024, 4, 1)),
        (D(2024, 10, 1), Frequency.SIX_MONTHLY, D(2024, 10, 1)),
        (D(2025, 2, 10), Frequency.SIX_MONTHLY, D(2024, 10, 1)),
    ],
)
def test_a_day_belongs_to_its_half_or_year_of_the_financial_year(day, frequency, stored):
    assert normalise_period(day, frequency) == stored


def test_periods_are_labelled_as_boards_write_them():
    assert period_label(D(2024, 4, 1), Frequency.ANNUAL) == "2024/25 (Apr 2024–Mar 2025)"
    assert period_label(D(2024, 4, 1), Frequency.SIX_MONTHLY) == "H1 2024/25 (Apr–Sep 2024)"
    assert period_label(D(2024, 10, 1), Frequency.SIX_MONTHLY) == "H2 2024/25 (Oct–Mar 2025)"


def test_a_gap_year_is_found_between_two_annual_figures():
    assert next_period(D(2023, 4, 1), Frequency.ANNUAL) == D(2024, 4, 1)
    assert period_grid([D(2022, 4, 1), D(2024, 4, 1)], Frequency.ANNUAL) == [
        D(2022, 4, 1),
        D(2023, 4, 1),
        D(2024, 4, 1),
    ]
    assert period_grid([D(2024, 4, 1), D(2025, 4, 1)], Frequency.SIX_MONTHLY) == [
        D(2024, 4, 1),
        D(2024, 10, 1),
        D(2025, 4, 1),
    ]


def test_the_current_year_can_have_a_figure_and_next_year_cannot():
    today = D(2026, 12, 3)
    assert future_period_problem(D(2026, 4, 1), Frequency.ANNUAL, today) == ""
    problem = future_period_problem(D(2027, 4, 1), Frequency.ANNUAL, today)
    assert problem == "2027/28 (Apr 2027–Mar 2028) has not happened yet, so it cannot have a figure."


def test_a_financial_year_is_read_from_an_uploaded_cell():
    assert parse_period("2024/25") == D(2024, 4, 1)
    with pytest.raises(ValueError):
        parse_period("2024/27")
