"""One audit's answers against a scheme: the points in each domain and overall, and the level they reach.

Percentages are worked exactly (fractions of points available) and compared with the thresholds before any
rounding, so 89.96% never passes a 90% threshold by being printed as 90.0%.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .model import AnswerOption, Level, SampleRule, Scheme, Standard

# How a sampled standard's answer is written: records meeting the standard, a slash, records checked ("8/10").
SAMPLE_SEPARATOR = "/"


def sample_parse(text: str) -> tuple[int, int] | None:
    """(met, checked) from a sampled answer such as "8/10", or None if the text is not one (0 <= met <= checked)."""
    met, slash, checked = text.partition(SAMPLE_SEPARATOR)
    if not slash or not met.strip().isdigit() or not checked.strip().isdigit():
        return None
    pair = int(met), int(checked)
    return pair if 0 <= pair[0] <= pair[1] and pair[1] > 0 else None


@dataclass(frozen=True)
class SampleResult:
    """A sampled standard: how many records met it of how many were checked, and the answer that makes."""

    code: str
    met: int
    checked: int
    answer: AnswerOption
    needs: str

    def text(self) -> str:
        share = Fraction(self.met, self.checked)
        return (
            f"{self.code}: {self.met} of {self.checked} records = {_percent_text(share)}, "
            f"scored {self.answer.label} ({self.needs})"
        )


@dataclass(frozen=True)
class DomainResult:
    """How one domain scored: points gained of points available (standards answered 'not applicable' left out)."""

    code: str
    title: str
    points: int
    available: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.points, self.available) if self.available else None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else float(self.share * 100)

    def text(self) -> str:
        if not self.available:
            return f"{self.title}: no standard applies"
        return f"{self.title}: {self.points} of {self.available} points = {_percent_text(self.share)}"


@dataclass(frozen=True)
class LevelCheck:
    """Whether the audit reached one level, and each reason it did not."""

    level: Level
    reached: bool
    shortfalls: tuple[str, ...]

    def text(self) -> str:
        if self.reached:
            return f"{self.level.name}: reached ({_needs(self.level)})."
        return f"{self.level.name}: not reached: {'; '.join(self.shortfalls)}."


@dataclass(frozen=True)
class AuditResult:
    """The outcome of one audit: the level reached (None if none), and the working behind it."""

    scheme: Scheme
    domains: tuple[DomainResult, ...]
    points: int
    available: int
    unanswered: tuple[str, ...]
    essentials_not_met: tuple[str, ...]
    checks: tuple[LevelCheck, ...]
    essentials_failed: tuple[str, ...] = ()
    samples: tuple[SampleResult, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def level(self) -> Level | None:
        if not self.complete:
            return None
        return next((check.level for check in self.checks if check.reached), None)

    @property
    def level_name(self) -> str:
        if not self.complete:
            return "Audit incomplete"
        return self.level.name if self.level else self.scheme.not_accredited_label

    @property
    def percent(self) -> float | None:
        return float(Fraction(self.points, self.available) * 100) if self.available else None

    @property
    def renew_after_months(self) -> int:
        """Months until the ward is audited again: the level's own period, or sooner when none was reached."""
        level = self.level
        return level.renew_after_months if level else self.scheme.reaudit_when_not_accredited_months

    def working(self) -> list[str]:
        """The result in sentences, as the ward's page and the accreditation report print it."""
        lines = [sample.text() for sample in self.samples]
        lines += [domain.text() for domain in self.domains]
        overall = Fraction(self.points, self.available) if self.available else None
        lines.append(f"Overall: {self.points} of {self.available} points = {_percent_text(overall)}")
        if self.unanswered:
            lines.append(f"Not yet answered: {', '.join(self.unanswered)}; no level until every standard is.")
            return lines
        if self.essentials_not_met:
            lines.append(f"Essential standards not fully met: {', '.join(self.essentials_not_met)}.")
        if self.essentials_failed:
            cap = self.scheme.level(self.scheme.failed_essential_caps_at)
            lines.append(
                f"Essential standards failed: {', '.join(self.essentials_failed)}; "
                + (f"no level above {cap.name}." if cap else "no level can be reached.")
            )
        for check in self.checks:  # from the highest level down to the first one reached
            lines.append(check.text())
            if check.reached:
                break
        lines.append(f"Result: {self.level_name}.")
        return lines


def _percent_text(share: Fraction | None) -> str:
    if share is None:
        return "not applicable"
    return f"{float(share * 100):.1f}%".replace(".0%", "%")


def _needs(level: Level) -> str:
    parts = [f"{level.overall_at_least:g}% overall"]
    if level.every_domain_at_least:
        parts.append(f"at least {level.every_domain_at_least:g}% in every domain")
    if level.essentials_met:
        parts.append("every essential standard fully met")
    return ", ".join(parts)


def _sampled(scheme: Scheme, standard: Standard, answer_code: str) -> SampleResult | None:
    """A sampled standard's answer ("8/10") against its thresholds: met / checked compared with least / records."""
    rule = standard.sample
    pair = sample_parse(answer_code) if rule else None
    if rule is None or pair is None:
        return None
    met, checked = pair
    for code, least in rule.thresholds:
        if Fraction(met, checked) >= Fraction(least, rule.records):
            option = scheme.answer(code)
            assert option is not None  # the loader checked every threshold names an answer
            return SampleResult(standard.code, met, checked, option, _sample_needs(scheme, rule))
    return SampleResult(standard.code, met, checked, scheme.lowest_counting, _sample_needs(scheme, rule))


def _sample_needs(scheme: Scheme, rule: SampleRule) -> str:
    labels = {option.code: option.label for option in scheme.answers}
    return ", ".join(f"{labels[code]} needs {least} of {rule.records}" for code, least in rule.thresholds)


def answer_of(scheme: Scheme, standard: Standard, answer_code: str) -> tuple[AnswerOption, str] | None:
    """The answer a standard scored as, and its words ("Partly met", or "7 of 10 records: Partly met")."""
    sampled = _sampled(scheme, standard, answer_code)
    if sampled is not None:
        return sampled.answer, f"{sampled.met} of {sampled.checked} records: {sampled.answer.label}"
    option = scheme.answer(answer_code)
    return (option, option.label) if option else None


def findings_of(scheme: Scheme, answers: Mapping[str, str]) -> list[tuple[Standard, str]]:
    """The standards not fully met (answered, counted, below the best answer's points), each with its answer's
    words: what an audit found that a ward action can answer."""
    found = []
    for standard in scheme.standards():
        scored = answer_of(scheme, standard, answers.get(standard.code) or "")
        if scored and scored[0].counts and scored[0].points < scheme.top_points:
            found.append((standard, scored[1]))
    return found


def _points(scheme: Scheme, standard: Standard, answer_code: str | None) -> tuple[int, int] | None:
    """(points, available) for one standard, or None when its answer takes it out of the count."""
    sampled = _sampled(scheme, standard, answer_code) if answer_code else None
    option = sampled.answer if sampled else scheme.answer(answer_code) if answer_code else None
    if option is None:
        raise KeyError(answer_code)
    if not option.counts:
        return None
    return option.points * standard.weight, scheme.top_points * standard.weight


def audit_score(scheme: Scheme, answers: Mapping[str, str]) -> AuditResult:
    """Score an audit: `answers` maps each standard's code to an answer code of the scheme.

    A sampled standard may be answered "met/checked" (records meeting it of records checked). Unanswered standards
    make the audit incomplete (no level); an answer code the scheme does not have is a ValueError naming the
    standard."""
    known = {standard.code for standard in scheme.standards()}
    strays = sorted(set(answers) - known)
    if strays:
        raise ValueError(f"The scheme has no standard {', '.join(strays)}.")
    domains: list[DomainResult] = []
    unanswered: list[str] = []
    essentials_not_met: list[str] = []
    essentials_failed: list[str] = []
    samples: list[SampleResult] = []
    for domain in scheme.domains:
        points = available = 0
        for standard in domain.standards:
            code = answers.get(standard.code)
            if not code:
                unanswered.append(standard.code)
                continue
            try:
                scored = _points(scheme, standard, code)
            except KeyError:
                raise ValueError(f"Standard {standard.code}: the scheme has no answer '{code}'.") from None
            sampled = _sampled(scheme, standard, code)
            if sampled:
                samples.append(sampled)
            if scored is None:
                continue
            points += scored[0]
            available += scored[1]
            if standard.essential and scored[0] < scored[1]:
                essentials_not_met.append(standard.code)
            if standard.essential and scored[0] == 0:
                essentials_failed.append(standard.code)
        domains.append(DomainResult(domain.code, domain.title, points, available))
    total = sum(d.points for d in domains)
    available = sum(d.available for d in domains)
    overall = Fraction(total, available) if available else None
    checks = []
    cap = scheme.failed_essential_caps_at
    above_cap = True  # levels are listed from the highest down; those above the cap are out of reach
    for level in scheme.levels:
        above_cap = above_cap and level.code != cap
        shortfalls = []
        if essentials_failed and above_cap:
            shortfalls.append(f"essential standards failed ({', '.join(essentials_failed)})")
        if overall is None or overall * 100 < Fraction(level.overall_at_least):
            shortfalls.append(f"needs {level.overall_at_least:g}% overall, has {_percent_text(overall)}")
        for domain_result in domains:
            share = domain_result.share
            if share is not None and share * 100 < Fraction(level.every_domain_at_least):
                shortfalls.append(
                    f"needs {level.every_domain_at_least:g}% in {domain_result.title}, has {_percent_text(share)}"
                )
        if level.essentials_met and essentials_not_met:
            shortfalls.append(f"essential standards not fully met ({', '.join(essentials_not_met)})")
        checks.append(LevelCheck(level, not shortfalls, tuple(shortfalls)))
    return AuditResult(
        scheme=scheme,
        domains=tuple(domains),
        points=total,
        available=available,
        unanswered=tuple(unanswered),
        essentials_not_met=tuple(essentials_not_met),
        checks=tuple(checks),
        essentials_failed=tuple(essentials_failed),
        samples=tuple(samples),
    )
