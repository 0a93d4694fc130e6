"""The board paper: a plan's delivery status as at a date, built once and rendered to every format.

The builder reads only through the plans selectors that take the signed-in person, so a paper can never show
another organisation's actions. Everything is "as at" the paper's date: progress updates and timescale
revisions recorded after the end of that day are left out, so a paper rebuilt later says what it said then.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from wellled.core.formatting import long_date, month_year
from wellled.core.models import DeliveryStatus, Organisation, User
from wellled.core.selectors import delivery_statuses
from wellled.core.services import StatusDefinition
from wellled.measures.jinja import measure_number
from wellled.measures.selectors import ActionMeasureSummary, success_measure_summaries
from wellled.plans import selectors as plan_selectors
from wellled.plans.choices import ActionState, CycleState, FindingSource
from wellled.plans.models import ActionStateChange, Plan, ReportingCycle
from wellled.plans.position import ActionPosition, PlanPosition, moved, plan_position
from wellled.plans.position import Baseline as Baseline  # noqa: F401  (re-exported: papers read it here)
from wellled.plans.position import end_of_day as end_of_day
from wellled.plans.position.facts import facts_of
from wellled.plans.rows import ActionRow
from wellled.spc.icons import ASSURANCE_SHORT, NO_ASSURANCE_SHORT

ARROW = "→"
PART_B_TITLE = "Part B: delivery status by finding"
NO_UPDATE_LABEL = "No update"


@dataclass(frozen=True)
class StatusInfo(StatusDefinition):
    """One point of the organisation's delivery-status scale, as the paper prints it: the facts a status is defined
    by (core.services.StatusDefinition), read from the organisation's own scale."""

    @classmethod
    def of(cls, status: DeliveryStatus) -> StatusInfo:
        """The status as the paper prints it: each field read from the status of the same name."""
        return cls(**{f.name: getattr(status, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class StatusCount:
    """How many actions stand at a status (status None: no update yet)."""

    status: StatusInfo | None
    count: int

    @property
    def label(self) -> str:
        return self.status.label if self.status else NO_UPDATE_LABEL

    @property
    def code(self) -> str:
        return self.status.code if self.status else "–"


@dataclass(frozen=True)
class MeasureInfo:
    """An action's linked success measure as the paper prints it: latest value, SPC icons, target met or not."""

    name: str
    latest: str  # "36.2%", or "" before any data
    latest_period: str  # "Oct 2026"
    variation: str  # a wellled.spc Variation value, or "" before any data
    variation_label: str
    assurance: str  # a wellled.spc Assurance value, or "" (no target)
    assurance_label: str
    target: str  # the link's target, written in the measure's unit
    target_met: bool | None  # None: no data yet, or a neutral measure
    shows_exception: bool  # concern, or consistently failing its target

    @property
    def met_text(self) -> str:
        return {True: "Target met", False: "Target not met"}.get(self.target_met, "Not known yet")

    @property
    def summary(self) -> str:
        """One line for plain formats: 'Staff survey response rate: 36.2% (Oct 2026), Improvement (high), ...'."""
        if not self.latest:
            return f"{self.name}: no data yet"
        return (
            f"{self.name}: {self.latest} ({self.latest_period}); {self.variation_label}; "
            f"{self.assurance_label}; target {self.target}: {self.met_text.lower()}"
        )


@dataclass(frozen=True)
class MeasureLine:
    """The board paper's measures section: one linked measure, its icons and the actions it measures."""

    name: str
    unit: str
    latest: str
    latest_period: str
    points: int
    variation: str
    variation_label: str
    assurance: str
    assurance_label: str
    target: str  # the measure's own target ("" if none)
    references: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """One action as a row of the paper."""

    reference: str
    title: str
    section_code: str
    section_title: str
    timescale: str  # with its revisions: "March 2026 → July 2026"
    timescales: tuple[str, ...]
    due_date: datetime.date | None
    leads: str
    success_measure: str
    progress: str
    progress_date: datetime.date | None
    status: StatusInfo | None
    state: str
    state_label: str
    overdue: bool
    slipped: bool  # the timescale has been revised at some point
    slipped_this_cycle: bool
    update_awaited: bool
    findings: tuple[int, ...]
    measure: MeasureInfo | None = None
    risks: tuple[str, ...] = ()  # the risks the action mitigates: "CR12 Ward staffing below plan (20)"

    @property
    def is_complete(self) -> bool:
        return bool(
            (self.status and self.status.is_complete)
            or self.state in (ActionState.COMPLETED, ActionState.CLOSED)
        )

    @property
    def status_code(self) -> str:
        return self.status.code if self.status else ""

    @property
    def status_label(self) -> str:
        return self.status.label if self.status else NO_UPDATE_LABEL


@dataclass(frozen=True)
class Change:
    """An action whose status moved since the previous paper."""

    row: Row
    before: StatusInfo | None
    after: StatusInfo | None
    note: str = ""


@dataclass(frozen=True)
class MovementSummary:
    """What changed since the previous paper."""

    baseline_label: str  # e.g. "Position as at 31 October 2026"; "" when there is no previous paper
    baseline_date: datetime.date | None
    improved: tuple[Change, ...] = ()
    worsened: tuple[Change, ...] = ()
    newly_completed: tuple[Change, ...] = ()
    slipped: tuple[Change, ...] = ()

    @property
    def has_baseline(self) -> bool:
        return self.baseline_date is not None

    @property
    def any(self) -> bool:
        return bool(self.improved or self.worsened or self.newly_completed or self.slipped)


@dataclass(frozen=True)
class Exceptions:
    """What the board reads first: actions at an exception status, slipped this cycle, awaiting an update."""

    at_risk: tuple[Row, ...]
    slipped: tuple[Row, ...]
    awaiting: tuple[Row, ...]
    not_improved: tuple[Row, ...] = ()  # complete, but the linked measure shows concern or consistent failure

    @property
    def any(self) -> bool:
        return bool(self.at_risk or self.slipped or self.awaiting or self.not_improved)


@dataclass(frozen=True)
class SectionBlock:
    """Part A: one section (e.g. W1) with its actions, its purpose and its executive lead."""

    code: str
    title: str
    rows: tuple[Row, ...]
    purpose: str = ""
    executive_lead: str = ""  # "Rosa Green (RG)"

    @property
    def heading(self) -> str:
        return f"{self.code}: {self.title}" if self.code else self.title

    @property
    def about(self) -> str:
        """'Purpose: … Executive lead: Rosa Green (RG).', or '' when the section has neither."""
        parts = []
        if self.purpose:
            parts.append(f"Purpose: {self.purpose}")
        if self.executive_lead:
            parts.append(f"Executive lead: {self.executive_lead}")
        return " ".join(p if p.endswith(".") else p + "." for p in parts)


@dataclass(frozen=True)
class FindingBlock:
    """Part B: one numbered finding with the actions that answer it."""

    number: int
    text: str
    finding_type: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class BoardPaper:
    """Everything a board paper says, independent of the format it is printed in."""

    trust_name: str
    ods_code: str
    plan_name: str
    plan_kind: str
    plan_pk: int
    as_at: datetime.date
    cycle_name: str
    generated_at: datetime.datetime
    generated_by: str
    statuses: tuple[StatusInfo, ...]  # the legend, best first
    counts: tuple[StatusCount, ...]
    total: int
    movement: MovementSummary
    exceptions: Exceptions
    part_a: tuple[SectionBlock, ...]
    part_b: tuple[FindingBlock, ...]
    rows: tuple[Row, ...] = field(repr=False)  # every action once, in board order
    measures: tuple[MeasureLine, ...] = ()  # the measures the plan's success measures are linked to
    part_b_title: str = PART_B_TITLE

    @property
    def title(self) -> str:
        return f"{self.plan_name}: delivery status"

    @property
    def as_at_text(self) -> str:
        return long_date(self.as_at)

    @property
    def produced_on(self) -> datetime.date:
        """The day the paper was produced, in the trust's time zone (not UTC: late evening in summer differs)."""
        return timezone.localtime(self.generated_at).date()


# Formatting helpers shared by every renderer ------------------------------------------------------------------


# A paper describes the plan at a date: none before any plan could have been kept here, none beyond a year ahead.
AS_AT_EARLIEST = datetime.date(2000, 1, 1)
AS_AT_AHEAD = datetime.timedelta(days=366)


def as_at_problem(day: datetime.date) -> str:
    """Why a paper cannot be as at this date ('' if it can), in words for the person who asked."""
    latest = timezone.localdate() + AS_AT_AHEAD
    if AS_AT_EARLIEST <= day <= latest:
        return ""
    return f"Choose a date from {long_date(AS_AT_EARLIEST)} to {long_date(latest)}."


# The builder ---------------------------------------------------------------------------------------------------


# The risks an action mitigates come from the risks app, which sits above reports: it registers its reader here.
RisksSource = Callable[..., Mapping[int, tuple[str, ...]]]
_risk_sources: list[RisksSource] = []


def risks_source_register(source: RisksSource) -> None:
    """Register `source(user=, organisation=, plan=)` giving, by action id, the risks each action mitigates."""
    if source not in _risk_sources:
        _risk_sources.append(source)


def risks_by_action(*, user: User, organisation: Organisation, plan: Plan) -> dict[int, tuple[str, ...]]:
    """The risks each action of the plan mitigates, as the paper prints them ({} when no app gives any)."""
    found: dict[int, tuple[str, ...]] = {}
    for source in _risk_sources:
        for action_id, texts in source(user=user, organisation=organisation, plan=plan).items():
            found[action_id] = found.get(action_id, ()) + tuple(texts)
    return found


def board_paper_build(
    *, user: User, organisation: Organisation, plan: Plan, as_at: datetime.date | None = None
) -> BoardPaper:
    """Build the board paper for a plan, as at a date (default: the open cycle's position date, else today)."""
    # Re-read the plan through the person's scope: a plan of another organisation is a 404, never a paper.
    plan = plan_selectors.plan_get(user=user, organisation=organisation, pk=plan.pk)
    cycles = list(plan_selectors.plan_cycles(user=user, organisation=organisation, plan=plan))
    as_at = as_at or _default_as_at(cycles)
    scale = delivery_statuses(organisation=organisation, include_inactive=True)
    infos = {s.pk: StatusInfo.of(s) for s in scale}
    actions = plan_selectors.plan_actions(user=user, organisation=organisation, plan=plan, on=as_at)
    now = timezone.now()
    position = _position(actions, cycles=cycles, scale=scale, as_at=as_at, now=now)
    linked = _linked_measures(user=user, organisation=organisation, plan=plan, as_at=as_at)
    mitigated = risks_by_action(user=user, organisation=organisation, plan=plan)
    rows = {
        a.pk: _row(a, position[a.pk], infos=infos, measure=linked.get(a.pk), risks=mitigated.get(a.pk, ()))
        for a in actions
    }
    findings = plan_selectors.plan_findings(user=user, organisation=organisation, plan=plan)
    part_a, ordered = _part_a(plan, actions, rows)
    legend, counts = _legend_and_counts(scale, ordered)
    return BoardPaper(
        trust_name=organisation.name,
        ods_code=organisation.ods_code,
        plan_name=plan.name,
        plan_kind=plan.get_kind_display(),
        plan_pk=plan.pk,
        as_at=as_at,
        cycle_name=position.cycle.name if position.cycle else "",
        generated_at=now,
        generated_by=str(user),
        statuses=legend,
        counts=counts,
        total=len(ordered),
        movement=_movement(position, rows=rows, ordered=ordered, infos=infos),
        exceptions=_exceptions(ordered),
        part_a=part_a,
        part_b=_part_b(findings, rows),
        part_b_title=part_b_title(findings),
        rows=tuple(ordered),
        measures=_measure_lines(linked.values(), rows),
    )


def _default_as_at(cycles: list[ReportingCycle]) -> datetime.date:
    """A paper's date when none is asked for: the open cycle's position date, else today."""
    current_open = next((c for c in cycles if c.state == CycleState.OPEN), None)
    return current_open.position_as_at if current_open else timezone.localdate()


def _position(
    actions: list[ActionRow],
    *,
    cycles: list[ReportingCycle],
    scale,
    as_at: datetime.date,
    now: datetime.datetime,
) -> PlanPosition:
    """The plan as at the paper's date (ADR 0032, 0042), read with each action's state changes."""
    prefetch_related_objects(
        [a.action for a in actions],
        Prefetch("state_changes", queryset=ActionStateChange.objects.order_by("created_at", "id")),
    )
    return plan_position(
        cycles=cycles,
        facts=[facts_of(a.action) for a in actions],
        complete_ids=[s.pk for s in scale if s.is_complete],
        now=now,
        today=timezone.localdate(),
        as_at=as_at,
    )


def _linked_measures(
    *, user: User, organisation: Organisation, plan: Plan, as_at: datetime.date
) -> dict[int, ActionMeasureSummary]:
    """The success measures linked to the plan's actions, by action id, with their data up to the date."""
    return {
        pk: summary
        for pk, summary in success_measure_summaries(
            user=user, organisation=organisation, until=as_at
        ).items()
        if summary.link.action.plan_id == plan.pk
    }


def _part_a(
    plan: Plan, actions: list[ActionRow], rows: dict[int, Row]
) -> tuple[tuple[SectionBlock, ...], list[Row]]:
    """Part A's sections, and every row in board order: sections, then the rest, then Part B's own actions."""
    # An action in no section that answers a finding is Part B's: printed there, not repeated in Part A unless
    # the plan asks for it (ADR 0033).
    part_b_only = set()
    if not plan.part_b_actions_in_part_a:
        part_b_only = {a.pk for a in actions if a.action.section_id is None and a.findings}
    grouped: dict[int | None, list[ActionRow]] = {}
    for action in actions:
        if action.pk not in part_b_only:
            grouped.setdefault(action.action.section_id, []).append(action)
    unsectioned = grouped.pop(None, [])
    sections = {s.pk: s for s in plan.sections.select_related("executive_lead")}
    part_a = [
        _section_block(sections[section_id], tuple(rows[a.pk] for a in group))
        for section_id, group in grouped.items()
        if section_id is not None
    ]
    if unsectioned:
        part_a.append(
            SectionBlock(code="", title="Other actions", rows=tuple(rows[a.pk] for a in unsectioned))
        )
    ordered = [row for section in part_a for row in section.rows]
    ordered += [rows[a.pk] for a in actions if a.pk in part_b_only]
    return tuple(part_a), ordered


def _legend_and_counts(scale, ordered: list[Row]) -> tuple[tuple[StatusInfo, ...], tuple[StatusCount, ...]]:
    """The legend (active statuses and any retired one still in use) and how many actions stand at each."""
    used = {r.status.code for r in ordered if r.status}
    legend = tuple(StatusInfo.of(s) for s in scale if s.active or s.code in used)
    counted = Counter(r.status.code for r in ordered if r.status)
    counts = tuple(StatusCount(s, counted.get(s.code, 0)) for s in legend)
    return legend, counts + (StatusCount(None, sum(1 for r in ordered if r.status is None)),)


def _exceptions(ordered: list[Row]) -> Exceptions:
    """What the board reads first: at an exception status (worst first), slipped this cycle, awaited, and
    complete without the measure improving."""
    at_risk = sorted(
        (r for r in ordered if r.status and r.status.is_exception and r.state == ActionState.OPEN),
        key=lambda r: r.status.rank if r.status else 0,
    )
    return Exceptions(
        at_risk=tuple(at_risk),
        slipped=tuple(r for r in ordered if r.slipped_this_cycle),
        awaiting=tuple(r for r in ordered if r.update_awaited),
        not_improved=tuple(r for r in ordered if r.is_complete and r.measure and r.measure.shows_exception),
    )


def _movement(
    position: PlanPosition, *, rows: dict[int, Row], ordered: list[Row], infos: dict[int, StatusInfo]
) -> MovementSummary:
    """What changed since the previous paper, in board order (ADR 0032, point 5)."""
    previous = position.previous
    changes: dict[str, list[Change]] = {"improved": [], "worsened": [], "newly_completed": [], "slipped": []}
    if position.baseline is not None:
        place = {row.reference: index for index, row in enumerate(ordered)}
        for pk, row in sorted(rows.items(), key=lambda item: place.get(item[1].reference, len(place))):
            then = position[pk].status_then_id
            before = infos.get(then) if then else None
            change = moved(before, row.status)
            for name in ("improved", "worsened", "newly_completed"):
                if getattr(change, name):
                    changes[name].append(Change(row, before, row.status))
            if row.slipped_this_cycle:
                changes["slipped"].append(Change(row, before, row.status, note=row.timescale))
    return MovementSummary(
        baseline_label=previous.name if previous else "",
        baseline_date=previous.position_as_at if previous else None,
        improved=tuple(changes["improved"]),
        worsened=tuple(changes["worsened"]),
        newly_completed=tuple(changes["newly_completed"]),
        slipped=tuple(changes["slipped"]),
    )


def _part_b(findings, rows: dict[int, Row]) -> tuple[FindingBlock, ...]:
    """Part B: each finding with the rows of the actions that answer it."""
    return tuple(
        FindingBlock(
            number=f.number,
            text=f.text,
            finding_type=f.get_finding_type_display(),
            rows=tuple(rows[a.pk] for a in f.actions.all() if a.pk in rows),
        )
        for f in findings
    )


def _section_block(section, rows: tuple[Row, ...]) -> SectionBlock:
    """Part A's block for a section: its code, title, purpose and executive lead."""
    lead = section.executive_lead
    lead_text = ""
    if lead is not None:
        name = lead.get_full_name()
        lead_text = f"{name} ({lead.display_initials})" if name else lead.display_initials
    return SectionBlock(
        code=section.code, title=section.title, rows=rows, purpose=section.purpose, executive_lead=lead_text
    )


def part_b_title(findings) -> str:
    """'Part B: CQC inspection, October 2018' when the findings share a source and its date; else the plain title
    (a source without a date may be only the default, so it is not printed alone)."""
    sources = {(f.source, f.source_date) for f in findings}
    if len(sources) != 1:
        return PART_B_TITLE
    source, day = sources.pop()
    if day is None:
        return PART_B_TITLE
    label = FindingSource(source).label if source in FindingSource.values else str(source)
    return f"Part B: {label}, {month_year(day)}"


def _measure_info(linked: ActionMeasureSummary) -> MeasureInfo:
    """The paper's view of an action's linked measure."""
    summary, measure = linked.summary, linked.measure
    return MeasureInfo(
        name=measure.name,
        latest=measure_number(summary.latest, measure) if summary.has_data else "",
        latest_period=summary.latest_period_text,
        variation=str(summary.variation or ""),
        variation_label=summary.variation_short,
        assurance=str(summary.assurance or ""),
        assurance_label=ASSURANCE_SHORT.get(summary.assurance, NO_ASSURANCE_SHORT),
        target=measure_number(linked.link.target, measure),
        target_met=linked.target_met,
        shows_exception=summary.has_data and linked.shows_exception,
    )


def _measure_lines(linked, rows: dict[int, Row]) -> tuple[MeasureLine, ...]:
    """Each linked measure once, with the references of the plan's actions it measures, by name."""
    by_measure: dict[int, tuple] = {}
    for item in linked:
        summary = item.summary
        refs = by_measure.get(summary.measure.pk, (summary, []))[1]
        refs.append(
            rows[item.link.action_id].reference if item.link.action_id in rows else item.link.action.reference
        )
        by_measure[summary.measure.pk] = (summary, refs)
    lines = []
    for summary, refs in by_measure.values():
        measure = summary.measure
        lines.append(
            MeasureLine(
                name=measure.name,
                unit=measure.unit_label,
                latest=measure_number(summary.latest, measure) if summary.has_data else "",
                latest_period=summary.latest_period_text,
                points=summary.points,
                variation=str(summary.variation or ""),
                variation_label=summary.variation_short,
                assurance=str(summary.assurance or ""),
                assurance_label=ASSURANCE_SHORT.get(summary.assurance, NO_ASSURANCE_SHORT),
                target=measure_number(measure.target, measure) if measure.target is not None else "",
                references=tuple(sorted(refs)),
            )
        )
    return tuple(sorted(lines, key=lambda line: line.name.lower()))


def _row(
    action_row: ActionRow,
    position: ActionPosition,
    *,
    infos: dict[int, StatusInfo],
    measure: ActionMeasureSummary | None = None,
    risks: tuple[str, ...] = (),
) -> Row:
    """One action as the paper as at its date shows it: its position (plans.position) in the paper's words."""
    action = action_row.action
    shown = position.update
    return Row(
        reference=action.reference,
        title=action.title,
        section_code=action.section.code if action.section else "",
        section_title=action.section.title if action.section else "",
        timescale=f" {ARROW} ".join(position.timescales),
        timescales=position.timescales,
        due_date=position.due_date,
        leads=action_row.leads_text,
        success_measure=action.success_measure,
        progress=shown.narrative if shown else "",
        progress_date=shown.update_date if shown else None,
        status=infos.get(position.status_id) if position.status_id else None,
        state=position.state,
        state_label=ActionState(position.state).label,
        overdue=position.overdue,
        slipped=position.slipped,
        slipped_this_cycle=position.slipped_this_cycle,
        update_awaited=position.update_awaited,
        findings=tuple(sorted(f.number for f in action_row.findings)),
        measure=_measure_info(measure) if measure is not None else None,
        risks=risks,
    )
