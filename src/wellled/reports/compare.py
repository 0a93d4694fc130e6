"""What changed between two issued board papers ("since the last board"), from their snapshots alone.

A pure function of two BoardPapers: no database, no live actions, so the answer for two issued papers never
changes. Actions are matched by reference. A status moving up the organisation's scale is an improvement and
down a worsening, by the scale's rank (the later paper's scale where it has the code, which is the scale the
board reads today).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .board_paper import BoardPaper, Row, StatusInfo
from .papers.compare import FigureChange

IMPROVED = "improved"
WORSENED = "worsened"
UNCHANGED = "unchanged"
FIRST_STATUS = "first status"  # no status before (no update yet), a status now
STATUS_GONE = "no status now"


@dataclass(frozen=True)
class ActionChange:
    """One action (by reference) in the earlier paper, the later one, or both."""

    reference: str
    title: str
    section_code: str
    before: Row | None  # None: a new action
    after: Row | None  # None: the action is no longer in the plan
    movement: str  # IMPROVED, WORSENED, UNCHANGED, FIRST_STATUS, STATUS_GONE, or "" (new or removed)
    newly_completed: bool
    slipped: bool  # the due date moved later
    new_update: bool  # a progress update the earlier paper did not have

    @property
    def is_new(self) -> bool:
        return self.before is None

    @property
    def is_removed(self) -> bool:
        return self.after is None

    @property
    def status_before(self) -> StatusInfo | None:
        return self.before.status if self.before else None

    @property
    def status_after(self) -> StatusInfo | None:
        return self.after.status if self.after else None

    @property
    def changed(self) -> bool:
        return (
            self.is_new
            or self.is_removed
            or self.movement not in (UNCHANGED, "")
            or self.newly_completed
            or self.slipped
            or self.new_update
        )

    @property
    def labels(self) -> tuple[str, ...]:
        """Every way the action changed, in words, for a table cell."""
        found = []
        if self.is_new:
            found.append("New action")
        if self.is_removed:
            found.append("Removed")
        if self.movement in (IMPROVED, WORSENED, FIRST_STATUS, STATUS_GONE):
            found.append(self.movement.capitalize())
        if self.newly_completed:
            found.append("Newly completed")
        if self.slipped:
            found.append("Timescale slipped")
        if self.new_update:
            found.append("New progress update")
        return tuple(found)


@dataclass(frozen=True)
class CountChange(FigureChange):
    """How many actions stood at one status in each paper, with the status's colours."""

    status: StatusInfo | None = None


class _Picked:
    """A read-only attribute of a comparison: its actions that pass `test`, in board order."""

    def __init__(self, test: Callable[[ActionChange], bool]) -> None:
        self.test = test

    def __get__(self, comparison: PaperComparison, owner: type | None = None) -> tuple[ActionChange, ...]:
        return tuple(a for a in comparison.actions if self.test(a))


@dataclass(frozen=True)
class PaperComparison:
    """Every action of either paper, in the later paper's board order (removed actions last)."""

    before: BoardPaper
    after: BoardPaper
    actions: tuple[ActionChange, ...]
    counts: tuple[CountChange, ...]

    improved = _Picked(lambda a: a.movement == IMPROVED)
    worsened = _Picked(lambda a: a.movement == WORSENED)
    newly_completed = _Picked(lambda a: a.newly_completed)
    slipped = _Picked(lambda a: a.slipped)
    new_actions = _Picked(lambda a: a.is_new)
    removed_actions = _Picked(lambda a: a.is_removed)
    new_updates = _Picked(lambda a: a.new_update)
    changed = _Picked(lambda a: a.changed)
    unchanged = _Picked(lambda a: not a.changed)


def compare_papers(before: BoardPaper, after: BoardPaper) -> PaperComparison:
    """What changed from the earlier paper to the later one, action by action."""
    ranks = {s.code: s.rank for s in before.statuses}
    ranks.update({s.code: s.rank for s in after.statuses})
    earlier = {row.reference: row for row in before.rows}
    later = {row.reference: row for row in after.rows}
    changes = [_change(earlier.get(row.reference), row, ranks) for row in after.rows]
    changes += [_change(row, None, ranks) for row in before.rows if row.reference not in later]
    return PaperComparison(before=before, after=after, actions=tuple(changes), counts=_counts(before, after))


def _change(before: Row | None, after: Row | None, ranks: dict[str, int]) -> ActionChange:
    row = after if after is not None else before
    if row is None:
        raise ValueError("An action changes between two papers only if one of them has it.")
    movement = ""
    if before is not None and after is not None:
        was, now = before.status, after.status
        if was is None and now is None:
            movement = UNCHANGED
        elif was is None:
            movement = FIRST_STATUS
        elif now is None:
            movement = STATUS_GONE
        else:
            was_rank, now_rank = ranks.get(was.code, was.rank), ranks.get(now.code, now.rank)
            movement = IMPROVED if now_rank > was_rank else WORSENED if now_rank < was_rank else UNCHANGED
    newly_completed = (
        after is not None and after.is_complete and not (before is not None and before.is_complete)
    )
    slipped = (
        before is not None
        and after is not None
        and before.due_date is not None
        and after.due_date is not None
        and after.due_date > before.due_date
    )
    new_update = (
        after is not None
        and bool(after.progress)
        and (
            before is None or (after.progress, after.progress_date) != (before.progress, before.progress_date)
        )
    )
    return ActionChange(
        reference=row.reference,
        title=row.title,
        section_code=row.section_code,
        before=before,
        after=after,
        movement=movement,
        newly_completed=newly_completed,
        slipped=slipped,
        new_update=new_update,
    )


def _counts(before: BoardPaper, after: BoardPaper) -> tuple[CountChange, ...]:
    """Actions at each status in both papers, in the later paper's order (then any only the earlier had)."""
    was = {count.code: count for count in before.counts}
    now = {count.code: count for count in after.counts}
    codes = [count.code for count in after.counts] + [code for code in was if code not in now]
    result = []
    for code in codes:
        shown = now.get(code) or was[code]
        result.append(
            CountChange(
                code=code,
                label=shown.label,
                status=shown.status,
                before=was[code].count if code in was else 0,
                after=now[code].count if code in now else 0,
            )
        )
    return tuple(result)
