"""Typed rows: what the plan selectors compute about an action for a page or a paper, as frozen data.

A template reads a row and never queries; the flags (overdue, slipped, awaited) are worked out once here
instead of being hung on model instances. The measures app, which plans may not import, adds each action's
success-measure summary through `success_measure_source_register` (see measures.apps).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone

from wellled.core.formatting import month_year, short_date
from wellled.core.models import DeliveryStatus, Organisation, User

from .choices import ActionState, DatePrecision
from .models import Action, Finding, ProgressUpdate, ReportingCycle, TimescaleRevision
from .position import ActionPosition, PlanPosition, plan_position, position_key
from .position.facts import complete_ids_of, facts_of, read


class SuccessMeasureSummary(Protocol):
    """What plans reads of an action's linked success measure (measures.selectors.ActionMeasureSummary)."""

    @property
    def action_is_complete(self) -> bool: ...

    @property
    def shows_exception(self) -> bool: ...


def timescale_label(due_date: datetime.date, precision: str) -> str:
    """A timescale as a page shows it: 'March 2026' for a month, '31 Mar 2026' for a day."""
    return month_year(due_date) if precision == DatePrecision.MONTH else short_date(due_date)


@dataclass(frozen=True)
class ActionRow:
    """One action as the board reads it off a page: its timescale history, latest update and flags, all read
    from its position (plans.position, ADR 0042)."""

    action: Action
    revisions: tuple[TimescaleRevision, ...]  # oldest first; the first is the original timescale
    updates: tuple[ProgressUpdate, ...]  # newest first (with history=False only the latest and this cycle's)
    timescales: tuple[str, ...]  # each timescale in turn as the page shows it; () when none is set
    leads: tuple[User, ...]  # the lead, then the other leads
    findings: tuple[Finding, ...]
    cycle: ReportingCycle | None  # the plan's open reporting cycle
    position: ActionPosition
    success_measure_summary: SuccessMeasureSummary | None = None  # when linked to a measure

    @property
    def pk(self) -> int:
        return self.action.pk

    @property
    def reference(self) -> str:
        return self.action.reference

    @property
    def title(self) -> str:
        return self.action.title

    @property
    def latest_update(self) -> ProgressUpdate | None:
        """The update the position shows (the latest by position, then by recording time)."""
        return self.position.update

    @property
    def status(self) -> DeliveryStatus | None:
        """The position's delivery status: its update's, or the stored one of an action with no update."""
        if self.position.update is not None:
            return self.position.update.status
        return self.action.status if self.position.status_id else None

    # The flags as the position states them (plans.position): overdue, slipped at some point, slipped this
    # cycle, update awaited.
    overdue = property(lambda self: self.position.overdue)
    slipped = property(lambda self: self.position.slipped)
    slipped_this_cycle = property(lambda self: self.position.slipped_this_cycle)
    update_awaited = property(lambda self: self.position.update_awaited)

    @property
    def leads_text(self) -> str:
        """Leads as boards write them: 'DMc / AK / MS', or the note (e.g. 'Varied')."""
        return " / ".join(p.display_initials for p in self.leads) or self.action.lead_note

    @property
    def is_ready_to_close(self) -> bool:
        """Open, but its latest status says delivered (ADR 0012)."""
        return self.position.state == ActionState.OPEN and self.position.delivered


def standing_positions(
    actions: Sequence[Action],
    *,
    cycles: Sequence[ReportingCycle],
    on: datetime.date,
    as_at: datetime.date | None = None,
) -> PlanPosition:
    """The position of actions of one plan as the plan stands now (or as at a date), overdue judged on `on`
    (no query: the actions come with their board detail)."""
    facts = [facts_of(a) for a in actions]
    return plan_position(
        cycles=cycles,
        facts=facts,
        complete_ids=complete_ids_of(actions, facts),
        now=timezone.now(),
        today=timezone.localdate(),
        as_at=as_at,
        overdue_on=on,
    )


def action_row(
    action: Action,
    *,
    cycle: ReportingCycle | None,
    on: datetime.date,
    position: ActionPosition | None = None,
    success_measure_summary: SuccessMeasureSummary | None = None,
) -> ActionRow:
    """The row of an action fetched with its board detail (plans.selectors._with_board_detail), at its position
    (default: as the plan stands, knowing only its open cycle)."""
    if position is None:
        position = standing_positions([action], cycles=[cycle] if cycle else [], on=on)[action.pk]
    revisions = position.revisions
    updates = sorted(facts_of(action).updates, key=position_key, reverse=True)
    if len(revisions) > 1:
        labels = [timescale_label(t.due_date, t.precision) for t in revisions]
    else:
        due = position.due_date
        labels = [timescale_label(due, action.due_precision)] if due else []
    others = [p for p in action.co_leads if p != action.lead]  # in the order written (ADR 0033)
    return ActionRow(
        action=action,
        revisions=revisions,
        updates=tuple(updates),
        timescales=tuple(labels),
        leads=tuple(([action.lead] if action.lead else []) + others),
        findings=tuple(sorted(read(action, "findings_read", action.findings), key=lambda f: f.number)),
        cycle=cycle,
        position=position,
        success_measure_summary=success_measure_summary,
    )


# Success measures come from the measures app, which depends on plans: it registers its reader here.
SuccessMeasureSource = Callable[..., Mapping[int, SuccessMeasureSummary]]
_success_measure_sources: list[SuccessMeasureSource] = []


def success_measure_source_register(source: SuccessMeasureSource) -> None:
    """Register `source(user=, organisation=, actions=)` giving success-measure summaries by action id (of those
    actions, already read; measures.apps)."""
    if source not in _success_measure_sources:
        _success_measure_sources.append(source)


def success_measure_summaries(
    *, user: User, organisation: Organisation, actions: Sequence[Action]
) -> dict[int, SuccessMeasureSummary]:
    """The linked success-measure summaries of these actions by action id ({} when none is linked)."""
    found: dict[int, SuccessMeasureSummary] = {}
    if not actions:
        return found
    wanted = {a.pk for a in actions}
    for source in _success_measure_sources:
        found.update(
            (pk, summary)
            for pk, summary in source(user=user, organisation=organisation, actions=actions).items()
            if pk in wanted
        )
    return found
