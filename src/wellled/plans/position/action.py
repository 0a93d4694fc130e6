"""One action's position as at a date: the update it shows, its status, and its flags (ADR 0012, 0032, 0042).

Pure: it reads only the facts given (already fetched), so every reader gets the same answer cheaply.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..choices import ActionState
from ..timescales import timescale_texts
from .cycles import Baseline
from .order import latest_update, revision_position, revisions_as_at, standing


@dataclass(frozen=True)
class ActionFacts:
    """What the rule reads of an action: its current state and stored status, its state changes, timescale
    revisions (oldest first) and progress updates (any order; each with update_date, created_at, cycle_id,
    status_id and awaited)."""

    pk: int
    state: str
    status_id: int | None  # the stored status: shown only while the action has no update at all
    due_date: datetime.date | None
    due_precision: str
    revisions: Sequence[Any] = ()
    updates: Sequence[Any] = ()
    state_changes: Sequence[Any] | None = None  # oldest first; None when not read (the state now is used)


@dataclass(frozen=True)
class ActionPosition:
    """An action as at a date: the update shown, its delivery status, and what the board is told about it."""

    pk: int
    update: Any  # the ProgressUpdate shown, or None
    status_id: int | None
    state: str
    delivered: bool  # its status means delivered (ADR 0012)
    update_awaited: bool
    overdue: bool
    due_date: datetime.date | None  # the timescale standing on the date
    revisions: tuple[Any, ...]  # the timescale revisions standing on the date, oldest first
    timescales: tuple[str, ...]  # each timescale in turn, repeats dropped ("March 2026", "July 2026")
    slipped: bool  # the timescale has been revised at some point
    slipped_this_cycle: bool
    status_then_id: int | None = None  # its status in the previous cycle's paper (None: none, or no baseline)
    awaited_as_shown: bool = False  # the update shown was imported as awaited for this very date
    cycle_unanswered: bool = False  # the date's cycle has no real (not awaited) update from it yet

    @property
    def to_deliver(self) -> bool:
        """Open and not yet reported delivered: may be overdue and chased for updates."""
        return self.state == ActionState.OPEN and not self.delivered


def is_overdue(*, state: str, delivered: bool, due_date: datetime.date | None, on: datetime.date) -> bool:
    """Open, not reported delivered (ADR 0012), and past its timescale on the day."""
    return state == ActionState.OPEN and not delivered and due_date is not None and due_date < on


def state_from_changes(current: str, changes: Sequence[Any] | None, moment: datetime.datetime) -> str:
    """The state at a moment from the state changes (oldest first); the state now when there are none."""
    if not changes:
        return current
    earlier = [c for c in changes if c.created_at <= moment]
    return earlier[-1].state if earlier else changes[0].from_state


def state_as_at(facts: ActionFacts, moment: datetime.datetime) -> str:
    """The action's state at a moment, from its state changes (oldest first); its state now if none were read."""
    return state_from_changes(facts.state, facts.state_changes, moment)


def status_id_as_at(
    facts: ActionFacts, *, as_at: datetime.date, recorded_by: datetime.datetime
) -> int | None:
    """The delivery status as at a date (an action with a stored status but no update at all keeps it)."""
    if not facts.updates:
        return facts.status_id
    shown = latest_update(standing(facts.updates, as_at=as_at, recorded_by=recorded_by))
    return shown.status_id if shown is not None else None


def awaited_as_shown(shown, *, as_at: datetime.date) -> bool:
    """The update for this very position was imported as awaited ("UPDATE AWAITED")."""
    return shown is not None and shown.awaited and shown.update_date == as_at


def cycle_unanswered(readable: Sequence[Any], *, cycle) -> bool:
    """The date's cycle has no real (not awaited) update yet from the action."""
    return cycle is not None and not any(u.cycle_id == cycle.pk and not u.awaited for u in readable)


def is_awaited(*, shown, readable: Sequence[Any], as_at: datetime.date, cycle, to_deliver: bool) -> bool:
    """An update is awaited when the update for this very position was imported as awaited ("UPDATE AWAITED"),
    or when the date's cycle has no real (not awaited) update yet from an action still to deliver (ADR 0012)."""
    return awaited_as_shown(shown, as_at=as_at) or (to_deliver and cycle_unanswered(readable, cycle=cycle))


def slipped_in_cycle(
    revisions: Sequence[Any], *, baseline: Baseline | None, window_start: datetime.datetime | None
) -> bool:
    """A revision stands after the previous paper's date; with no previous paper, one was recorded after the
    cycle opened."""
    if baseline is not None:
        return any(revision_position(t) > baseline.as_at for t in revisions[1:])
    return window_start is not None and any(t.created_at > window_start for t in revisions[1:])


def action_position(
    facts: ActionFacts,
    *,
    as_at: datetime.date,
    recorded_by: datetime.datetime,
    state_moment: datetime.datetime,
    overdue_on: datetime.date,
    cycle,
    baseline: Baseline | None,
    window_start: datetime.datetime | None,
    complete_ids: frozenset[int],
) -> ActionPosition:
    """The action as at a date: the rule of ADR 0032 (which update), ADR 0012 (delivered) and ADR 0042."""
    readable = standing(facts.updates, as_at=as_at, recorded_by=recorded_by)
    shown = latest_update(readable)
    status_id = status_id_as_at(facts, as_at=as_at, recorded_by=recorded_by)
    delivered = status_id is not None and status_id in complete_ids
    state = state_as_at(facts, state_moment)
    to_deliver = state == ActionState.OPEN and not delivered
    history = revisions_as_at(facts.revisions, as_at=as_at, recorded_by=recorded_by)
    texts = timescale_texts(history, due_date=facts.due_date, precision=facts.due_precision)
    due_date = history[-1].due_date if history else facts.due_date
    then = None
    if baseline is not None:
        then = status_id_as_at(facts, as_at=baseline.as_at, recorded_by=baseline.recorded_by)
    return ActionPosition(
        pk=facts.pk,
        update=shown,
        status_id=status_id,
        state=state,
        delivered=delivered,
        update_awaited=is_awaited(
            shown=shown, readable=readable, as_at=as_at, cycle=cycle, to_deliver=to_deliver
        ),
        overdue=is_overdue(state=state, delivered=delivered, due_date=due_date, on=overdue_on),
        due_date=due_date,
        revisions=tuple(history),
        timescales=tuple(texts),
        slipped=len(texts) > 1,
        slipped_this_cycle=slipped_in_cycle(history, baseline=baseline, window_start=window_start),
        status_then_id=then,
        awaited_as_shown=awaited_as_shown(shown, as_at=as_at),
        cycle_unanswered=cycle_unanswered(readable, cycle=cycle),
    )
