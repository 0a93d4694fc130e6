"""What the integrated performance report says, as plain data: measures grouped by domain, exceptions first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from wellled.core.formatting import long_date, measure_number
from wellled.core.models import Organisation, User
from wellled.measures.choices import Frequency
from wellled.measures.jinja import measure_period
from wellled.measures.models import MeasureValue
from wellled.measures.selectors import ReportedMeasure, measures_as_at, measures_for_user
from wellled.spc import SPCResult
from wellled.spc.icons import too_few_text
from wellled.spc.types import Assurance, Variation

from .chart import IPRChart

OTHER_GROUP = "Other measures"
NO_TARGET = "No target"
# Making Data Count: special cause of concern, and a process that will consistently fail its target, are the
# exceptions a board is asked to look at first.
CONCERN = (Variation.CONCERN_HIGH, Variation.CONCERN_LOW)
VARIATION_WORDS = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVEMENT_HIGH: "Special cause improvement (high)",
    Variation.IMPROVEMENT_LOW: "Special cause improvement (low)",
    Variation.CONCERN_HIGH: "Special cause concern (high)",
    Variation.CONCERN_LOW: "Special cause concern (low)",
    Variation.NEUTRAL_HIGH: "Special cause (high), neither better nor worse",
    Variation.NEUTRAL_LOW: "Special cause (low), neither better nor worse",
}
ASSURANCE_WORDS = {
    Assurance.PASS: "Will consistently meet the target",
    Assurance.FAIL: "Will consistently miss the target",
    Assurance.HIT_OR_MISS: "Will meet the target in some periods and miss it in others",
    None: "No target",
}


@dataclass(frozen=True)
class SurveyLine:
    """One staff survey element's score against the benchmark group (out of 10), as the report prints it."""

    element: str
    score: float
    median: float
    best: float
    worst: float
    against: str


@dataclass(frozen=True)
class IPRMeasure:
    """One measure in the report: figures, icons, the chart's data and the words beside it (all plain data, so an
    issued report keeps it in its snapshot)."""

    measure_id: int
    name: str
    group: str
    latest: str
    latest_period: str
    target: str
    variation: Variation | None
    assurance: Assurance | None
    chart: IPRChart | None
    unit_label: str
    shows: str
    why: str
    next_steps: str
    commentary_by: str
    notes: tuple[tuple[datetime.date, str], ...]
    exceptions: tuple[str, ...]
    out_of_date: str = ""  # 'out of date (latest: July 2025)' when the latest figure is not current
    survey_year: str = ""  # the staff survey year the scores below are of ('2024')
    survey: tuple[SurveyLine, ...] = ()

    @cached_property
    def result(self) -> SPCResult | None:
        """The SPC result the chart is drawn from (rebuilt from its data; not part of the snapshot)."""
        return self.chart.to_result() if self.chart is not None else None

    @property
    def target_text(self) -> str:
        """'Target 85%', or 'No target' (never 'Target No target')."""
        return self.target if self.target == NO_TARGET else f"Target {self.target}"

    @property
    def facts(self) -> tuple[str, ...]:
        """The line under the measure's name: latest figure, target, and the icons in words (the assurance only
        when there is a target, so "No target" is said once)."""
        latest = f"Latest {self.latest}" + (f" ({self.latest_period})" if self.latest_period else "")
        latest += f", {self.out_of_date}" if self.out_of_date else ""
        parts = (latest, self.target_text, self.variation_text)
        return parts if self.target == NO_TARGET else (*parts, self.assurance_text)

    @property
    def latest_period_text(self) -> str:
        """The latest figure's period, and 'out of date (latest: July 2025)' if it is not current."""
        return ", ".join(part for part in (self.latest_period, self.out_of_date) if part)

    @property
    def survey_lines(self) -> tuple[str, ...]:
        """The staff survey's scores against the benchmark group, a line an element (NHS Staff Survey)."""
        if not self.survey:
            return ()
        head = f"The {self.survey_year} staff survey against the benchmark group (scores out of 10):"
        return (
            head,
            *(
                f"{s.element}: {s.score:.2f} (group worst {s.worst:.2f}, median {s.median:.2f}, best {s.best:.2f}): "
                f"{s.against.lower()}"
                for s in self.survey
            ),
        )

    @property
    def survey_chart_rows(self) -> tuple[tuple[str, float, float, float, float], ...]:
        """(element, score, worst, median, best) of each survey element, as the survey chart draws it."""
        return tuple((s.element, s.score, s.worst, s.median, s.best) for s in self.survey)

    @property
    def too_few_points(self) -> bool:
        """The chart has too few points for process limits, so its variation says nothing yet."""
        return self.chart is not None and self.chart.too_few_points

    @property
    def variation_text(self) -> str:
        if self.chart is not None and self.too_few_points:
            return too_few_text(self.chart.points)
        return VARIATION_WORDS.get(self.variation, "No data yet") if self.variation else "No data yet"

    @property
    def assurance_text(self) -> str:
        return ASSURANCE_WORDS.get(self.assurance, "No target")


@dataclass(frozen=True)
class IPRGroup:
    name: str
    measures: tuple[IPRMeasure, ...]


@dataclass(frozen=True)
class IPR:
    """The report as at a date, for one organisation."""

    organisation_name: str
    as_at: datetime.date
    generated_at: datetime.datetime
    exceptions: tuple[IPRMeasure, ...]
    groups: tuple[IPRGroup, ...]
    committee: str = ""  # the committee whose measures it holds ("" for every measure; ADR 0062)

    @property
    def measures(self) -> tuple[IPRMeasure, ...]:
        return tuple(m for group in self.groups for m in group.measures)

    @property
    def title(self) -> str:
        scope = f" for {self.committee}" if self.committee else ""
        return f"Integrated performance report{scope}: position as at {long_date(self.as_at)}"

    @property
    def uncommented(self) -> tuple[IPRMeasure, ...]:
        """The exceptions with no commentary on what the chart shows: flagged before the report is issued."""
        return tuple(m for m in self.exceptions if not m.shows.strip())


def _group(reported: ReportedMeasure) -> str:
    element = reported.page.measure.framework_element
    if element is None:
        return OTHER_GROUP
    return element.name or element.code


def _row(reported: ReportedMeasure) -> IPRMeasure:
    page = reported.page
    measure, result = page.measure, page.result
    shown = [row for row in page.series.rows if row.shown is not None]
    latest = shown[-1] if shown else None
    exceptions = []
    if result is not None and result.variation in CONCERN:
        exceptions.append("Special cause concern")
    if result is not None and result.assurance == Assurance.FAIL:
        exceptions.append("Will consistently miss the target")
    commentary = reported.commentary
    return IPRMeasure(
        measure_id=measure.pk,
        name=measure.name,
        group=_group(reported),
        latest=measure_number(latest.shown, measure.unit_label) if latest else "No data yet",
        latest_period=measure_period(latest.period, measure) if latest else "",
        target=measure_number(measure.target, measure.unit_label)
        if measure.target is not None
        else NO_TARGET,
        variation=result.variation if result else None,
        assurance=result.assurance if result else None,
        chart=IPRChart.from_result(result) if result is not None else None,
        unit_label=measure.unit_label,
        shows=commentary.shows if commentary else "",
        why=commentary.why if commentary else "",
        next_steps=commentary.next_steps if commentary else "",
        commentary_by=(
            f"{commentary.written_by}, {long_date(commentary.written_at)}" if commentary is not None else ""
        ),
        notes=tuple((note.date, note.text) for note in page.annotations),
        exceptions=tuple(exceptions),
        out_of_date=page.out_of_date if latest else "",
        survey_year=measure_period(page.survey[0].period, measure) if page.survey else "",
        survey=tuple(
            SurveyLine(
                s.get_element_display(),
                s.score,
                s.benchmark_median,
                s.benchmark_best,
                s.benchmark_worst,
                s.against_benchmark,
            )
            for s in page.survey
        ),
    )


def ipr_build(*, user: User, organisation: Organisation, as_at: datetime.date, committee: Any = None) -> IPR:
    """The report as at a date: every measure of the organisation the person may see (or those a committee owns,
    ADR 0062), grouped, exceptions first."""
    reported_measures = measures_as_at(
        user=user, organisation=organisation, until=as_at, committee_id=committee.pk if committee else None
    )
    rows = [_row(reported) for reported in reported_measures]
    names = sorted({row.group for row in rows}, key=lambda name: (name == OTHER_GROUP, name))
    groups = tuple(IPRGroup(name, tuple(r for r in rows if r.group == name)) for name in names)
    return IPR(
        organisation_name=organisation.name,
        as_at=as_at,
        generated_at=timezone.now(),
        exceptions=tuple(r for r in rows if r.exceptions),
        groups=groups,
        committee=committee.name if committee else "",
    )


def _month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def last_complete_period(
    *, user: User, organisation: Organisation, today: datetime.date | None = None
) -> datetime.date:
    """The report's default date: the last complete period rather than today (issue 27). That is the last day of
    the month before this one, or, while the monthly measures' figures run only to an earlier month, the last day
    of the latest month with figures (a report dated past its figures would show last month as "no data")."""
    today = today or timezone.localdate()
    previous = today.replace(day=1) - datetime.timedelta(days=1)
    monthly = measures_for_user(user=user, organisation=organisation).filter(frequency=Frequency.MONTHLY)
    latest = (
        MeasureValue.objects.filter(measure__in=monthly, period__lte=previous)
        .filter(Q(value__isnull=False) | Q(numerator__isnull=False))
        .aggregate(latest=Max("period"))["latest"]
    )
    return min(previous, _month_end(latest)) if latest is not None else previous
