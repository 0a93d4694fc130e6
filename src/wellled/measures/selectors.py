"""Reads for measures, scoped to the signed-in person's organisation, and their SPC results.

The board's summary matrix is computed for every measure in scope with `wellled.spc.spc_batch`: one vectorised
pass per chart type present (XmR, run, p, u, c: at most five, never one per measure), in a constant number of
queries however many measures there are.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.selectors import get_or_404, scoped, scoped_get, scoped_many
from wellled.plans.choices import ActionState
from wellled.plans.models import Action
from wellled.spc import Assurance, BatchResult, SPCResult, Variation, spc, spc_batch
from wellled.spc.icons import VARIATION_SHORT, too_few_text

from .choices import SURVEY_ELEMENTS, Direction, MetWhen
from .jinja import measure_period
from .models import (
    Annotation,
    Measure,
    MeasureCommentary,
    MeasureValue,
    MeasureValueRevision,
    Rebase,
    SuccessMeasureLink,
    SurveyScore,
)
from .periods import out_of_date_text, period_grid
from .prompts import RebaseSuggestion, assurance_note, rebase_suggestion
from .summaries import (
    Figures,
    compute_figures,
    stored_figures,
    summary_arrays,
)

# Rows of the summary matrix (the variation icons) and its columns (the assurance icons), in MDC's order.
VARIATION_ROWS = (
    Variation.IMPROVEMENT_HIGH,
    Variation.IMPROVEMENT_LOW,
    Variation.CONCERN_HIGH,
    Variation.CONCERN_LOW,
    Variation.NEUTRAL_HIGH,
    Variation.NEUTRAL_LOW,
    Variation.COMMON_CAUSE,
    Variation.TOO_FEW_POINTS,
)
ASSURANCE_COLUMNS: tuple[Assurance | None, ...] = (
    Assurance.PASS,
    Assurance.HIT_OR_MISS,
    Assurance.FAIL,
    None,
)
# "As the measure's direction says", in words a target can be checked with (a neutral measure has none).
MET_WHEN_BY_DIRECTION: dict[str, str] = {
    Direction.INCREASE: MetWhen.AT_LEAST,
    Direction.DECREASE: MetWhen.AT_MOST,
}
VARIATION_NAMES = {
    Variation.IMPROVEMENT_HIGH: "Special cause improvement (high)",
    Variation.IMPROVEMENT_LOW: "Special cause improvement (low)",
    Variation.CONCERN_HIGH: "Special cause concern (high)",
    Variation.CONCERN_LOW: "Special cause concern (low)",
    Variation.NEUTRAL_HIGH: "Special cause, neither better nor worse (high)",
    Variation.NEUTRAL_LOW: "Special cause, neither better nor worse (low)",
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.TOO_FEW_POINTS: "Too few points for process limits",
}
ASSURANCE_NAMES = {
    Assurance.PASS: "Consistently passing the target",
    Assurance.HIT_OR_MISS: "Hit or miss against the target",
    Assurance.FAIL: "Consistently failing the target",
    None: "No target (or no limits)",
}


# Measures -----------------------------------------------------------------------------------------------------


def owning_committees(*, user: User, organisation: Organisation) -> QuerySet:
    """The organisation's active committees a measure can belong to (committees.Committee, read by label: measures
    sits below committees)."""
    committee = Measure._meta.get_field("committee").related_model
    return scoped(committee._default_manager.filter(active=True), user=user, organisation=organisation)


def measures_for_user(*, user: User, organisation: Organisation) -> QuerySet[Measure]:
    """The organisation's measures, if the user belongs to it."""
    return scoped(Measure.objects.all(), user=user, organisation=organisation).select_related(
        "unit", "owner", "framework_element", "committee"
    )


def measure_get(*, user: User, organisation: Organisation, pk) -> Measure:
    """One measure of the organisation, or 404."""
    return get_or_404(measures_for_user(user=user, organisation=organisation), pk=pk)


def values_by_period(
    *, user: User, organisation: Organisation, measure_ids
) -> dict[tuple[int, datetime.date], MeasureValue]:
    """The stored values of the organisation's measures among `measure_ids`, by (measure id, period)."""
    values = scoped(
        MeasureValue.objects.filter(measure_id__in=measure_ids),
        user=user,
        organisation=organisation,
        path="measure__organisation",
    )
    return {(v.measure_id, v.period): v for v in values}


def rebase_get(*, user: User, organisation: Organisation, pk) -> Rebase:
    """One rebase of one of the organisation's measures, or 404."""
    rebases = Rebase.objects.select_related("measure")
    return scoped_get(rebases, user=user, organisation=organisation, pk=pk, path="measure__organisation")


def measure_units(*, user: User, organisation: Organisation) -> QuerySet[OrganisationUnit]:
    return scoped(OrganisationUnit.objects.all(), user=user, organisation=organisation).order_by(
        "kind", "name"
    )


# Series -------------------------------------------------------------------------------------------------------


@dataclass
class SeriesRow:
    """One period of a measure's series: its stored value (None for a gap) in the units the chart uses."""

    period: datetime.date
    stored: MeasureValue | None
    shown: float | None  # the plotted value: % for proportions, per N for rates


@dataclass
class Series:
    """A measure's periods from the first to the last, gaps included, as wellled.spc wants them."""

    rows: list[SeriesRow]
    dates: list[datetime.date]
    values: np.ndarray  # numerators for p and u charts, else the values (NaN for gaps)
    denominators: np.ndarray | None


def _nan(x: float | None) -> float:
    return math.nan if x is None else float(x)


def build_series(measure: Measure, values: list) -> Series:
    """Lay stored values (MeasureValue objects or (period, value, numerator, denominator) tuples) on the
    measure's period grid, so that missing periods are gaps in the chart and rows in the table."""
    by_period = {}
    for v in values:
        period = v.period if isinstance(v, MeasureValue) else v[0]
        by_period[period] = v
    dates = period_grid(sorted(by_period), measure.period_kind)
    n = len(dates)
    nums = np.full(n, math.nan)
    dens = np.full(n, math.nan) if measure.has_denominator else None
    rows = []
    for i, day in enumerate(dates):
        v = by_period.get(day)
        if v is None:
            rows.append(SeriesRow(day, None, None))
            continue
        value, num, den = (v.value, v.numerator, v.denominator) if isinstance(v, MeasureValue) else v[1:4]
        shown = None
        if dens is not None:
            nums[i], dens[i] = _nan(num), _nan(den)
            if num is not None and den:
                shown = num / den * measure.multiplier
        else:
            nums[i] = _nan(value)
            shown = value
        rows.append(SeriesRow(day, v if isinstance(v, MeasureValue) else None, shown))
    return Series(rows=rows, dates=dates, values=nums, denominators=dens)


def _options(measure: Measure) -> dict:
    return {
        "chart": measure.chart,
        "improvement_direction": measure.direction,
        "target": measure.target,
        "multiplier": measure.multiplier,
    }


def measure_spc(measure: Measure, series: Series, *, rebases=(), annotations=()) -> SPCResult | None:
    """The measure's chart: its kind chooses XmR, p, u or c (or a run chart), with its rebases and notes."""
    if not series.dates or np.all(np.isnan(series.values)):
        return None
    notes = [(a.date, a.text) for a in annotations] or None
    return spc(
        series.values,
        np.array(series.dates, dtype="datetime64[D]"),
        denominators=series.denominators,
        rebase=[r.date for r in rebases],
        annotations=notes,
        warn=False,
        **_options(measure),
    )


@dataclass
class MeasurePage:
    """Everything a measure's page shows."""

    measure: Measure
    series: Series
    result: SPCResult | None
    rebases: list[Rebase]
    annotations: list[Annotation]
    links: list[SuccessMeasureLink]
    survey: list[SurveyScore] = field(default_factory=list)
    as_at: datetime.date | None = None  # the date the page is read at: today, or a report's date

    @property
    def variation_text(self) -> str:
        """The variation in words: "n points: too few for process limits" for a short series (one home)."""
        return variation_words(self.result.variation, self.result.n_points) if self.result else ""

    @property
    def out_of_date(self) -> str:
        """'out of date (latest: July 2025)' when the latest figure is older than the frequency allows, else ''."""
        shown = [row.period for row in self.series.rows if row.shown is not None]
        latest = shown[-1] if shown else None
        return out_of_date_text(latest, self.measure.period_kind, self.as_at or timezone.localdate())

    def rebase_suggestion(self) -> RebaseSuggestion | None:
        """A rebase to offer: a sustained shift that began after a note on the chart (measures/prompts.py)."""
        return rebase_suggestion(
            self.result,
            notes=[(a.date, a.text) for a in self.annotations],
            rebase_dates=[r.date for r in self.rebases],
        )

    def assurance_note(self) -> str:
        """Words for the assurance icon where the latest figure against the target would suggest otherwise."""
        shown = [row.shown for row in self.series.rows if row.shown is not None]
        return assurance_note(
            self.result.assurance if self.result else None,
            latest=shown[-1] if shown else None,
            target=self.measure.target,
            higher_is_better=self.measure.direction != "decrease",
        )


def measure_page(*, user: User, organisation: Organisation, pk) -> MeasurePage:
    """A measure with its series (gaps included), its SPC result, rebases, notes and the actions it measures."""
    measure = measure_get(user=user, organisation=organisation, pk=pk)
    # Each figure's earlier values as a plain list (`corrections`): no related manager made for every period of a
    # long series, once by the prefetch and again by the page's table (issue 24).
    corrections = MeasureValueRevision.objects.select_related("recorded_by", "replaced_by")
    values = list(
        MeasureValue.objects.filter(measure=measure)
        .select_related("updated_by")
        .prefetch_related(Prefetch("revisions", queryset=corrections, to_attr="corrections"))
        .order_by("period")
    )
    rebases = list(measure.rebases.select_related("created_by").order_by("date"))
    annotations = list(measure.annotations.select_related("created_by").order_by("date", "id"))
    links = list(
        measure.action_links.select_related("action__plan", "action__status").order_by(
            "action__plan__name", "action__reference"
        )
    )
    series = build_series(measure, values)
    result = measure_spc(measure, series, rebases=rebases, annotations=annotations)
    return MeasurePage(measure, series, result, rebases, annotations, links, survey_scores(measure))


# Many measures at once (the summary matrix, success measures) -------------------------------------------------


def variation_words(variation: Variation, n_points: int) -> str:
    """A variation as every page and paper words it; a series too short for limits says how many points it has."""
    return too_few_text(n_points) if variation is Variation.TOO_FEW_POINTS else VARIATION_NAMES[variation]


def survey_scores(measure: Measure, until: datetime.date | None = None) -> list[SurveyScore]:
    """The latest survey year's People Promise, engagement and morale scores of a measure (already scoped), of
    the years up to `until` if given."""
    return latest_survey_years([measure.pk], until).get(measure.pk, [])


def survey_years(measure: Measure) -> dict[int, list[SurveyScore]]:
    """Every survey year's scores of a measure (already scoped), newest year first, each in the survey's order."""
    order = {e: i for i, e in enumerate(SURVEY_ELEMENTS)}
    years: dict[int, list[SurveyScore]] = {}
    for score in SurveyScore.objects.filter(measure=measure).order_by("-period"):
        years.setdefault(score.period.year, []).append(score)
    return {year: sorted(rows, key=lambda s: order[s.element]) for year, rows in years.items()}


def latest_survey_years(
    measure_ids: list[int], until: datetime.date | None = None
) -> dict[int, list[SurveyScore]]:
    """Each measure's latest survey year of scores, in the survey's element order: one query."""
    rows = SurveyScore.objects.filter(measure_id__in=measure_ids)
    if until is not None:
        rows = rows.filter(period__lte=until)
    order = {e: i for i, e in enumerate(SURVEY_ELEMENTS)}
    latest: dict[int, list[SurveyScore]] = {}
    for score in rows.order_by("measure_id", "-period"):
        year = latest.setdefault(score.measure_id, [score])
        if year[0] is not score and year[0].period == score.period:
            year.append(score)
    return {pk: sorted(year, key=lambda s: order[s.element]) for pk, year in latest.items()}


@dataclass
class MeasureSummary:
    """A measure's icons and latest value, as the matrix and the success-measure cells show them."""

    measure: Measure
    variation: Variation | None = None  # None: no data yet
    assurance: Assurance | None = None
    latest: float | None = None
    latest_period: datetime.date | None = None
    points: int = 0
    as_at: datetime.date | None = None  # the date the figures are read at (today, or a paper's date)

    @property
    def has_data(self) -> bool:
        return self.variation is not None

    @property
    def variation_text(self) -> str:
        """The variation in words ("n points: too few for process limits" for a short series); '' without data."""
        return variation_words(self.variation, self.points) if self.variation is not None else ""

    @property
    def variation_short(self) -> str:
        """The variation in a few words, for tables of papers ("n points: too few for process limits" stays)."""
        if self.variation is None:
            return "No data yet"
        if self.variation is Variation.TOO_FEW_POINTS:
            return too_few_text(self.points)
        return VARIATION_SHORT[self.variation]

    @property
    def latest_period_text(self) -> str:
        """The latest figure's period as written, with 'out of date (latest: …)' when it is not current."""
        if self.latest_period is None:
            return ""
        written = measure_period(self.latest_period, self.measure)
        return f"{written}, {self.out_of_date}" if self.out_of_date else written

    @property
    def out_of_date(self) -> str:
        """'out of date (latest: July 2025)' when the latest figure is older than the frequency allows, else ''."""
        as_at = self.as_at or timezone.localdate()
        return out_of_date_text(self.latest_period, self.measure.period_kind, as_at)

    @property
    def concern(self) -> bool:
        return self.variation in (Variation.CONCERN_HIGH, Variation.CONCERN_LOW)


def _stored_figures(
    by_pk: dict[int, Measure], *, until: datetime.date | None = None
) -> tuple[dict[int, list], dict[Hashable, list[datetime.date]]]:
    """The measures' stored figures (period, value, numerator, denominator) in period order, and their rebase
    dates, by measure id: two queries. With `until`, only the periods on or before it."""
    stored: dict[int, list] = defaultdict(list)
    values = MeasureValue.objects.filter(measure_id__in=by_pk)
    if until is not None:
        values = values.filter(period__lte=until)
    rows = values.order_by("measure_id", "period").values_list(
        "measure_id", "period", "value", "numerator", "denominator"
    )
    for measure_id, *rest in rows:
        stored[measure_id].append(tuple(rest))
    rebases: dict[Hashable, list[datetime.date]] = defaultdict(list)
    for measure_id, day in Rebase.objects.filter(measure_id__in=by_pk).values_list("measure_id", "date"):
        rebases[measure_id].append(day)
    return stored, rebases


@dataclass
class _LongTable:
    """Many measures' series end to end, in (measure id, date) order so spc_batch need not sort them."""

    ids: list[np.ndarray] = field(default_factory=list)
    dates: list[np.ndarray] = field(default_factory=list)
    values: list[np.ndarray] = field(default_factory=list)
    denominators: list[np.ndarray] = field(default_factory=list)
    targets: dict[Hashable, float | None] = field(default_factory=dict)

    def add(self, pk: int, series: Series, target: float | None) -> None:
        self.ids.append(np.full(len(series.dates), pk, dtype=np.int64))
        self.dates.append(np.array(series.dates, dtype="datetime64[D]"))
        self.values.append(series.values)
        if series.denominators is not None:
            self.denominators.append(series.denominators)
        self.targets[pk] = target

    def batch(
        self,
        *,
        chart: str,
        improvement_direction: str,
        multiplier: float,
        rebases: Mapping[Hashable, list[datetime.date]],
    ) -> BatchResult:
        """Every series of the table in one spc_batch pass."""
        return spc_batch(
            np.concatenate(self.ids),
            np.concatenate(self.dates),
            np.concatenate(self.values),
            denominators=np.concatenate(self.denominators) if self.denominators else None,
            chart=chart,
            improvement_direction=improvement_direction,
            multiplier=multiplier,
            targets=self.targets,
            rebases=rebases,
        )


def summarise(measures: list[Measure], *, until: datetime.date | None = None) -> dict[int, MeasureSummary]:
    """Icons and latest values of many measures. As they stand now (no `until`), read from the summaries the
    services keep (one query, no SPC; issue 24: pages and portfolios read summaries, never recompute them).

    With `until`, only periods on or before that date count (a board paper as at a date shows what was known):
    the figures packed in the stored summaries go into arrays and through one spc_batch call per chart type, with
    no object per point (measures/summaries.py): 2 queries.
    """
    if until is None:
        return stored_summaries(measures)
    arrays = summary_arrays(
        (m.pk for m in measures), until=until
    )  # packed in the stored summaries (ADR 0061)
    figures = compute_figures(measures, until=until, arrays=arrays)
    return {m.pk: _summary(m, figures.get(m.pk), until) for m in measures}


def _summary(measure: Measure, figures: Figures | None, as_at: datetime.date | None) -> MeasureSummary:
    if figures is None:
        return MeasureSummary(measure, as_at=as_at)
    return MeasureSummary(
        measure,
        variation=figures.variation,
        assurance=figures.assurance,
        latest=figures.latest,
        latest_period=figures.latest_period,
        points=figures.points,
        as_at=as_at,
    )


def stored_summaries(measures: list[Measure]) -> dict[int, MeasureSummary]:
    """The measures' latest summaries as stored (refreshed whenever their figures change): one query, no SPC.
    A measure with none stored yet (figures loaded in bulk, not through a service) is computed, not stored."""
    stored = stored_figures(m.pk for m in measures)
    missing = [m for m in measures if m.pk not in stored]
    if missing:
        stored.update(compute_figures(missing))
    out = {}
    for m in measures:
        figures = stored.get(m.pk)
        out[m.pk] = _summary(m, figures if figures and figures.variation else None, None)
    return out


@dataclass(frozen=True)
class MatrixFilters:
    unit: str = ""
    owner: str = ""
    element: str = ""


@dataclass
class Matrix:
    """The board's summary: every measure in scope by variation icon (rows) and assurance icon (columns)."""

    cells: dict[tuple[Variation, Assurance | None], list[MeasureSummary]]
    no_data: list[MeasureSummary]
    summaries: list[MeasureSummary]
    rows: tuple = VARIATION_ROWS
    columns: tuple = ASSURANCE_COLUMNS
    filters: MatrixFilters = field(default_factory=MatrixFilters)

    def row_count(self, variation: Variation) -> int:
        return sum(len(self.cells[(variation, a)]) for a in self.columns)


def filter_measures(measures: QuerySet[Measure], filters: MatrixFilters) -> QuerySet[Measure]:
    if filters.unit.isdigit():
        measures = measures.filter(unit_id=int(filters.unit))
    if filters.owner.isdigit():
        measures = measures.filter(owner_id=int(filters.owner))
    if filters.element.isdigit():
        measures = measures.filter(framework_element_id=int(filters.element))
    return measures


def summary_matrix(*, user: User, organisation: Organisation, filters: MatrixFilters | None = None) -> Matrix:
    """The Making Data Count summary of the organisation's measures, filtered by directorate, owner, element."""
    filters = filters or MatrixFilters()
    measures = list(filter_measures(measures_for_user(user=user, organisation=organisation), filters))
    summaries = summarise(measures)
    cells: dict = {(v, a): [] for v in VARIATION_ROWS for a in ASSURANCE_COLUMNS}
    no_data = []
    for measure in measures:
        s = summaries[measure.pk]
        if s.has_data:
            cells[(s.variation, s.assurance)].append(s)
        else:
            no_data.append(s)
    return Matrix(
        cells=cells, no_data=no_data, summaries=[summaries[m.pk] for m in measures], filters=filters
    )


# Success measures ---------------------------------------------------------------------------------------------


@dataclass
class ActionMeasureSummary:
    """What an action shows of its linked measure: latest value, icons, and whether the link's target is met."""

    link: SuccessMeasureLink
    summary: MeasureSummary

    @property
    def measure(self) -> Measure:
        return self.summary.measure

    @property
    def target_met(self) -> bool | None:
        """True or False once there is a latest value; None without one (or for a neutral measure)."""
        latest = self.summary.latest
        if latest is None:
            return None
        rule: str | None = self.link.met_when
        if rule == MetWhen.DIRECTION:
            rule = MET_WHEN_BY_DIRECTION.get(self.measure.direction)
        if rule == MetWhen.AT_LEAST:
            return latest >= self.link.target
        if rule == MetWhen.AT_MOST:
            return latest <= self.link.target
        return None

    @property
    def shows_exception(self) -> bool:
        """The measure shows concern, or consistent failure against its target."""
        return self.summary.concern or self.summary.assurance == Assurance.FAIL

    @property
    def action_is_complete(self) -> bool:
        action = self.link.action
        return bool(
            (action.status and action.status.is_complete)
            or action.state in (ActionState.COMPLETED, ActionState.CLOSED)
        )


def success_measure_summaries(
    *,
    user: User,
    organisation: Organisation,
    until: datetime.date | None = None,
    actions: Sequence[Action] | None = None,
) -> dict[int, ActionMeasureSummary]:
    """Every linked success measure of the organisation by action id, in a constant number of queries
    (with `until`, as the measures stood on that date; with `actions` already read, only theirs, each link given
    its action as read instead of joining it again)."""
    linked = scoped(
        SuccessMeasureLink.objects.select_related("measure"),
        user=user,
        organisation=organisation,
        path="action__plan__organisation",
    )
    if actions is None:
        links = list(
            linked.select_related(
                "measure__unit", "measure__owner", "action__status", "action__plan", "action__lead"
            )
        )
    else:  # the pages' rows show the measure's own fields only
        read = {a.pk: a for a in actions}
        links = list(linked.filter(action_id__in=list(read)))
        for link in links:
            link.action = read[link.action_id]
    if not links:  # nothing linked: no summaries to read (PostgreSQL would still ask, with an empty array)
        return {}
    measures = {link.measure_id: link.measure for link in links}
    summaries = summarise(list(measures.values()), until=until)
    return {link.action_id: ActionMeasureSummary(link, summaries[link.measure_id]) for link in links}


def link_get(*, user: User, organisation: Organisation, action) -> SuccessMeasureLink | None:
    return (
        scoped(
            SuccessMeasureLink.objects.select_related("measure"),
            user=user,
            organisation=organisation,
            path="action__plan__organisation",
        )
        .filter(action=action)
        .first()
    )


# Every measure's chart at once (the integrated performance report) --------------------------------------------


@dataclass(frozen=True)
class ReportedMeasure:
    """A measure as a report as at a date shows it: its chart to that date, notes, and the latest commentary."""

    page: MeasurePage
    commentary: MeasureCommentary | None


def measures_as_at(
    *, user: User, organisation: Organisation, until: datetime.date, committee_id: int | None = None
) -> list[ReportedMeasure]:
    """Every measure (or one committee's) with its SPC result from the figures of periods up to `until`, in six
    queries."""
    found = measures_for_user(user=user, organisation=organisation)
    if committee_id is not None:
        found = found.filter(committee_id=committee_id)
    measures = list(found.order_by("name"))
    ids = [m.pk for m in measures]
    values: dict[int, list[MeasureValue]] = {pk: [] for pk in ids}
    for value in MeasureValue.objects.filter(measure_id__in=ids, period__lte=until).order_by("period"):
        values[value.measure_id].append(value)
    rebases: dict[int, list[Rebase]] = {pk: [] for pk in ids}
    for rebase in Rebase.objects.filter(measure_id__in=ids, date__lte=until).order_by("date"):
        rebases[rebase.measure_id].append(rebase)
    notes: dict[int, list[Annotation]] = {pk: [] for pk in ids}
    for note in Annotation.objects.filter(measure_id__in=ids, date__lte=until).order_by("date", "id"):
        notes[note.measure_id].append(note)
    latest: dict[int, MeasureCommentary] = {}
    commentaries = MeasureCommentary.objects.filter(measure_id__in=ids, period__lte=until).select_related(
        "written_by"
    )
    for commentary in commentaries.order_by("measure_id", "-period", "-written_at", "-pk"):
        latest.setdefault(commentary.measure_id, commentary)
    surveys = latest_survey_years(ids, until)
    reported = []
    for measure in measures:
        series = build_series(measure, values[measure.pk])
        result = measure_spc(measure, series, rebases=rebases[measure.pk], annotations=notes[measure.pk])
        page = MeasurePage(
            measure,
            series,
            result,
            rebases[measure.pk],
            notes[measure.pk],
            [],
            survey=surveys.get(measure.pk, []),
            as_at=until,
        )
        reported.append(ReportedMeasure(page=page, commentary=latest.get(measure.pk)))
    return reported


# Many organisations' measures at once (an oversight body's portfolio) -----------------------------------------


def indicator_measures(*, user: User, organisations, codes=None) -> list[Measure]:
    """The measures of many organisations that carry a shared indicator code (all codes, or those in `codes`),
    in one query: by organisation, code, whole-organisation measures before a directorate's, then oldest."""
    measures = scoped_many(
        Measure.objects.exclude(indicator_code=""), user=user, organisations=organisations
    ).select_related("organisation")
    if codes is not None:
        measures = measures.filter(indicator_code__in=list(codes))
    whole_first = F("unit_id").asc(nulls_first=True)
    return list(measures.order_by("organisation_id", "indicator_code", whole_first, "pk"))


def spc_results_batch(measures: list[Measure]) -> dict[int, tuple[Series, SPCResult]]:
    """Each measure's series and full SPC result (to draw its chart), in two queries (values, rebases) and one
    `spc_batch` call per kind of chart, direction and scale present: one for measures counted the same way."""
    by_pk = {m.pk: m for m in measures}
    if not by_pk:
        return {}
    stored, rebases = _stored_figures(by_pk)
    series_of: dict[int, Series] = {}
    tables: dict[tuple[str, str, float], _LongTable] = {}
    for pk in sorted(stored):
        measure = by_pk[pk]
        series = build_series(measure, stored[pk])
        if np.all(np.isnan(series.values)):
            continue
        series_of[pk] = series
        kind = (measure.chart, measure.direction, measure.multiplier)
        tables.setdefault(kind, _LongTable()).add(pk, series, measure.target)
    results: dict[int, tuple[Series, SPCResult]] = {}
    for (chart, direction, multiplier), table in tables.items():
        batch = table.batch(
            chart=chart, improvement_direction=direction, multiplier=multiplier, rebases=rebases
        )
        for i, series_id in enumerate(batch.series_ids):
            pk = cast(int, series_id)
            results[pk] = (series_of[pk], batch.result(i))
    return results
