"""What a scheme is made of: answer options, levels, domains and their standards (frozen, built by the loader)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerOption:
    """One way a standard can be answered, and what it scores; `counts=False` leaves the standard out."""

    code: str
    label: str
    points: int
    counts: bool = True


@dataclass(frozen=True)
class SampleRule:
    """A standard checked on a sample of records (say 10 sets of notes): how many of `records` must meet it for
    each answer, best answer first; a sample below every threshold scores as the scheme's lowest answer."""

    records: int
    thresholds: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Standard:
    """One thing an auditor checks on the ward. An essential standard must be fully met for some levels, and one
    failed (no points) caps the level; a sampled standard is answered with how many records met it."""

    code: str
    text: str
    weight: int = 1
    essential: bool = False
    evidence: str = ""
    sample: SampleRule | None = None


@dataclass(frozen=True)
class Domain:
    """A group of standards scored together (for example 'Safe care' or 'Leadership on the ward')."""

    code: str
    title: str
    standards: tuple[Standard, ...]


@dataclass(frozen=True)
class Level:
    """A level of accreditation and what reaching it takes; levels are listed from the highest down."""

    code: str
    name: str
    overall_at_least: float
    every_domain_at_least: float = 0.0
    essentials_met: bool = False
    renew_after_months: int = 12


@dataclass(frozen=True)
class Scheme:
    """A versioned accreditation scheme: how answers score, the levels, and the standards by domain.

    `failed_essential_caps_at` is the highest level a ward with an essential standard failed can reach; empty
    means none (the ward is not accredited, whatever its score)."""

    key: str
    name: str
    version: str
    answers: tuple[AnswerOption, ...]
    levels: tuple[Level, ...]
    domains: tuple[Domain, ...]
    not_accredited_label: str = "Not yet accredited"
    reaudit_when_not_accredited_months: int = 3
    description: str = ""
    failed_essential_caps_at: str = ""

    @property
    def top_points(self) -> int:
        """The points of the best answer: what 'fully met' scores."""
        return max(option.points for option in self.answers if option.counts)

    @property
    def lowest_counting(self) -> AnswerOption:
        """The counting answer that scores least: what a sample below every threshold scores."""
        return min((option for option in self.answers if option.counts), key=lambda option: option.points)

    def answer(self, code: str) -> AnswerOption | None:
        """The answer option with this code, if the scheme has one."""
        return next((option for option in self.answers if option.code == code), None)

    def standards(self) -> tuple[Standard, ...]:
        """Every standard, domain by domain, in the file's order."""
        return tuple(standard for domain in self.domains for standard in domain.standards)

    def level(self, code: str) -> Level | None:
        """The level with this code, if the scheme has one."""
        return next((level for level in self.levels if level.code == code), None)
