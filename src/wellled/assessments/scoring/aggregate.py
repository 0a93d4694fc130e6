"""Aggregation of ratings upwards (key questions to a service, services to a location ...) by CQC's principles.

The rating principles as the domain notes give them (shared/domain/cqc_scoring.md, "Aggregation"),
checked in this order:

1. Every underlying rating weighs the same; ones not rated are left out.
2. Two or more inadequate: inadequate.
3. One inadequate: requires improvement. INFERRED, not stated: the notes say good needs no inadequate
   and inadequate needs two, which leaves requires improvement.
4. Two or more requires improvement: requires improvement.
5. Outstanding: enough outstanding and all the rest good. "Enough" follows the NHS trust principles
   quoted in the notes (1-3 underlying ratings need 1, 4-8 need 2, 9 or more need 3), which for the five
   key questions is the usual "at least two". Applying that scale at every level is this engine's choice.
6. Otherwise good (no inadequate and at most one requires improvement).

The notes say "normally": inspectors may depart from these principles by judgement, which the engine
does not model. A single underlying rating stands as it is (the principles, written for five key
questions, would otherwise turn one inadequate into requires improvement); that is this engine's choice.
Trust-level well-led is assessed in its own right and never aggregated from services or locations, so
asking for it is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from .errors import ScoringError
from .ratings import Rating
from .results import AggregateResult, AggregationPrinciple

WELL_LED = "well_led"


class Level(StrEnum):
    """The level a rating is produced for, from a service up to the whole trust."""

    SERVICE = "service"
    LOCATION = "location"
    TRUST = "trust"


def outstanding_needed(count: int) -> int:
    """How many outstanding ratings an aggregate of `count` ratings needs to be outstanding."""
    if count < 1:
        raise ScoringError("there are no ratings to aggregate")
    if count <= 3:
        return 1
    if count <= 8:
        return 2
    return 3


def _key(name: str) -> str:
    """A key question name in key form: "Well-led" -> "well_led"."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def aggregate_ratings(
    ratings: Mapping[str, Rating | str | None],
    *,
    label: str = "",
    level: Level | str | None = None,
    key_question: str | None = None,
) -> AggregateResult:
    """Aggregate named ratings (None = not rated) into one by the rating principles, with the working.

    `level` is the level being rated; `key_question` is set when one key question is aggregated across
    services or locations (e.g. safe for a location from safe for each of its services).
    """
    if not isinstance(ratings, Mapping):
        raise ScoringError("ratings must be a mapping of name to rating")
    level = _level(level)
    if level is Level.TRUST and key_question is not None and _key(key_question) == WELL_LED:
        raise ScoringError(
            "trust-level well-led is its own assessment and is never aggregated from services or locations"
        )
    what = label or "the aggregate"
    rated: list[tuple[str, Rating]] = []
    not_rated: list[str] = []
    for name, value in ratings.items():
        if value is None:
            not_rated.append(name)
        else:
            rated.append((name, _parse(value, name, what)))
    if not rated:
        raise ScoringError(f"{what}: nothing is rated, so there is nothing to aggregate")

    counts = {r: sum(1 for _, x in rated if x is r) for r in Rating}
    needed = outstanding_needed(len(rated))
    rating, principle = _decide(counts, len(rated), needed)
    return AggregateResult(
        label=label,
        ratings=tuple(rated),
        not_rated=tuple(not_rated),
        rating=rating,
        principle=principle,
        outstanding_needed=needed,
        working=_working(rated, not_rated, counts, rating, principle, needed),
    )


def _level(value: Level | str | None) -> Level | None:
    """A level from its key, or None; rejects anything else with the list of levels."""
    if value is None:
        return None
    try:
        return Level(value)
    except ValueError:
        raise ScoringError(f"unknown level {value!r}: expected one of {', '.join(lv.value for lv in Level)}")


def _parse(value: Rating | str, name: str, what: str) -> Rating:
    """A rating, with an error naming which underlying rating was not one."""
    try:
        return Rating.parse(value)
    except ScoringError as error:
        raise ScoringError(f"{what}, {name}: {error}")


def _decide(counts: Mapping[Rating, int], n: int, needed: int) -> tuple[Rating, AggregationPrinciple]:
    """The aggregate rating and the principle that decided it, in the order the module docstring gives."""
    if n == 1:
        only = next(r for r, c in counts.items() if c)
        return only, AggregationPrinciple.SINGLE_RATING
    if counts[Rating.INADEQUATE] >= 2:
        return Rating.INADEQUATE, AggregationPrinciple.TWO_OR_MORE_INADEQUATE
    if counts[Rating.INADEQUATE] == 1:
        return Rating.REQUIRES_IMPROVEMENT, AggregationPrinciple.ONE_INADEQUATE
    if counts[Rating.REQUIRES_IMPROVEMENT] >= 2:
        return Rating.REQUIRES_IMPROVEMENT, AggregationPrinciple.TWO_OR_MORE_REQUIRES_IMPROVEMENT
    if counts[Rating.OUTSTANDING] >= needed and counts[Rating.REQUIRES_IMPROVEMENT] == 0:
        return Rating.OUTSTANDING, AggregationPrinciple.OUTSTANDING
    return Rating.GOOD, AggregationPrinciple.GOOD


def _working(
    rated: list[tuple[str, Rating]],
    not_rated: list[str],
    counts: Mapping[Rating, int],
    rating: Rating,
    principle: AggregationPrinciple,
    needed: int,
) -> str:
    """The working: each rating, the counts, the result and the principle that gave it."""
    listed = ", ".join(f"{name} {r.text}" for name, r in rated)
    tally = ", ".join(f"{counts[r]} {r.text}" for r in Rating if counts[r])
    reason = principle.description
    if principle is AggregationPrinciple.OUTSTANDING:
        reason += f": {needed} outstanding needed of {len(rated)}"
    sentences = [f"{listed}: {tally}: {rating.text} ({reason})."]
    if principle is AggregationPrinciple.GOOD and counts[Rating.OUTSTANDING]:
        sentences.append(f"Outstanding would need {needed} outstanding and the rest good.")
    if not_rated:
        sentences.append(f"Not rated, so left out: {', '.join(not_rated)}.")
    return " ".join(sentences)
