"""What a measure's page suggests from its chart: a rebase when a change was followed by a sustained shift, and
words for an assurance icon that seems to disagree with the latest figure against the target."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wellled.core.formatting import long_date
from wellled.spc import SPCResult
from wellled.spc.types import Assurance

# Making Data Count: a shift is a run of 7 points on one side of the mean (6 where a trust chooses that rule);
# the chart's own option is used when set (docs/spc.md).
DEFAULT_SHIFT_LENGTH = 7


@dataclass(frozen=True)
class RebaseSuggestion:
    """Recalculate the limits from `date`, for `reason`: a run of points after a noted change."""

    date: datetime.date
    reason: str
    run_length: int
    side: str  # "above" or "below" the mean


def _day(value: np.datetime64) -> datetime.date:
    return value.astype("datetime64[D]").astype(datetime.date)


def rebase_suggestion(
    result: SPCResult | None,
    *,
    notes: Sequence[tuple[datetime.date, str]],
    rebase_dates: Sequence[datetime.date],
) -> RebaseSuggestion | None:
    """The first sustained shift that starts on or after a noted change since the last rebase, if any.

    A shift already rebased (a rebase on or after the note) is not suggested again."""
    if result is None or len(result) == 0:
        return None
    length = result.options.shift_length or DEFAULT_SHIFT_LENGTH
    dates = [_day(d) for d in result.dates]
    relative = result.relative_to_mean.tolist()
    missing = result.missing.tolist()
    last_rebase = max(rebase_dates, default=None)
    for note_date, text in sorted(notes):
        if last_rebase is not None and last_rebase >= note_date:
            continue
        start = next((i for i, day in enumerate(dates) if day >= note_date), None)
        if start is None:
            continue
        run_start, run_side, run = None, 0, 0
        for i in range(start, len(dates)):
            if missing[i]:
                continue
            side = relative[i]
            if side != 0 and side == run_side:
                run += 1
            else:
                run_start, run_side, run = (i, side, 1) if side != 0 else (None, 0, 0)
            if run >= length and run_start is not None:
                where = "above" if run_side > 0 else "below"
                return RebaseSuggestion(
                    date=dates[run_start],
                    reason=(
                        f"Sustained shift {where} the mean from {long_date(dates[run_start])}, "
                        f"after: {text} ({long_date(note_date)})"
                    )[:300],
                    run_length=length,
                    side=where,
                )
    return None


def assurance_note(
    assurance: Assurance | None, *, latest: float | None, target: float | None, higher_is_better: bool
) -> str:
    """Words for the assurance icon when the latest figure alone would suggest otherwise ('' when they agree)."""
    if assurance is None or latest is None or target is None:
        return ""
    met = latest >= target if higher_is_better else latest <= target
    if assurance == Assurance.FAIL and met:
        return (
            "The latest figure meets the target, but the process limits lie wholly on the wrong side of it: "
            "most periods will miss the target until the process itself changes."
        )
    if assurance == Assurance.PASS and not met:
        return (
            "The latest figure misses the target, but the process limits lie wholly on the right side of it: "
            "a single miss like this would be unusual, so look for a special cause."
        )
    if assurance == Assurance.HIT_OR_MISS:
        return (
            "The target lies between the process limits, so it will be met in some periods and missed in others "
            f"by chance alone; the latest figure {'meets' if met else 'misses'} it, which says little on its own."
        )
    return ""
