"""The oversight framework's editions read from `data/frameworks.yaml`: what each segment meant in each edition,
how the scored edition places a trust, and the one intensive support programme's name over time (ADR 0048).

A status records its edition, so a segment is always read with the meaning it had when it was given. The file is
checked when read: every edition names its segments from 1 without gaps, and the programme's names run in date
order."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

FRAMEWORKS_FILE = Path(__file__).parent / "data" / "frameworks.yaml"


class EditionError(ValueError):
    """The frameworks file does not describe usable editions."""


@dataclass(frozen=True)
class SegmentMeaning:
    """One segment of one edition: its number, a short label and what it means."""

    number: int
    label: str
    meaning: str

    @property
    def text(self) -> str:
        return f"{self.number}: {self.label}"


@dataclass(frozen=True)
class Edition:
    """One edition of the oversight framework and the rules it places a trust by."""

    key: str
    name: str
    short: str
    published: datetime.date
    scored: bool
    segments: tuple[SegmentMeaning, ...]
    intensive_support_segment: int
    score_best: Decimal | None = None
    score_worst: Decimal | None = None
    scored_segments: tuple[int, ...] = ()
    financial_override_best_segment: int | None = None

    def segment(self, number: int) -> SegmentMeaning:
        """The meaning of a segment in this edition; ValueError if the edition has no such segment."""
        for segment in self.segments:
            if segment.number == number:
                return segment
        raise ValueError(f"The {self.short} has no segment {number}.")

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(s.number for s in self.segments)

    def placement_errors(
        self, *, segment: int, score: Decimal | None, rank: int | None, financial_override: bool
    ) -> dict[str, str]:
        """What is wrong with a placement under this edition, by field (empty when it fits)."""
        errors: dict[str, str] = {}
        if segment not in self.numbers:
            errors["segment"] = f"The {self.short} has segments {self.numbers[0]} to {self.numbers[-1]}."
            return errors
        if not self.scored:
            if score is not None:
                errors["score"] = f"The {self.short} gave no average metric score: leave it blank."
            if rank is not None:
                errors["rank"] = f"The {self.short} did not rank trusts: leave it blank."
            if financial_override:
                errors["financial_override"] = f"The {self.short} had no financial override."
            return errors
        assert self.score_best is not None and self.score_worst is not None
        if score is not None and not self.score_best <= score <= self.score_worst:
            errors["score"] = (
                f"An average metric score runs from {self.score_best:.2f} (best) to {self.score_worst:.2f} (worst)."
            )
        if rank is not None and rank < 1:
            errors["rank"] = "A rank is a whole number from 1."
        best = self.financial_override_best_segment
        if financial_override and best is not None and segment < best:
            errors["segment"] = (
                f"Under the financial override a trust is placed no higher than segment {best}, not {segment}."
            )
        return errors


@dataclass(frozen=True)
class ProgrammeName:
    """A name the intensive support programme went by from a date."""

    since: datetime.date
    name: str


@dataclass(frozen=True)
class Frameworks:
    """Every edition Wellled knows, the default for new statuses, and the programmes' names over time."""

    editions: tuple[Edition, ...]
    default_key: str
    programme_names: dict[str, tuple[ProgrammeName, ...]]

    def edition(self, key: str) -> Edition:
        for edition in self.editions:
            if edition.key == key:
                return edition
        raise ValueError(f"No oversight framework edition {key!r}.")

    @property
    def default(self) -> Edition:
        return self.edition(self.default_key)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(e.key, e.name) for e in self.editions]

    def programme_name(self, key: str, on: datetime.date | None) -> str | None:
        """The name a renamed programme had on a day (its first name before it began), or None if not renamed."""
        names = self.programme_names.get(key)
        if not names:
            return None
        if on is None:
            return names[-1].name
        current = names[0]
        for name in names:
            if name.since <= on:
                current = name
        return current.name

    def programme_history(self, key: str) -> tuple[ProgrammeName, ...]:
        return self.programme_names.get(key, ())


def _day(value: object, what: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise EditionError(f"{what} must be a date like 2025-06-26, not {value!r}.") from None


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def frameworks_parse(raw: dict) -> Frameworks:
    """Frameworks from the YAML's data, refusing editions whose segments or rules do not fit together."""
    try:
        editions = []
        for entry in raw["editions"]:
            key = str(entry["key"])
            table = {int(n): s for n, s in entry["segments"].items()}
            if sorted(table) != list(range(1, len(table) + 1)):
                raise EditionError(f"Edition {key}: number the segments from 1 without gaps.")
            segments = tuple(
                SegmentMeaning(n, str(table[n]["label"]), str(table[n]["meaning"])) for n in sorted(table)
            )
            edition = Edition(
                key=key,
                name=str(entry["name"]),
                short=str(entry["short"]),
                published=_day(entry["published"], f"Edition {key}'s published date"),
                scored=bool(entry["scored"]),
                segments=segments,
                intensive_support_segment=int(entry["intensive_support_segment"]),
                score_best=_decimal(entry.get("score_best")),
                score_worst=_decimal(entry.get("score_worst")),
                scored_segments=tuple(int(n) for n in entry.get("scored_segments", ())),
                financial_override_best_segment=(
                    int(entry["financial_override_best_segment"])
                    if entry.get("financial_override_best_segment") is not None
                    else None
                ),
            )
            numbers = set(edition.numbers)
            if (
                edition.intensive_support_segment not in numbers
                or not set(edition.scored_segments) <= numbers
            ):
                raise EditionError(f"Edition {key}: its rules name a segment it does not have.")
            if edition.scored and (edition.score_best is None or edition.score_worst is None):
                raise EditionError(f"Edition {key} is scored: give score_best and score_worst.")
            editions.append(edition)
        names = {}
        for programme, entry in (raw.get("programmes") or {}).items():
            history = tuple(
                ProgrammeName(_day(n["from"], f"Programme {programme}'s name date"), str(n["name"]))
                for n in entry["names"]
            )
            if [n.since for n in history] != sorted(n.since for n in history):
                raise EditionError(f"Programme {programme}: list its names in date order.")
            names[str(programme)] = history
        frameworks = Frameworks(tuple(editions), str(raw["default"]), names)
    except (KeyError, TypeError, AttributeError) as exc:
        raise EditionError(f"The oversight frameworks file is missing or mistypes {exc}.") from None
    if len({e.key for e in editions}) != len(editions):
        raise EditionError("Each edition needs its own key.")
    if frameworks.default_key not in {e.key for e in editions}:
        raise EditionError(f"The default edition {frameworks.default_key!r} is not one of the editions.")
    return frameworks


@cache
def frameworks() -> Frameworks:
    """The shipped editions (read once)."""
    return frameworks_parse(yaml.safe_load(FRAMEWORKS_FILE.read_text(encoding="utf-8")))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from one day to another (0 within the first month): time in a programme, time met."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))


# The edition existing statuses were given under before editions were recorded (migration 0003).
EDITION_BEFORE_RECORDING = "2021-23"
