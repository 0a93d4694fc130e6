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
class Standard:
    """One thing an auditor checks on the ward; an essential standard must be fully met for some levels."""

    code: str
    text: str
    weight: int = 1
    essential: bool = False
    evidence: str = ""


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
    """A versioned accreditation scheme: how answers score, the levels, and the standards by domain."""

    key: str
    name: str
    version: str
    answers: tuple[AnswerOption, ...]
    levels: tuple[Level, ...]
    domains: tuple[Domain, ...]
    not_accredited_label: str = "Not yet accredited"
    reaudit_when_not_accredited_months: int = 3
    description: str = ""

    @property
    def top_points(self) -> int:
        """The points of the best answer: what 'fully met' scores."""
        return max(option.points for option in self.answers if option.counts)

    def answer(self, code: str) -> AnswerOption | None:
        """The answer option with this code, if the scheme has one."""
        return next((option for option in self.answers if option.code == code), None)

    def standards(self) -> tuple[Standard, ...]:
        """Every standard, domain by domain, in the file's order."""
        return tuple(standard for domain in self.domains for standard in domain.standards)

    def level(self, code: str) -> Level | None:
        """The level with this code, if the scheme has one."""
        return next((level for level in self.levels if level.code == code), None)
