"""Properties of the scoring engine that must hold for any statement scores, rules and ratings."""

from __future__ import annotations

from random import Random

from hypothesis import given
from hypothesis import strategies as st

from wellled.assessments.scoring import (
    HIGHEST_PERCENTAGE,
    LOWEST_PERCENTAGE,
    Rating,
    RoundingRule,
    ScoringRules,
    StatementInput,
    aggregate_ratings,
    rating_for_percentage,
    score_key_question,
    score_statement,
)

scores = st.integers(min_value=1, max_value=4)
ratings = st.sampled_from(list(Rating))
roundings = st.sampled_from(list(RoundingRule))
all_rules = st.builds(
    ScoringRules,
    rounding=roundings,
    requirement_notice_caps=st.booleans(),
    warning_notice_caps=st.booleans(),
    statement_scored_one_caps=st.booleans(),
)


@st.composite
def key_questions(draw: st.DrawFn) -> tuple[dict[str, int | None], Rating | None]:
    """Statements W1.. with scores 1-4 or None (at least one scored), and a previous rating if needed."""
    values = draw(st.lists(st.one_of(scores, st.none()), min_size=1, max_size=12))
    if all(v is None for v in values):
        values[0] = draw(scores)
    previous = draw(ratings) if None in values else draw(st.one_of(st.none(), ratings))
    return {f"W{i}": v for i, v in enumerate(values, start=1)}, previous


def _raise_one(statements: dict[str, int | None], index: int) -> tuple[dict[str, int | None], bool]:
    """The statements with one scored statement below 4 raised by one, and whether one could be raised."""
    raisable = [k for k, v in statements.items() if v is not None and v < 4]
    if not raisable:
        return statements, False
    key = raisable[index % len(raisable)]
    value = statements[key]
    assert value is not None
    return statements | {key: value + 1}, True


@given(key_questions(), roundings, st.integers(min_value=0))
def test_raising_a_statement_never_lowers_the_rating_without_limiters(
    case: tuple[dict[str, int | None], Rating | None], rounding: RoundingRule, index: int
) -> None:
    statements, previous = case
    rules = ScoringRules(rounding=rounding)  # no notices given and the scored-1 limiter off
    raised, changed = _raise_one(statements, index)
    before = score_key_question(statements, previous_rating=previous, rules=rules)
    after = score_key_question(raised, previous_rating=previous, rules=rules)
    assert before.limiters == () or not any(o.enabled for o in before.limiters)
    assert after.percentage.exact >= before.percentage.exact
    assert after.rating.score >= before.rating.score
    if changed:
        assert after.total == before.total + 1


@given(key_questions(), all_rules, st.booleans(), st.booleans(), st.integers(min_value=0))
def test_raising_a_statement_never_lowers_the_rating_even_with_limiters(
    case: tuple[dict[str, int | None], Rating | None],
    rules: ScoringRules,
    requirement_notice: bool,
    warning_notice: bool,
    index: int,
) -> None:
    statements, previous = case
    raised, _ = _raise_one(statements, index)
    before, after = (
        score_key_question(
            s,
            previous_rating=previous,
            rules=rules,
            requirement_notice=requirement_notice,
            warning_notice=warning_notice,
        )
        for s in (statements, raised)
    )
    assert after.rating.score >= before.rating.score


@given(key_questions(), all_rules, st.booleans(), st.booleans())
def test_percentage_is_always_between_25_and_100_and_limiters_only_lower(
    case: tuple[dict[str, int | None], Rating | None],
    rules: ScoringRules,
    requirement_notice: bool,
    warning_notice: bool,
) -> None:
    statements, previous = case
    result = score_key_question(
        statements,
        previous_rating=previous,
        rules=rules,
        requirement_notice=requirement_notice,
        warning_notice=warning_notice,
    )
    assert LOWEST_PERCENTAGE <= result.percentage.exact <= HIGHEST_PERCENTAGE
    assert LOWEST_PERCENTAGE <= result.percentage.value <= HIGHEST_PERCENTAGE
    assert result.percentage_rating is rating_for_percentage(result.percentage.value)
    assert result.rating.score <= result.percentage_rating.score
    assert len(result.statements) == len(statements)
    assert set(result.carried_forward) == {k for k, v in statements.items() if v is None}
    assert result.working.startswith(", ".join(f"{s.statement} {s.score}" for s in result.statements))


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e", "f"]), scores, min_size=1), roundings)
def test_an_evidence_based_score_lies_between_its_lowest_and_highest_category(
    evidence: dict[str, int], rounding: RoundingRule
) -> None:
    result = score_statement("S1", StatementInput.from_evidence(evidence), rounding=rounding)
    assert min(evidence.values()) <= result.score <= max(evidence.values())


unit_ratings = st.lists(st.one_of(ratings, st.none()), min_size=1, max_size=12).filter(
    lambda rs: any(r is not None for r in rs)
)


@given(unit_ratings, st.randoms(use_true_random=False))
def test_aggregation_lies_between_the_worst_and_best_and_ignores_order(
    values: list[Rating | None], rnd: Random
) -> None:
    named = {f"unit {i}": r for i, r in enumerate(values)}
    result = aggregate_ratings(named)
    rated = [r for r in values if r is not None]
    assert min(r.score for r in rated) <= result.rating.score <= max(r.score for r in rated)
    items = list(named.items())
    rnd.shuffle(items)
    assert aggregate_ratings(dict(items)).rating is result.rating


@given(unit_ratings, st.integers(min_value=0))
def test_improving_one_underlying_rating_never_lowers_the_aggregate(
    values: list[Rating | None], index: int
) -> None:
    improvable = [i for i, r in enumerate(values) if r is not None and r is not Rating.OUTSTANDING]
    if not improvable:
        return
    i = improvable[index % len(improvable)]
    current = values[i]
    assert current is not None
    better = list(values)
    better[i] = Rating.from_score(current.score + 1)
    before = aggregate_ratings({f"unit {n}": r for n, r in enumerate(values)})
    after = aggregate_ratings({f"unit {n}": r for n, r in enumerate(better)})
    assert after.rating.score >= before.rating.score
