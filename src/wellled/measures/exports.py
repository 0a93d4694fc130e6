"""Measures' values as an .xlsx in the upload's own layout, to correct or extend in Excel and upload again.

One row per stored period: measure, period (a date cell), value, numerator, denominator; a figure recorded as
missing is a blank cell, as in an upload. Periods with nothing stored (the chart's gaps) are left out, so that a file
exported and uploaded again unchanged changes nothing. Uploading the file back updates the figures that differ (each
correction kept, with who made it and from which file), adds new periods, and leaves every stored period the file
does not mention as it is (docs/measures.md, "Both ways").
"""

from __future__ import annotations

from collections.abc import Iterable

from wellled.core.cells import safe_cell
from wellled.core.workbook import Font, new_workbook, streamed_cell, workbook_bytes

from .choices import SURVEY_COLUMNS, Frequency
from .models import Measure, MeasureValue, SurveyScore
from .periods import period_label

HEADER = ("measure", "period", "value", "numerator", "denominator")
PERIOD_FORMAT = "yyyy-mm-dd"


def values_workbook(measures: Iterable[Measure], values: Iterable[MeasureValue]) -> bytes:
    """The values of `measures` (already scoped to what the reader may see), by measure name then period."""
    by_pk = {m.pk: m for m in measures}
    names = {pk: m.name for pk, m in by_pk.items()}
    book = new_workbook(streamed=True)
    sheet = book.create_sheet("Values")
    sheet.freeze_panes = "A2"
    sheet.append([streamed_cell(sheet, heading, font=Font(bold=True)) for heading in HEADER])
    ordered = sorted(
        (v for v in values if v.measure_id in names), key=lambda v: (names[v.measure_id].lower(), v.period)
    )
    for value in ordered:
        sheet.append(
            [
                streamed_cell(sheet, names[value.measure_id]),
                _period_cell(sheet, by_pk[value.measure_id], value.period),
                *(
                    streamed_cell(sheet, _figure(figure))
                    for figure in (value.value, value.numerator, value.denominator)
                ),
            ]
        )
    return workbook_bytes(book)


def period_text(measure: Measure, period) -> str:
    """A period as an export writes it: a year's own name for annual measures ("2024" for the 2024 staff survey,
    "2024/25" for a financial year), which the upload reads back; else the ISO date."""
    if measure.frequency == Frequency.ANNUAL:
        return period_label(period, measure.period_kind).split(" (")[0]
    return period.isoformat()


def _period_cell(sheet, measure: Measure, period):
    if measure.frequency == Frequency.ANNUAL:
        return streamed_cell(sheet, period_text(measure, period))
    return streamed_cell(sheet, period, number_format=PERIOD_FORMAT)


def _figure(figure: float | None) -> float | int | None:
    """A whole figure as a whole number (268, not 268.0), so Excel shows it as typed."""
    if figure is None:
        return None
    return int(figure) if float(figure).is_integer() else figure


SURVEY_HEADER = tuple(names[0] for names in SURVEY_COLUMNS.values())


def survey_workbook(years: dict[int, list[SurveyScore]]) -> bytes:
    """A measure's staff survey results (already scoped) in the survey import's layout: a row per survey year (its
    calendar year, 2024) and element, with the score and the benchmark group's median, best and worst."""
    book = new_workbook(streamed=True)
    sheet = book.create_sheet("Staff survey")
    sheet.freeze_panes = "A2"
    sheet.append([streamed_cell(sheet, heading, font=Font(bold=True)) for heading in SURVEY_HEADER])
    for year, scores in sorted(years.items()):
        for s in scores:
            figures = (s.score, s.benchmark_median, s.benchmark_best, s.benchmark_worst)
            sheet.append(
                [
                    streamed_cell(sheet, year),
                    streamed_cell(sheet, safe_cell(s.get_element_display())),
                    *(streamed_cell(sheet, _figure(f)) for f in figures),
                ]
            )
    return workbook_bytes(book)
