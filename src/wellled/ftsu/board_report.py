"""What the Freedom to Speak Up board report says, as plain data (issue 23, ADR 0059).

Every count in it is a cell of a quarter's suppressed return, exactly as that quarter's return shows it to anyone
who is not a guardian: the report makes no new sum over quarters that the returns do not show, so no small count
can be worked out by setting the report beside the issued returns. A quarter's count that its return hides is not
plotted on the SPC charts. The guardian's words (themes, learning, actions) are what the guardian wrote for the
board, never the text of a case."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from django.utils import timezone

from wellled.core.formatting import long_date
from wellled.core.models import Organisation, User
from wellled.measures.choices import SURVEY_ELEMENTS
from wellled.measures.selectors import latest_survey_years, measures_for_user
from wellled.plans.selectors import plan_actions
from wellled.reports.ipr.build import VARIATION_WORDS
from wellled.reports.ipr.chart import IPRChart
from wellled.spc import SPCResult, spc
from wellled.spc.icons import too_few_text

from .models import Case, GuardianReport, NationalFigures
from .periods import Quarter, quarter_of
from .returns import HIDDEN, QuarterReturn, definition_load, quarter_return

# The SPC charts run over at most the last three years of quarters (12 points), from the first quarter the log holds.
CHART_QUARTERS = 12
# The People Promise element whose scores the report sets beside the speak-up figures (NHS Staff Survey).
SPEAKING_UP_SURVEY_ELEMENTS = ("voice",)
NOT_SHOWN = "not shown"
# Each SPC chart: its code, title, and the return's table and row it plots (the row "all" is the quarter's total).
CHARTS = (
    ("cases", "Cases raised each quarter", "cases", "total"),
    ("patient_safety", "Cases involving patient safety or quality", "elements", "patient_safety"),
    ("worker_safety", "Cases involving worker safety or wellbeing", "elements", "worker_safety"),
    ("bullying", "Cases involving bullying or harassment", "elements", "bullying"),
    ("behaviours", "Cases involving other inappropriate attitudes or behaviours", "elements", "behaviours"),
)
# A national figure and the trust's figure it is set beside: (table, row) counted over (table, row) of the cases.
NATIONAL_SHARES: dict[str, tuple[tuple[str, str], tuple[str, str] | None]] = {
    "cases": (("cases", "total"), None),
    "anonymous": (("openness", "anonymous"), ("cases", "total")),
    "patient_safety": (("elements", "patient_safety"), ("cases", "total")),
    "worker_safety": (("elements", "worker_safety"), ("cases", "total")),
    "bullying": (("elements", "bullying"), ("cases", "total")),
    "behaviours": (("elements", "behaviours"), ("cases", "total")),
    "detriment": (("cases", "detriment"), ("cases", "total")),
    "speak_again": (("feedback", "yes"), ("feedback", "answered")),
}


@dataclass(frozen=True)
class FigureRow:
    label: str
    shown: tuple[str, ...]  # one per quarter, as that quarter's suppressed return shows it


@dataclass(frozen=True)
class FigureTable:
    code: str
    title: str
    rows: tuple[FigureRow, ...]


@dataclass(frozen=True)
class QuarterChart:
    """One SPC chart of counts by quarter: the quarters, what each return shows, and the chart's data."""

    code: str
    title: str
    quarters: tuple[str, ...]
    shown: tuple[str, ...]
    chart: IPRChart | None
    variation_text: str

    @cached_property
    def result(self) -> SPCResult | None:
        return self.chart.to_result() if self.chart is not None else None

    @property
    def not_plotted(self) -> tuple[str, ...]:
        return tuple(q for q, s in zip(self.quarters, self.shown, strict=True) if not s.isdigit())


@dataclass(frozen=True)
class PlanLine:
    reference: str
    title: str
    status: str
    timescale: str
    overdue: bool


@dataclass(frozen=True)
class NationalLine:
    label: str
    national: str
    trust: str


@dataclass(frozen=True)
class SurveyLine:
    measure: str
    year: str
    element: str
    score: float
    median: float
    best: float
    worst: float


@dataclass(frozen=True)
class BoardReport:
    """The guardian's report to the board for a period, as issued."""

    title: str
    organisation_name: str
    as_at: datetime.date
    period_from: datetime.date
    period_to: datetime.date
    generated_at: datetime.datetime
    threshold: int
    quarters: tuple[str, ...]
    cases: tuple[str, ...]  # each quarter's cases raised, as its return shows it
    anonymous_share: tuple[str, ...]
    tables: tuple[FigureTable, ...]
    charts: tuple[QuarterChart, ...]
    themes: str
    learning: str
    actions: str
    guardian_hours: str
    guardian_wte: str
    champions: str
    executive_lead: str
    non_executive_lead: str
    plan_name: str
    plan_actions: tuple[PlanLine, ...]
    national_year: str
    national_title: str
    national_source: str
    national_illustrative: bool
    national: tuple[NationalLine, ...]
    survey: tuple[SurveyLine, ...]

    @property
    def total(self) -> int:
        return len(self.quarters)


def period_quarters(period_from: datetime.date, period_to: datetime.date) -> list[Quarter]:
    """The financial quarters a period touches, in order."""
    quarters = [quarter_of(period_from)]
    while quarters[-1].last_day < period_to:
        quarters.append(quarters[-1].next())
    return quarters


def _cell(result: QuarterReturn, table: str, row: str) -> str:
    """What the suppressed return shows for a row ("total" of the cases table: the quarter's cases)."""
    for cell in result.cells:
        if cell.table == table and cell.code == row:
            return cell.shown
    if row in {"total", "answered"}:
        total = result.totals[table]
        if row == "answered":  # those who answered the feedback question: the total less "no response"
            no_response = _cell(result, table, "no_response")
            if not (total.shown.isdigit() and no_response.isdigit()):
                return NOT_SHOWN
            return str(int(total.shown) - int(no_response))
        return total.shown
    return NOT_SHOWN


def _share(part: str, whole: str) -> str:
    if not (part.isdigit() and whole.isdigit()):
        return NOT_SHOWN
    if int(whole) == 0:
        return "no cases"
    return f"{round(100 * int(part) / int(whole))}%"


def _chart(code: str, title: str, quarters: list[Quarter], shown: list[str]) -> QuarterChart:
    """The counts by quarter as an XmR chart (the Making Data Count default), a hidden count left unplotted."""
    values = [float(s) if s.isdigit() else math.nan for s in shown]
    chart = None
    words = "No data yet"
    if any(not math.isnan(v) for v in values):
        dates = np.array([q.first_day for q in quarters], dtype="datetime64[D]")
        result = spc(np.array(values, dtype=np.float64), dates, warn=False)
        chart = IPRChart.from_result(result)
        words = (
            too_few_text(chart.points)
            if chart.too_few_points
            else VARIATION_WORDS.get(result.variation, "No data yet")
        )
    return QuarterChart(code, title, tuple(q.label for q in quarters), tuple(shown), chart, words)


def _trust_figure(returns: list[QuarterReturn], code: str) -> str:
    """The trust's figure over the period, only where every quarter's return shows what it is made of."""
    part_at, whole_at = NATIONAL_SHARES[code]
    parts = [_cell(r, *part_at) for r in returns]
    if not all(p.isdigit() for p in parts):
        return NOT_SHOWN
    if whole_at is None:
        return str(sum(int(p) for p in parts))
    wholes = [_cell(r, *whole_at) for r in returns]
    if not all(w.isdigit() for w in wholes):
        return NOT_SHOWN
    return _share(str(sum(int(p) for p in parts)), str(sum(int(w) for w in wholes)))


def _national(
    returns: list[QuarterReturn], year: str
) -> tuple[NationalFigures | None, tuple[NationalLine, ...]]:
    figures = NationalFigures.objects.filter(year=year).first()
    if figures is None:
        return None, ()
    lines = []
    for figure in figures.figures:
        value = figure["value"]
        national = f"{value:,}" if figure["unit"] == "cases" else f"{value}%"
        trust = _trust_figure(returns, figure["code"]) if figure["code"] in NATIONAL_SHARES else ""
        lines.append(NationalLine(figure["label"], national, trust))
    return figures, tuple(lines)


def _plan_lines(*, user: User, organisation: Organisation, report: GuardianReport) -> tuple[PlanLine, ...]:
    if report.plan is None:
        return ()
    rows = plan_actions(user=user, organisation=organisation, plan=report.plan, on=report.period_to)
    return tuple(
        PlanLine(
            reference=row.reference,
            title=row.title,
            status=row.status.code if row.status is not None else "No update yet",
            timescale=row.timescales[-1] if row.timescales else "",
            overdue=row.overdue,
        )
        for row in rows
    )


def _survey(*, user: User, organisation: Organisation, until: datetime.date) -> tuple[SurveyLine, ...]:
    measures = {m.pk: m.name for m in measures_for_user(user=user, organisation=organisation)}
    lines = []
    for pk, scores in latest_survey_years(list(measures), until).items():
        for score in scores:
            if score.element in SPEAKING_UP_SURVEY_ELEMENTS:
                lines.append(
                    SurveyLine(
                        measures[pk],
                        str(score.period.year),
                        SURVEY_ELEMENTS[score.element],
                        score.score,
                        score.benchmark_median,
                        score.benchmark_best,
                        score.benchmark_worst,
                    )
                )
    return tuple(lines)


def _number(value: Any) -> str:
    """A figure the guardian entered, as written ("22.5", "1", "" when none)."""
    return "" if value is None else f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value}" else f"{value}"


def board_report_build(*, user: User, organisation: Organisation, report: GuardianReport) -> BoardReport:
    """The report for the guardian's period: every count the suppressed copy (whoever asks, a guardian too)."""
    definition = definition_load()
    quarters = period_quarters(report.period_from, report.period_to)
    returns = [
        quarter_return(
            user=user, organisation=organisation, quarter=q, definition=definition, suppressed=True
        )
        for q in quarters
    ]
    tables = []
    for table in definition["tables"]:
        rows = [
            FigureRow(row["label"], tuple(_cell(r, table["code"], str(row["code"])) for r in returns))
            for row in table["rows"]
            if row["field"] != "all"
        ]
        rows.append(FigureRow("Total", tuple(r.totals[table["code"]].shown for r in returns)))
        tables.append(FigureTable(table["code"], table["title"], tuple(rows)))
    # The charts: the last CHART_QUARTERS quarters to the period's end, from the first quarter the log holds.
    first = (
        Case.objects.filter(organisation=organisation)
        .order_by("received_on")
        .values_list("received_on", flat=True)
        .first()
    )
    chart_quarters = [quarters[-1]]
    start = quarter_of(first) if first is not None else quarters[0]
    while len(chart_quarters) < CHART_QUARTERS and chart_quarters[0] > start:
        q = chart_quarters[0]
        chart_quarters.insert(0, Quarter(q.year - 1, 4) if q.number == 1 else Quarter(q.year, q.number - 1))
    by_label = {q.label: r for q, r in zip(quarters, returns, strict=True)}
    chart_returns = [
        by_label.get(q.label)
        or quarter_return(
            user=user, organisation=organisation, quarter=q, definition=definition, suppressed=True
        )
        for q in chart_quarters
    ]
    charts = tuple(
        _chart(code, title, chart_quarters, [_cell(r, table, row) for r in chart_returns])
        for code, title, table, row in CHARTS
    )
    year = quarter_of(report.period_to).financial_year
    national, national_lines = _national(returns, year)
    cases = tuple(_cell(r, "cases", "total") for r in returns)
    return BoardReport(
        title=f"Freedom to Speak Up report to the board, {long_date(report.period_from)} to {long_date(report.period_to)}",
        organisation_name=organisation.name,
        as_at=min(report.period_to, timezone.localdate()),
        period_from=report.period_from,
        period_to=report.period_to,
        generated_at=timezone.now(),
        threshold=returns[0].threshold,
        quarters=tuple(q.label for q in quarters),
        cases=cases,
        anonymous_share=tuple(
            _share(_cell(r, "openness", "anonymous"), c) for r, c in zip(returns, cases, strict=True)
        ),
        tables=tuple(tables),
        charts=charts,
        themes=report.themes,
        learning=report.learning,
        actions=report.actions,
        guardian_hours=_number(report.guardian_hours),
        guardian_wte=_number(report.guardian_wte),
        champions=_number(report.champions),
        executive_lead=report.executive_lead,
        non_executive_lead=report.non_executive_lead,
        plan_name=report.plan.name if report.plan is not None else "",
        plan_actions=_plan_lines(user=user, organisation=organisation, report=report),
        national_year=year,
        national_title=national.title if national else "",
        national_source=national.source if national else "",
        national_illustrative=national.illustrative if national else False,
        national=national_lines,
        survey=_survey(user=user, organisation=organisation, until=report.period_to),
    )


__all__ = ["HIDDEN", "BoardReport", "board_report_build", "period_quarters"]
