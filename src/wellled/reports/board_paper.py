"""The board paper: a plan's delivery status as at a date, built once and rendered to every format.

The builder reads only through the plans selectors that take the signed-in person, so a paper can never show
another organisation's actions. Everything is "as at" the paper's date: progress updates and timescale
revisions recorded after the end of that day are left out, so a paper rebuilt later says what it said then.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from wellled.core.formatting import long_date, month_year
from wellled.core.models import DeliveryStatus, Organisation, User
from wellled.core.selectors import delivery_statuses
from wellled.measures.jinja import measure_number, measure_period
from wellled.measures.selectors import ActionMeasureSummary, success_measure_summaries
from wellled.plans import selectors as plan_selectors
from wellled.plans.choices import ActionState, FindingSource
from wellled.plans.models import ActionStateChange, Plan, ReportingCycle, TimescaleRevision, state_at
from wellled.plans.positions import latest_update, recorded_by_for, revision_position, update_as_at
from wellled.plans.rows import ActionRow
from wellled.plans.timescales import timescale_texts
from wellled.spc.icons import ASSURANCE_SHORT, NO_ASSURANCE_SHORT, VARIATION_SHORT

ARROW = "→"
PART_B_TITLE = "Part B: delivery status by finding"
NO_UPDATE_LABEL = "No update"


@dataclass(frozen=True)
class StatusInfo:
    """One point of the organisation's delivery-status scale, as the paper prints it."""

    code: str
    label: str
    meaning: str
    colour: str
    text_colour: str
    rank: int
    is_complete: bool
    is_exception: bool

    @classmethod
    def of(cls, status: DeliveryStatus) -> StatusInfo:
        return cls(
            code=status.code,
            label=status.label,
            meaning=status.meaning,
            colour=status.colour,
            text_colour=status.text_colour,
            rank=status.rank,
            is_complete=status.is_complete,
            is_exception=status.is_exception,
        )


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


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of a local day: the cut-off of a paper 'as at' that day."""
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start, timezone.get_current_timezone()) - datetime.timedelta(microseconds=1)


@dataclass(frozen=True)
class Baseline:
    """The previous paper a paper's movement is measured from: its date and its recording cut-off."""

    as_at: datetime.date
    recorded_by: datetime.datetime


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
    if as_at is None:
        current_open = next((c for c in cycles if c.state == "open"), None)
        as_at = current_open.position_as_at if current_open else timezone.localdate()
    cutoff = end_of_day(as_at)
    now = timezone.now()
    cycle = _cycle_of(cycles, as_at=as_at, cutoff=cutoff)
    previous = _previous_cycle(cycles, as_at=as_at)
    # What the paper shows (ADR 0032): per action, the latest update for a position on or before the date,
    # recorded by the cut-off (when a closed cycle's paper closed, else now); the previous paper the same way.
    recorded_by = recorded_by_for(cycle, as_at=as_at, now=now)
    baseline = (
        Baseline(previous.position_as_at, recorded_by_for(previous, as_at=previous.position_as_at, now=now))
        if previous
        else None
    )
    # Without a previous paper, "this cycle" covers what was recorded since the current cycle opened.
    window_start = None if baseline else (cycle.opened_at if cycle else None)

    scale = delivery_statuses(organisation=organisation, include_inactive=True)
    infos = {s.pk: StatusInfo.of(s) for s in scale}
    actions = plan_selectors.plan_actions(user=user, organisation=organisation, plan=plan, on=as_at)
    prefetch_related_objects(
        [a.action for a in actions],
        Prefetch("state_changes", queryset=ActionStateChange.objects.order_by("created_at", "id")),
    )
    then_status: dict[int, int | None] = {}
    if baseline is not None:
        then_status = {
            a.pk: _status_id_as_at(a, as_at=baseline.as_at, recorded_by=baseline.recorded_by) for a in actions
        }

    linked = {
        pk: summary
        for pk, summary in success_measure_summaries(
            user=user, organisation=organisation, until=as_at
        ).items()
        if summary.link.action.plan_id == plan.pk
    }
    mitigated = risks_by_action(user=user, organisation=organisation, plan=plan)
    rows: dict[int, Row] = {}
    changes: dict[str, list[Change]] = {"improved": [], "worsened": [], "completed": [], "slipped": []}
    for action in actions:
        row = _row(
            action,
            infos=infos,
            cutoff=cutoff,
            recorded_by=recorded_by,
            as_at=as_at,
            cycle=cycle,
            baseline=baseline,
            window_start=window_start,
        )
        if action.pk in linked:
            row = replace(row, measure=_measure_info(linked[action.pk]))
        if action.pk in mitigated:
            row = replace(row, risks=mitigated[action.pk])
        rows[action.pk] = row
        if baseline is None:
            continue
        before = infos.get(then_status.get(action.pk)) if then_status.get(action.pk) else None
        after = row.status
        if before and after and before.rank != after.rank:
            changes["improved" if after.rank > before.rank else "worsened"].append(Change(row, before, after))
        if after and after.is_complete and not (before and before.is_complete):
            changes["completed"].append(Change(row, before, after))
        if row.slipped_this_cycle:
            changes["slipped"].append(Change(row, before, after, note=row.timescale))

    findings = plan_selectors.plan_findings(user=user, organisation=organisation, plan=plan)
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

    # Board order: sections, then the rest, then the actions printed in Part B alone.
    ordered = [row for section in part_a for row in section.rows]
    ordered += [rows[a.pk] for a in actions if a.pk in part_b_only]
    used = {r.status.code for r in ordered if r.status}
    legend = tuple(StatusInfo.of(s) for s in scale if s.active or s.code in used)
    counted = {code: sum(1 for r in ordered if r.status and r.status.code == code) for code in used}
    counts = tuple(StatusCount(s, counted.get(s.code, 0)) for s in legend)
    counts += (StatusCount(None, sum(1 for r in ordered if r.status is None)),)

    at_risk = sorted(
        (r for r in ordered if r.status and r.status.is_exception and r.state == ActionState.OPEN),
        key=lambda r: r.status.rank,
    )
    exceptions = Exceptions(
        at_risk=tuple(at_risk),
        slipped=tuple(r for r in ordered if r.slipped_this_cycle),
        awaiting=tuple(r for r in ordered if r.update_awaited),
        not_improved=tuple(r for r in ordered if r.is_complete and r.measure and r.measure.shows_exception),
    )
    position = {row.reference: index for index, row in enumerate(ordered)}
    for found in changes.values():
        found.sort(key=lambda change: position[change.row.reference])
    movement = MovementSummary(
        baseline_label=previous.name if previous else "",
        baseline_date=previous.position_as_at if previous else None,
        improved=tuple(changes["improved"]),
        worsened=tuple(changes["worsened"]),
        newly_completed=tuple(changes["completed"]),
        slipped=tuple(changes["slipped"]),
    )

    part_b = tuple(
        FindingBlock(
            number=f.number,
            text=f.text,
            finding_type=f.get_finding_type_display(),
            rows=tuple(rows[a.pk] for a in f.actions.all() if a.pk in rows),
        )
        for f in findings
    )

    return BoardPaper(
        trust_name=organisation.name,
        ods_code=organisation.ods_code,
        plan_name=plan.name,
        plan_kind=plan.get_kind_display(),
        plan_pk=plan.pk,
        as_at=as_at,
        cycle_name=cycle.name if cycle else "",
        generated_at=now,
        generated_by=str(user),
        statuses=legend,
        counts=counts,
        total=len(ordered),
        movement=movement,
        exceptions=exceptions,
        part_a=tuple(part_a),
        part_b=part_b,
        part_b_title=part_b_title(findings),
        rows=tuple(ordered),
        measures=_measure_lines(linked.values(), rows),
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
        latest_period=measure_period(summary.latest_period, measure),
        variation=str(summary.variation or ""),
        variation_label=VARIATION_SHORT.get(summary.variation, "No data yet"),
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
                latest_period=measure_period(summary.latest_period, measure),
                points=summary.points,
                variation=str(summary.variation or ""),
                variation_label=VARIATION_SHORT.get(summary.variation, "No data yet"),
                assurance=str(summary.assurance or ""),
                assurance_label=ASSURANCE_SHORT.get(summary.assurance, NO_ASSURANCE_SHORT),
                target=measure_number(measure.target, measure) if measure.target is not None else "",
                references=tuple(sorted(refs)),
            )
        )
    return tuple(sorted(lines, key=lambda line: line.name.lower()))


def _cycle_of(cycles: list[ReportingCycle], *, as_at: datetime.date, cutoff: datetime.datetime):
    """The cycle a paper as at this date reports: the one with that position date, else the latest opened by then."""
    exact = [c for c in cycles if c.position_as_at == as_at]
    if exact:
        return exact[0]
    opened = [c for c in cycles if c.opened_at <= cutoff]
    return max(opened, key=lambda c: c.opened_at) if opened else None


def _previous_cycle(cycles: list[ReportingCycle], *, as_at: datetime.date):
    """The cycle of the previous paper: the latest whose position date is before this paper's."""
    earlier = [c for c in cycles if c.position_as_at < as_at]
    return max(earlier, key=lambda c: (c.position_as_at, c.opened_at)) if earlier else None


def _status_id_as_at(
    action_row: ActionRow, *, as_at: datetime.date, recorded_by: datetime.datetime
) -> int | None:
    """The action's delivery status in a paper as at a date (an action with a status but no update keeps it)."""
    latest = update_as_at(action_row.updates, as_at=as_at, recorded_by=recorded_by)
    if latest is not None:
        return latest.status_id
    return action_row.action.status_id if not action_row.updates else None


def _row(
    action_row: ActionRow,
    *,
    infos: dict[int, StatusInfo],
    cutoff: datetime.datetime,
    recorded_by: datetime.datetime,
    as_at: datetime.date,
    cycle: ReportingCycle | None,
    baseline: Baseline | None,
    window_start: datetime.datetime | None,
) -> Row:
    """One action as the paper as at its date shows it (ADR 0032)."""
    action = action_row.action
    history: list[TimescaleRevision] = [
        t for t in action_row.revisions if revision_position(t) <= as_at and t.created_at <= recorded_by
    ]
    texts = timescale_texts(history, due_date=action.due_date, precision=action.due_precision)
    due_date = history[-1].due_date if history else action.due_date
    if baseline is not None:
        slipped_this_cycle = any(revision_position(t) > baseline.as_at for t in history[1:])
    else:
        slipped_this_cycle = window_start is not None and any(
            t.created_at > window_start for t in history[1:]
        )
    updates = [u for u in action_row.updates if u.update_date <= as_at and u.created_at <= recorded_by]
    latest = latest_update(updates)
    status_id = _status_id_as_at(action_row, as_at=as_at, recorded_by=recorded_by)
    status = infos.get(status_id) if status_id else None
    # Delivered actions (a status such as G) are neither overdue nor chased for an update (ADR 0012), unless the
    # update for this very position was marked awaited (an imported "UPDATE AWAITED").
    state = state_at(action, cutoff)
    to_deliver = state == ActionState.OPEN and not (status is not None and status.is_complete)
    awaited = (latest is not None and latest.awaited and latest.update_date == as_at) or (
        cycle is not None
        and to_deliver
        and not any(u.cycle_id == cycle.pk and not u.awaited for u in updates)
    )
    return Row(
        reference=action.reference,
        title=action.title,
        section_code=action.section.code if action.section else "",
        section_title=action.section.title if action.section else "",
        timescale=f" {ARROW} ".join(texts),
        timescales=tuple(texts),
        due_date=due_date,
        leads=action_row.leads_text,
        success_measure=action.success_measure,
        progress=latest.narrative if latest else "",
        progress_date=latest.update_date if latest else None,
        status=status,
        state=state,
        state_label=ActionState(state).label,
        overdue=to_deliver and due_date is not None and due_date < as_at,
        slipped=len(texts) > 1,
        slipped_this_cycle=slipped_this_cycle,
        update_awaited=awaited,
        findings=tuple(sorted(f.number for f in action_row.findings)),
    )
