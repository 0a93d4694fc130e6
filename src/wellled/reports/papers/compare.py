"""Comparing two issues of the same kind, from their frozen records alone: a kind with its own comparison (the
board paper, action by action) gives it; every kind at least compares the figures its list shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import IssuedPaper
from .registry import kind_get

NOT_SAME_KIND = "Only two papers of the same kind can be compared."


@dataclass(frozen=True)
class FigureChange:
    """One figure of the issued list (a status's count, a measure's exceptions) in each issue."""

    code: str
    label: str
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class IssueComparison:
    """Two issues of one kind, earlier first: their figures side by side, and the kind's own comparison if any."""

    before: IssuedPaper
    after: IssuedPaper
    total_before: int
    total_after: int
    figures: tuple[FigureChange, ...]
    detail: Any = None

    @property
    def changed(self) -> tuple[FigureChange, ...]:
        return tuple(f for f in self.figures if f.difference)


def issues_compare(first: IssuedPaper, second: IssuedPaper) -> IssueComparison:
    """What changed from the earlier issue to the later one (either order given; compared by position date)."""
    if first.kind != second.kind:
        raise ValueError(NOT_SAME_KIND)
    before, after = sorted((first, second), key=lambda p: (p.as_at, p.issued_at, p.pk))
    kind = kind_get(after.kind)
    was = {c["code"]: c for c in before.counts}
    now = {c["code"]: c for c in after.counts}
    codes = [c["code"] for c in after.counts] + [code for code in was if code not in now]
    figures = tuple(
        FigureChange(
            code=str(code),
            label=str((now.get(code) or was[code]).get("label", code)),
            before=int(was[code]["count"]) if code in was else 0,
            after=int(now[code]["count"]) if code in now else 0,
        )
        for code in codes
    )
    detail = kind.compare(kind.from_data(before.data), kind.from_data(after.data))
    return IssueComparison(before, after, before.total, after.total, figures, detail)
