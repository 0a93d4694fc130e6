"""How an action moved between two positions: better or worse by the scale's rank, newly delivered (ADR 0042)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Ranked(Protocol):
    """A delivery status as movement reads it."""

    @property
    def rank(self) -> int: ...

    @property
    def is_complete(self) -> bool: ...


@dataclass(frozen=True)
class Moved:
    """Which ways an action moved between a baseline and now (each may be true together)."""

    improved: bool = False
    worsened: bool = False
    newly_completed: bool = False


def moved(before: Ranked | None, after: Ranked | None) -> Moved:
    """Compare the status then with the status now: a higher rank is better; complete now and not then is new."""
    ranked = before is not None and after is not None and before.rank != after.rank
    return Moved(
        improved=ranked and after.rank > before.rank,  # type: ignore[union-attr]
        worsened=ranked and after.rank < before.rank,  # type: ignore[union-attr]
        newly_completed=after is not None
        and after.is_complete
        and not (before is not None and before.is_complete),
    )
