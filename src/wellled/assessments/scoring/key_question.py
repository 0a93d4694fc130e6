"""A key question's percentage and rating from its statement scores, with carried scores and limiters.

The method (shared/domain/cqc_scoring.md): the key question's percentage is the sum of its statement
scores over (statements x 4); the bands turn it into a rating, after the rounding rule. A statement not
assessed this time takes the score the key question's current rating implies (outstanding 4, good 3,
requires improvement 2, inadequate 1), and the working says which statements did, as CQC's reports do
("We assessed 7 quality statements ... combined ... with scores based on the rating from the last
inspection"). Limiters then hold the rating down where they apply.

Choices made here where the notes are silent:

- A key question never rated before has no fallback, so a statement left unassessed is an error (the
  notes: "all statements must be scored"); a caller wanting a partial score of a draft leaves the
  statement out of the mapping instead, and the working then shows only the statements scored.
- A key question with no statement assessed at all is an error: the result would only repeat the
  previous rating.
- The "statement scored 1" limiter looks only at statements scored in this assessment, not at scores
  of 1 carried from a previous inadequate rating (those say nothing new about the statement).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .errors import ScoringError
from .limiters import Limiter, LimiterOutcome, apply_limiters
from .ratings import Rating, rating_for_percentage
from .results import KeyQuestionResult, ScoreSource, StatementScore
from .rounding import Percentage, RoundingRule, format_percent, percentage_of
from .rules import DEFAULT_RULES, ScoringRules
from .statement import StatementInput, score_statement

StatementValue = StatementInput | int | None


def score_key_question(
    statements: Mapping[str, StatementValue],
    *,
    previous_rating: Rating | str | None,
    rules: ScoringRules = DEFAULT_RULES,
    key_question: str = "",
    requirement_notice: bool = False,
    warning_notice: bool = False,
) -> KeyQuestionResult:
    """Rate a key question from its statements (None = not assessed), the previous rating and the rules."""
    where = f"key question {key_question}" if key_question else "the key question"
    if not isinstance(statements, Mapping):
        raise ScoringError(f"{where}: statements must be a mapping of statement id to score")
    if not statements:
        raise ScoringError(f"{where} has no statements to score")
    for name, flag in (("requirement_notice", requirement_notice), ("warning_notice", warning_notice)):
        if not isinstance(flag, bool):
            raise ScoringError(f"{where}: {name} must be true or false, not {flag!r}")
    previous = Rating.parse(previous_rating) if previous_rating is not None else None

    scores: list[StatementScore] = []
    unscored: list[str] = []
    for statement, value in statements.items():
        if value is not None:
            scores.append(score_statement(statement, value, rounding=rules.rounding))
        elif previous is None:
            unscored.append(str(statement))
        else:
            scores.append(StatementScore(statement, previous.score, ScoreSource.PREVIOUS_RATING))
    if unscored:
        raise ScoringError(
            f"{where} has no previous rating to carry scores from, so every statement must be scored; "
            f"not scored: {', '.join(unscored)}"
        )
    if all(s.carried_forward for s in scores):
        raise ScoringError(f"{where}: no statement was assessed, so there is nothing new to rate")

    percentage = percentage_of(sum(s.score for s in scores), len(scores), rules.rounding)
    percentage_rating = rating_for_percentage(percentage.value)
    rating, outcomes = apply_limiters(
        percentage_rating, _triggered(scores, requirement_notice, warning_notice), rules
    )
    return KeyQuestionResult(
        key_question=key_question,
        statements=tuple(scores),
        percentage=percentage,
        percentage_rating=percentage_rating,
        rating=rating,
        previous_rating=previous,
        limiters=outcomes,
        rules=rules,
        working=_working(scores, percentage, percentage_rating, rating, previous, outcomes),
    )


def _triggered(
    scores: Sequence[StatementScore], requirement_notice: bool, warning_notice: bool
) -> list[tuple[Limiter, str]]:
    """The limiters whose condition holds, each with a detail for the working."""
    triggered: list[tuple[Limiter, str]] = []
    if warning_notice:
        triggered.append((Limiter.WARNING_NOTICE, ""))
    if requirement_notice:
        triggered.append((Limiter.REQUIREMENT_NOTICE, ""))
    ones = [s.statement for s in scores if s.score == 1 and not s.carried_forward]
    if ones:
        triggered.append((Limiter.STATEMENT_SCORED_ONE, ", ".join(ones)))
    return triggered


_ROUNDED = {
    RoundingRule.HALF_UP: "rounded half up",
    RoundingRule.FLOOR: "rounded down",
    RoundingRule.CEIL: "rounded up",
}


def _working(
    scores: Sequence[StatementScore],
    percentage: Percentage,
    percentage_rating: Rating,
    rating: Rating,
    previous: Rating | None,
    outcomes: Sequence[LimiterOutcome],
) -> str:
    """The working as a report prints it: the sum, percentage and rating, then any notes."""
    sums = ", ".join(f"{s.statement} {s.score}" for s in scores)
    head = f"{sums} = {percentage.working}: {rating.text}"
    if previous is not None:
        head += f" (previously {previous.text})"
    sentences = [head + "."]
    if percentage.exact != percentage.value and percentage.rounding in _ROUNDED:
        sentences.append(
            f"{format_percent(percentage.exact)} {_ROUNDED[percentage.rounding]} to {percentage.text}."
        )
    sentences.extend(f"{s.working}." for s in scores if s.source is ScoreSource.EVIDENCE)
    carried = [s.statement for s in scores if s.carried_forward]
    if carried and previous is not None:
        each = "each " if len(carried) > 1 else ""
        sentences.append(
            f"{_join(carried)} not assessed this time: {each}scored {previous.score} "
            f"from the previous rating ({previous.text})."
        )
    sentences.extend(_limiter_notes(percentage_rating, rating, outcomes))
    return " ".join(sentences)


def _limiter_notes(
    percentage_rating: Rating, rating: Rating, outcomes: Sequence[LimiterOutcome]
) -> list[str]:
    """A sentence for each triggered limiter: what it did, or why it did nothing."""
    notes: list[str] = []
    deciding = [o for o in outcomes if o.lowered and o.ceiling is rating]
    if deciding:
        held = _join([o.text for o in deciding])
        notes.append(f"The percentage gives {percentage_rating.text}; held at {rating.text} by {held}.")
    for o in outcomes:
        if o in deciding:
            continue
        if not o.enabled:
            notes.append(f"{_capital(o.text)} was recorded, but that limiter is switched off.")
        elif o.lowered:
            notes.append(f"{_capital(o.text)} also applies ({o.ceiling.text} at best).")
        else:
            notes.append(
                f"{_capital(o.text)} applies; the rating is already no better than {o.ceiling.text}."
            )
    return notes


def _join(items: Sequence[str]) -> str:
    """Items joined as in a sentence: "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _capital(text: str) -> str:
    """Text with its first letter capitalised."""
    return text[:1].upper() + text[1:]
