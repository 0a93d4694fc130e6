"""The BAF's rules against appetite: whether a principal risk is on track to its target score by its target date,
when a source of assurance is stale, and the assurance rating its weakest current assurance suggests (ADR 0047)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .choices import AssuranceLevel, AssuranceOutcome

# An assurance older than this no longer counts as current: the BAF is reviewed by the board at least yearly and
# each source of assurance is expected within that cycle (Good Governance Institute, BAF guidance); a trust may set
# its own age in its risk settings (RiskPolicy.assurance_stale_days).
ASSURANCE_STALE_DAYS = 365

# Levels from the most comfort to the least (internal audit opinions' words, choices.AssuranceLevel).
LEVELS_STRONGEST_FIRST = (
    AssuranceLevel.SUBSTANTIAL,
    AssuranceLevel.REASONABLE,
    AssuranceLevel.LIMITED,
    AssuranceLevel.NONE,
)
# A negative assurance (the evidence says the control does not work) gives at most limited assurance.
NEGATIVE_AT_MOST = AssuranceLevel.LIMITED

# "On track to target": the words for each reading of the trajectory.
REACHED = "reached"
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
DATE_PASSED = "date_passed"
NO_DATE = "no_date"
TRACK_TEXT = {
    REACHED: "Target reached",
    ON_TRACK: "On track to target",
    OFF_TRACK: "Not on track to target",
    DATE_PASSED: "Not on track: target date passed",
    NO_DATE: "No target date set",
}


def expected_score(
    *,
    start_score: int,
    start_on: datetime.date,
    target_score: int,
    target_on: datetime.date,
    on: datetime.date,
) -> float:
    """The score the straight line from the start (inherent score on the day opened) to the target score on the
    target date reaches on a day."""
    total = (target_on - start_on).days
    if total <= 0:
        return float(target_score)
    elapsed = min(max((on - start_on).days, 0), total)
    return start_score + (target_score - start_score) * elapsed / total


def track(
    *,
    current_score: int,
    target_score: int,
    start_score: int,
    start_on: datetime.date,
    target_on: datetime.date | None,
    on: datetime.date,
) -> str:
    """On track to target: reached when the current score is at or below the target; otherwise on track while the
    current score is at or below the straight-line trajectory from the inherent score (on the day the risk was
    opened) to the target score (on the target date); a target date passed with the target not reached is not on
    track."""
    if current_score <= target_score:
        return REACHED
    if target_on is None:
        return NO_DATE
    if on > target_on:
        return DATE_PASSED
    expected = expected_score(
        start_score=start_score, start_on=start_on, target_score=target_score, target_on=target_on, on=on
    )
    return ON_TRACK if current_score <= expected else OFF_TRACK


def assurance_stale(reported_on: datetime.date | None, *, on: datetime.date, stale_days: int) -> bool:
    """An assurance is stale when it is older than the set age on the day (an undated one cannot be current)."""
    return reported_on is None or (on - reported_on).days > stale_days


@dataclass(frozen=True)
class AssuranceReading:
    level: str
    outcome: str
    reported_on: datetime.date | None


def suggested_rating(assurances: Iterable[AssuranceReading], *, on: datetime.date, stale_days: int) -> str:
    """The overall assurance rating the weakest current (not stale) assurance suggests, a negative one counting as
    limited at best; '' when there is no current assurance to suggest from."""
    weakest = -1
    for a in assurances:
        if (
            assurance_stale(a.reported_on, on=on, stale_days=stale_days)
            or a.level not in LEVELS_STRONGEST_FIRST
        ):
            continue
        rank = LEVELS_STRONGEST_FIRST.index(AssuranceLevel(a.level))
        if a.outcome == AssuranceOutcome.NEGATIVE:
            rank = max(rank, LEVELS_STRONGEST_FIRST.index(NEGATIVE_AT_MOST))
        weakest = max(weakest, rank)
    return "" if weakest < 0 else LEVELS_STRONGEST_FIRST[weakest].value
