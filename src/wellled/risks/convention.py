"""The risk scoring convention (the NHS 5 x 5 matrix) read from `convention.yaml`: scores, bands, escalation.

Everything the app says about a score comes from here, so a trust's own bands would change one file. The file is
checked when it is read: bands must cover every possible score once, and the scales must run from 1 to 5.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONVENTION_FILE = Path(__file__).with_name("convention.yaml")


class ConventionError(ValueError):
    """The convention file does not describe a usable matrix."""


@dataclass(frozen=True)
class Band:
    """A named range of risk scores (low, moderate, high, extreme) with its heat-map colours."""

    key: str
    label: str
    min: int
    max: int
    colour: str
    text_colour: str

    def holds(self, score: int) -> bool:
        return self.min <= score <= self.max


@dataclass(frozen=True)
class Level:
    """One point of the likelihood or the consequence scale."""

    value: int
    label: str
    meaning: str


@dataclass(frozen=True)
class Convention:
    """The matrix: two scales, the bands of their product, the escalation threshold and review intervals."""

    name: str
    scale: tuple[int, ...]
    likelihood: tuple[Level, ...]
    consequence: tuple[Level, ...]
    bands: tuple[Band, ...]
    escalation_threshold: int
    review_days: dict[str, int]

    @property
    def possible_scores(self) -> tuple[int, ...]:
        """Every score the matrix can give (14 of them for 5 x 5)."""
        return tuple(sorted({lk * ck for lk in self.scale for ck in self.scale}))

    def score(self, likelihood: int, consequence: int) -> int:
        """Likelihood times consequence; each must be on the scale."""
        for name, value in (("likelihood", likelihood), ("consequence", consequence)):
            if value not in self.scale:
                raise ValueError(
                    f"The {name} must be a whole number from {self.scale[0]} to {self.scale[-1]}."
                )
        return likelihood * consequence

    def band(self, score: int) -> Band:
        """The band a score falls in."""
        for band in self.bands:
            if band.holds(score):
                return band
        raise ValueError(f"{score} is not a risk score this matrix can give.")

    def escalates(self, score: int, threshold: int | None = None) -> bool:
        """True when a score is at or above the threshold for the corporate risk register."""
        return score >= (threshold if threshold is not None else self.escalation_threshold)

    def next_review(self, reviewed_on: datetime.date, score: int) -> datetime.date:
        """When a risk reviewed on a day is due again, from its band's review interval."""
        return reviewed_on + datetime.timedelta(days=self.review_days[self.band(score).key])

    def likelihood_label(self, value: int) -> str:
        return self.likelihood[value - 1].label

    def consequence_label(self, value: int) -> str:
        return self.consequence[value - 1].label


def convention_parse(raw: dict) -> Convention:
    """A Convention from the YAML's data, refusing one whose bands or scales do not fit together."""
    try:
        scale = tuple(int(v) for v in raw["scale"])
        levels = {}
        for axis in ("likelihood", "consequence"):
            table = {int(k): v for k, v in raw[axis].items()}
            if sorted(table) != list(scale):
                raise ConventionError(f"The {axis} scale must have one entry for each of {list(scale)}.")
            levels[axis] = tuple(Level(k, str(table[k]["label"]), str(table[k]["meaning"])) for k in scale)
        bands = tuple(
            Band(
                str(b["key"]),
                str(b["label"]),
                int(b["min"]),
                int(b["max"]),
                str(b["colour"]),
                str(b["text_colour"]),
            )
            for b in raw["bands"]
        )
        threshold = int(raw["escalation_threshold"])
        review_days = {str(k): int(v) for k, v in raw["review_days"].items()}
        name = str(raw["name"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConventionError(f"The risk convention is missing or mistypes {exc}.") from None
    convention = Convention(
        name, scale, levels["likelihood"], levels["consequence"], bands, threshold, review_days
    )
    for score in convention.possible_scores:
        holding = [b.key for b in bands if b.holds(score)]
        if len(holding) != 1:
            raise ConventionError(
                f"The score {score} must fall in exactly one band, not {holding or 'none'}."
            )
    if set(review_days) != {b.key for b in bands}:
        raise ConventionError("Give a review interval (review_days) for every band and no other.")
    if threshold not in convention.possible_scores:
        raise ConventionError(f"The escalation threshold {threshold} is not a score the matrix can give.")
    return convention


@cache
def convention() -> Convention:
    """The shipped convention (read once)."""
    return convention_parse(yaml.safe_load(CONVENTION_FILE.read_text(encoding="utf-8")))
