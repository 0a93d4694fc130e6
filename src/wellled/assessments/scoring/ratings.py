"""CQC's four ratings, their 1-4 score equivalents, display styles and percentage bands.

Source for the scores and bands: CQC's published scoring guidance, as recorded in the project's domain
notes (shared/domain/cqc_scoring.md, sections "Scores", "Percentage -> rating" and "Statements not
assessed this time").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .errors import ScoringError


class Rating(StrEnum):
    """A CQC rating; the value is the key used in the framework files. Order ratings by `.score`."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def score(self) -> int:
        """The statement score this rating stands for (4 to 1), used when a statement is carried forward."""
        return _SCORES[self]

    @property
    def label(self) -> str:
        """The rating as CQC writes it in a sentence-case heading, e.g. "Requires improvement"."""
        return _STYLES[self].label

    @property
    def text(self) -> str:
        """The rating as it reads inside a sentence, e.g. "requires improvement"."""
        return _STYLES[self].label.lower()

    @property
    def style(self) -> RatingStyle:
        """Colours and symbol for showing the rating, so every page draws it the same way."""
        return _STYLES[self]

    @classmethod
    def from_score(cls, score: int) -> Rating:
        """The rating a whole score 1-4 stands for (4 outstanding ... 1 inadequate)."""
        if isinstance(score, bool) or not isinstance(score, int) or score not in _BY_SCORE:
            raise ScoringError(f"no rating has the score {score!r}: scores run from 1 to 4")
        return _BY_SCORE[score]

    @classmethod
    def parse(cls, value: Rating | str) -> Rating:
        """A rating from its key or label ("requires_improvement", "Requires improvement"); rejects others."""
        if isinstance(value, Rating):
            return value
        if isinstance(value, str):
            key = value.strip().lower().replace("-", " ").replace("_", " ")
            for rating in cls:
                if rating.text == key:
                    return rating
        names = ", ".join(r.text for r in cls)
        raise ScoringError(f"unknown rating {value!r}: expected one of {names}")


@dataclass(frozen=True)
class RatingStyle:
    """How a rating is shown: its label, background and text colours, and CQC's symbol for it."""

    label: str
    colour: str
    text_colour: str
    symbol: str


# CQC draws outstanding as a star and the others as coloured dots: good green, requires improvement
# amber/yellow, inadequate red (grey when not rated). CQC's exact hex values are not confirmed here;
# these are NHS identity colours, each with a text colour giving at least 4.5:1 contrast (WCAG AA).
_STYLES: dict[Rating, RatingStyle] = {
    Rating.OUTSTANDING: RatingStyle("Outstanding", "#006747", "#ffffff", "\u2605"),
    Rating.GOOD: RatingStyle("Good", "#007f3b", "#ffffff", "\u25cf"),
    Rating.REQUIRES_IMPROVEMENT: RatingStyle("Requires improvement", "#ffb81c", "#212b32", "\u25cf"),
    Rating.INADEQUATE: RatingStyle("Inadequate", "#d5281b", "#ffffff", "\u25cf"),
}
NOT_RATED_STYLE = RatingStyle("Not rated", "#4c6272", "#ffffff", "\u25cf")

_SCORES: dict[Rating, int] = {
    Rating.OUTSTANDING: 4,
    Rating.GOOD: 3,
    Rating.REQUIRES_IMPROVEMENT: 2,
    Rating.INADEQUATE: 1,
}
_BY_SCORE: dict[int, Rating] = {score: rating for rating, score in _SCORES.items()}

LOWEST_SCORE = 1
HIGHEST_SCORE = 4


@dataclass(frozen=True)
class Band:
    """A printed percentage band of a rating, whole percentages from lowest to highest inclusive."""

    rating: Rating
    lowest: int
    highest: int

    def __str__(self) -> str:
        """The band as printed, e.g. "63-87%"."""
        return f"{self.lowest}\u2013{self.highest}%"


# The bands as CQC prints them (shared/domain/cqc_scoring.md, "Percentage -> rating"). They leave gaps
# between whole numbers (62.5% and 87.5% fall in none); the rounding rule decides those.
OUTSTANDING_BAND = Band(Rating.OUTSTANDING, 88, 100)
GOOD_BAND = Band(Rating.GOOD, 63, 87)
REQUIRES_IMPROVEMENT_BAND = Band(Rating.REQUIRES_IMPROVEMENT, 39, 62)
INADEQUATE_BAND = Band(Rating.INADEQUATE, 25, 38)
BANDS: tuple[Band, ...] = (OUTSTANDING_BAND, GOOD_BAND, REQUIRES_IMPROVEMENT_BAND, INADEQUATE_BAND)

# Every score is 1-4, so a percentage of scores is never below 25% (all 1s) nor above 100% (all 4s).
LOWEST_PERCENTAGE = INADEQUATE_BAND.lowest
HIGHEST_PERCENTAGE = OUTSTANDING_BAND.highest


def band_of(rating: Rating) -> Band:
    """The percentage band of a rating."""
    return next(band for band in BANDS if band.rating is rating)


def rating_for_percentage(value: Fraction | int) -> Rating:
    """The rating whose band holds a percentage, comparing it with each band's lowest value."""
    if not LOWEST_PERCENTAGE <= value <= HIGHEST_PERCENTAGE:
        raise ScoringError(
            f"percentage {float(value):g} is outside {LOWEST_PERCENTAGE}-{HIGHEST_PERCENTAGE}, "
            "which scores of 1 to 4 cannot give"
        )
    for band in BANDS:
        if value >= band.lowest:
            return band.rating
    raise AssertionError("unreachable: the lowest band starts at the lowest percentage")


def worst(ratings: Iterable[Rating]) -> Rating:
    """The lowest of some ratings (inadequate is lowest); ratings compare by score, never as strings."""
    return min(ratings, key=lambda r: r.score)
