"""The scoring engine against CQC's worked examples, the band edges, carried scores, limiters and aggregation.

Plain tests with no database: they run with `pytest tests/assessments -p no:django` as well as in the
full suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from wellled.assessments.scoring import (
    BANDS,
    NOT_RATED_STYLE,
    AggregationPrinciple,
    Level,
    Limiter,
    Rating,
    RatingStyle,
    RoundingRule,
    ScoreSource,
    ScoringError,
    ScoringRules,
    StatementInput,
    aggregate_ratings,
    outstanding_needed,
    percentage_of,
    rating_for_percentage,
    score_key_question,
    score_statement,
)

RI = Rating.REQUIRES_IMPROVEMENT
NO_LIMITERS = ScoringRules(
    requirement_notice_caps=False, warning_notice_caps=False, statement_scored_one_caps=False
)


def well_led(*scores: int | None) -> dict[str, int | None]:
    """Well-led statements W1.. with the given scores."""
    return {f"W{i}": s for i, s in enumerate(scores, start=1)}


# --- the engine stays free of Django ---------------------------------------------------------------


def test_importing_the_engine_does_not_import_django() -> None:
    code = "import wellled.assessments.scoring, sys; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- ratings and bands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "score", "label"),
    [
        (Rating.OUTSTANDING, 4, "Outstanding"),
        (Rating.GOOD, 3, "Good"),
        (RI, 2, "Requires improvement"),
        (Rating.INADEQUATE, 1, "Inadequate"),
    ],
)
def test_rating_scores_and_labels(rating: Rating, score: int, label: str) -> None:
    assert rating.score == score
    assert Rating.from_score(score) is rating
    assert rating.label == label
    assert rating.style.colour.startswith("#") and len(rating.style.colour) == 7


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("style", [r.style for r in Rating] + [NOT_RATED_STYLE])
def test_rating_colours_have_readable_text(style: RatingStyle) -> None:
    assert _contrast(style.colour, style.text_colour) >= 4.5


def test_ratings_parse_from_keys_and_labels() -> None:
    assert Rating.parse("requires_improvement") is RI
    assert Rating.parse("Requires improvement") is RI
    assert Rating.parse(" GOOD ") is Rating.GOOD
    assert Rating.parse(Rating.INADEQUATE) is Rating.INADEQUATE


@pytest.mark.parametrize("bad", ["excellent", "", 3, None])
def test_unknown_rating_is_refused(bad: object) -> None:
    with pytest.raises(ScoringError, match="unknown rating"):
        Rating.parse(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, 5, True, 2.0])
def test_no_rating_for_a_score_outside_1_to_4(bad: object) -> None:
    with pytest.raises(ScoringError, match="scores run from 1 to 4"):
        Rating.from_score(bad)  # type: ignore[arg-type]


def test_bands_are_cqcs_and_cover_25_to_100_in_whole_percents() -> None:
    assert [(b.rating, b.lowest, b.highest) for b in BANDS] == [
        (Rating.OUTSTANDING, 88, 100),
        (Rating.GOOD, 63, 87),
        (RI, 39, 62),
        (Rating.INADEQUATE, 25, 38),
    ]
    for upper, lower in zip(BANDS, BANDS[1:], strict=False):
        assert lower.highest + 1 == upper.lowest
    assert str(BANDS[1]) == "63\u201387%"


@pytest.mark.parametrize(
    ("percent", "rating"),
    [(100, Rating.OUTSTANDING), (88, Rating.OUTSTANDING), (87, Rating.GOOD), (63, Rating.GOOD), (62, RI)]
    + [(39, RI), (38, Rating.INADEQUATE), (25, Rating.INADEQUATE)],
)
def test_rating_for_whole_percentages_at_band_edges(percent: int, rating: Rating) -> None:
    assert rating_for_percentage(percent) is rating


@pytest.mark.parametrize("percent", [24, Fraction(2499, 100), 101])
def test_percentages_outside_25_to_100_are_refused(percent: Fraction | int) -> None:
    with pytest.raises(ScoringError, match="outside 25-100"):
        rating_for_percentage(percent)


# --- rounding at the band edges ------------------------------------------------------------------

SIXTY_TWO_AND_A_HALF = well_led(3, 3, 3, 3, 2, 2, 2, 2)  # 20 of 32
EIGHTY_SEVEN_AND_A_HALF = well_led(4, 4, 4, 4, 3, 3, 3, 3)  # 28 of 32


@pytest.mark.parametrize(
    ("rule", "value", "text", "rating"),
    [
        (RoundingRule.HALF_UP, 63, "63%", Rating.GOOD),
        (RoundingRule.FLOOR, 62, "62%", RI),
        (RoundingRule.CEIL, 63, "63%", Rating.GOOD),
        (RoundingRule.EXACT, Fraction(125, 2), "62.5%", RI),
    ],
)
def test_62_and_a_half_percent_under_each_rounding_rule(
    rule: RoundingRule, value: Fraction | int, text: str, rating: Rating
) -> None:
    result = score_key_question(SIXTY_TWO_AND_A_HALF, previous_rating=None, rules=ScoringRules(rounding=rule))
    assert result.percentage.exact == Fraction(125, 2)
    assert result.percentage.value == value
    assert result.rating is rating
    assert f"= 20 of 32 = {text}: {rating.text}." in result.working


@pytest.mark.parametrize(
    ("rule", "value", "text", "rating"),
    [
        (RoundingRule.HALF_UP, 88, "88%", Rating.OUTSTANDING),
        (RoundingRule.FLOOR, 87, "87%", Rating.GOOD),
        (RoundingRule.CEIL, 88, "88%", Rating.OUTSTANDING),
        (RoundingRule.EXACT, Fraction(175, 2), "87.5%", Rating.GOOD),
    ],
)
def test_87_and_a_half_percent_under_each_rounding_rule(
    rule: RoundingRule, value: Fraction | int, text: str, rating: Rating
) -> None:
    result = score_key_question(
        EIGHTY_SEVEN_AND_A_HALF, previous_rating=None, rules=ScoringRules(rounding=rule)
    )
    assert result.percentage.value == value
    assert result.rating is rating
    assert f"= 28 of 32 = {text}: {rating.text}." in result.working


def test_the_working_says_how_an_edge_value_was_rounded() -> None:
    result = score_key_question(SIXTY_TWO_AND_A_HALF, previous_rating=None)
    assert "62.5% rounded half up to 63%." in result.working
    floor = score_key_question(
        SIXTY_TWO_AND_A_HALF, previous_rating=None, rules=ScoringRules(rounding=RoundingRule.FLOOR)
    )
    assert "62.5% rounded down to 62%." in floor.working


def test_37_and_a_half_percent_rounds_half_up_into_the_inadequate_band() -> None:
    # 38% is the top of inadequate's printed band, so rounding up does not always mean a better rating.
    result = score_key_question(well_led(2, 2, 2, 2, 1, 1, 1, 1), previous_rating=None, rules=NO_LIMITERS)
    assert result.percentage.value == 38
    assert result.rating is Rating.INADEQUATE


def test_half_up_and_ceil_differ_away_from_halves() -> None:
    just_over_62 = Fraction(621, 10)
    assert RoundingRule.HALF_UP.apply(just_over_62) == 62
    assert RoundingRule.CEIL.apply(just_over_62) == 63
    # 29 statements summing to 72 give 62.07%: requires improvement rounded half up, good rounded up.
    statements = {f"S{i}": 3 if i <= 14 else 2 for i in range(1, 30)}
    assert sum(statements.values()) == 72
    half_up = score_key_question(statements, previous_rating=None)
    ceil = score_key_question(
        statements, previous_rating=None, rules=ScoringRules(rounding=RoundingRule.CEIL)
    )
    assert (half_up.rating, ceil.rating) == (RI, Rating.GOOD)


def test_exact_percentages_that_do_not_terminate_are_marked_as_approximate() -> None:
    result = score_key_question(
        {"C1": 3, "C2": 3, "C3": 2}, previous_rating=None, rules=ScoringRules(rounding=RoundingRule.EXACT)
    )
    assert result.percentage.exact == Fraction(200, 3)
    assert "= 8 of 12 = ~66.67%: good." in result.working


def test_every_rounding_rule_has_a_description_and_unknown_rules_are_refused() -> None:
    assert all(rule.description for rule in RoundingRule)
    with pytest.raises(ScoringError, match="unknown rounding rule 'bankers'"):
        ScoringRules(rounding="bankers")  # type: ignore[arg-type]


def test_percentage_of_needs_at_least_one_score() -> None:
    assert percentage_of(11, 4).working == "11 of 16 = 69%"
    with pytest.raises(ScoringError, match="no scores"):
        percentage_of(0, 0)


# --- statement scores ----------------------------------------------------------------------------

CQC_EXAMPLE = {"people_experience": 3, "staff_leaders_feedback": 2, "observation": 3, "processes": 3}


def test_cqcs_worked_example_from_evidence_categories() -> None:
    result = score_statement("S1", StatementInput.from_evidence(CQC_EXAMPLE))
    assert result.score == 3
    assert result.source is ScoreSource.EVIDENCE
    assert result.percentage is not None
    assert (result.percentage.total, result.percentage.maximum) == (11, 16)
    assert result.percentage.exact == Fraction(275, 4)  # 68.75%
    assert result.percentage.value == 69
    assert result.working == (
        "S1: people_experience 3, staff_leaders_feedback 2, observation 3, processes 3 = 11 of 16 = 69%: score 3"
    )


def test_a_direct_score_is_taken_as_given() -> None:
    for value in (2, StatementInput.direct(2), StatementInput(score=2)):
        result = score_statement("W5", value)
        assert (result.score, result.source, result.working) == (2, ScoreSource.DIRECT, "W5: scored 2")


def test_an_evidence_score_uses_the_rounding_rule() -> None:
    evidence = StatementInput.from_evidence({"processes": 3, "outcomes": 2})  # 5 of 8 = 62.5%
    assert score_statement("E5", evidence).score == 3
    assert score_statement("E5", evidence, rounding=RoundingRule.FLOOR).score == 2
    assert score_statement("E5", evidence, rounding=RoundingRule.EXACT).score == 2


def test_evidence_input_is_a_read_only_copy() -> None:
    source = dict(CQC_EXAMPLE)
    value = StatementInput.from_evidence(source)
    source["outcomes"] = 1
    assert value.evidence is not None and "outcomes" not in value.evidence
    with pytest.raises(TypeError):
        value.evidence["outcomes"] = 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5, "statement W3: score 5 is not a whole number from 1 to 4"),
        (0, "statement W3: score 0 is not"),
        (True, "statement W3: expected a score from 1 to 4 or a StatementInput, not True"),
        ("3", "statement W3: expected a score"),
        (2.5, "statement W3: expected a score"),
        (StatementInput(score=5), "statement W3: score 5 is not"),
        (StatementInput(), "statement W3: no score and no evidence-category scores"),
        (StatementInput.from_evidence({}), "statement W3: no score and no evidence-category scores"),
        (StatementInput(score=3, evidence={"observation": 3}), "statement W3: give a direct score or"),
        (
            StatementInput.from_evidence({"observation": 3, "processes": 5}),
            "statement W3, evidence category 'processes': score 5 is not a whole number from 1 to 4",
        ),
        (StatementInput.from_evidence({"": 3}), "statement W3: evidence category '' needs a name"),
    ],
)
def test_bad_statement_input_names_the_statement_and_category(value: object, message: str) -> None:
    with pytest.raises(ScoringError) as error:
        score_statement("W3", value)  # type: ignore[arg-type]
    assert message in str(error.value)


def test_a_statement_needs_an_id() -> None:
    with pytest.raises(ScoringError, match="needs an id"):
        score_statement("  ", 3)


def test_evidence_must_be_a_mapping() -> None:
    with pytest.raises(ScoringError, match="must be a mapping"):
        StatementInput(evidence=[3, 2])  # type: ignore[arg-type]


# --- key questions ---------------------------------------------------------------------------------


def test_a_well_led_key_question_of_eight_statements_scoring_24_of_32_is_good() -> None:
    result = score_key_question(well_led(3, 3, 4, 3, 2, 3, 3, 3), previous_rating=RI, key_question="well_led")
    assert (result.total, result.maximum, result.percentage.value) == (24, 32, Fraction(75))
    assert result.rating is Rating.GOOD
    assert result.percentage_rating is Rating.GOOD
    assert result.working == (
        "W1 3, W2 3, W3 4, W4 3, W5 2, W6 3, W7 3, W8 3 = 24 of 32 = 75%: good (previously requires improvement)."
    )
    assert result.report_score == "scored 75 (out of 100)"
    assert result.carried_forward == ()
    assert result.limiters == ()


def test_a_first_rating_has_no_previously() -> None:
    result = score_key_question(well_led(3, 3, 4, 3, 2, 3, 3, 3), previous_rating=None)
    assert result.working == "W1 3, W2 3, W3 4, W4 3, W5 2, W6 3, W7 3, W8 3 = 24 of 32 = 75%: good."


def test_cqc_report_seven_statements_assessed_and_one_from_the_previous_rating() -> None:
    # As in shared/seeds/000: seven well-led statements assessed, the eighth carried from the last
    # rating (requires improvement), scoring 75 out of 100 and improving to good.
    result = score_key_question(well_led(3, 3, 4, 3, 3, 3, 3, None), previous_rating="requires_improvement")
    assert result.carried_forward == ("W8",)
    assert result.assessed == ("W1", "W2", "W3", "W4", "W5", "W6", "W7")
    assert result.statements[-1].score == 2
    assert result.statements[-1].source is ScoreSource.PREVIOUS_RATING
    assert result.statements[-1].working == "W8: not assessed, score 2 from the previous rating"
    assert result.report_score == "scored 75 (out of 100)"
    assert result.rating is Rating.GOOD
    assert result.working == (
        "W1 3, W2 3, W3 4, W4 3, W5 3, W6 3, W7 3, W8 2 = 24 of 32 = 75%: good (previously requires improvement)."
        " W8 not assessed this time: scored 2 from the previous rating (requires improvement)."
    )


@pytest.mark.parametrize(("previous", "score"), [(Rating.OUTSTANDING, 4), (Rating.GOOD, 3), (RI, 2)])
def test_statements_not_assessed_take_the_score_of_the_previous_rating(previous: Rating, score: int) -> None:
    result = score_key_question({"S1": 3, "S2": None, "S3": 3, "S4": None}, previous_rating=previous)
    assert result.carried_forward == ("S2", "S4")
    assert [s.score for s in result.statements] == [3, score, 3, score]
    assert (
        f"S2 and S4 not assessed this time: each scored {score} from the previous rating ({previous.text})."
        in result.working
    )


def test_without_a_previous_rating_every_statement_must_be_scored() -> None:
    with pytest.raises(ScoringError) as error:
        score_key_question({"S1": 3, "S2": None, "S3": None}, previous_rating=None, key_question="safe")
    assert str(error.value) == (
        "key question safe has no previous rating to carry scores from, so every statement must be scored; "
        "not scored: S2, S3"
    )


def test_a_key_question_with_nothing_assessed_is_refused() -> None:
    with pytest.raises(ScoringError, match="no statement was assessed"):
        score_key_question({"S1": None, "S2": None}, previous_rating=Rating.GOOD)


def test_an_empty_key_question_is_refused() -> None:
    with pytest.raises(ScoringError, match="key question caring has no statements to score"):
        score_key_question({}, previous_rating=None, key_question="caring")


def test_an_unknown_previous_rating_is_refused() -> None:
    with pytest.raises(ScoringError, match="unknown rating 'excellent'"):
        score_key_question({"S1": 3}, previous_rating="excellent")


def test_a_bad_statement_score_in_a_key_question_names_the_statement() -> None:
    with pytest.raises(ScoringError, match="statement W4: score 5 is not a whole number from 1 to 4"):
        score_key_question(well_led(3, 3, 3, 5), previous_rating=None)


def test_evidence_based_statements_show_their_working_inside_the_key_question() -> None:
    result = score_key_question(
        {"S1": StatementInput.from_evidence(CQC_EXAMPLE), "S2": 3}, previous_rating=None
    )
    assert result.working == (
        "S1 3, S2 3 = 6 of 8 = 75%: good. "
        "S1: people_experience 3, staff_leaders_feedback 2, observation 3, processes 3 = 11 of 16 = 69%: score 3."
    )


# --- limiters --------------------------------------------------------------------------------------

GOOD_STATEMENTS = well_led(3, 3, 4, 3, 2, 3, 3, 3)  # 75%: good
GOOD_WITH_A_ONE = well_led(4, 4, 4, 4, 1, 3, 3, 3)  # 26 of 32 = 81%: good, with W5 scored 1


def test_a_requirement_notice_holds_a_good_percentage_at_requires_improvement() -> None:
    result = score_key_question(GOOD_STATEMENTS, previous_rating=Rating.GOOD, requirement_notice=True)
    assert (result.percentage_rating, result.rating, result.limited) == (Rating.GOOD, RI, True)
    [outcome] = result.limiters
    assert (outcome.limiter, outcome.enabled, outcome.lowered) == (Limiter.REQUIREMENT_NOTICE, True, True)
    assert result.working == (
        "W1 3, W2 3, W3 4, W4 3, W5 2, W6 3, W7 3, W8 3 = 24 of 32 = 75%: requires improvement (previously good)."
        " The percentage gives good; held at requires improvement by a requirement notice."
    )


def test_a_requirement_notice_switched_off_leaves_the_rating_alone_but_is_reported() -> None:
    rules = ScoringRules(requirement_notice_caps=False)
    result = score_key_question(GOOD_STATEMENTS, previous_rating=None, rules=rules, requirement_notice=True)
    assert result.rating is Rating.GOOD
    assert not result.limited
    [outcome] = result.limiters
    assert (outcome.enabled, outcome.lowered) == (False, False)
    assert "A requirement notice was recorded, but that limiter is switched off." in result.working


def test_a_requirement_notice_does_not_raise_a_lower_rating() -> None:
    result = score_key_question(
        well_led(2, 2, 2, 2, 2, 2, 2, 2), previous_rating=None, requirement_notice=True
    )
    assert result.rating is RI
    assert result.limiters[0].lowered is False
    assert "A requirement notice applies; the rating is already no better than requires improvement." in (
        result.working
    )


def test_a_warning_notice_makes_the_key_question_inadequate() -> None:
    result = score_key_question(
        EIGHTY_SEVEN_AND_A_HALF, previous_rating=Rating.GOOD, warning_notice=True, requirement_notice=True
    )
    assert (result.percentage_rating, result.rating) == (Rating.OUTSTANDING, Rating.INADEQUATE)
    assert [(o.limiter, o.lowered) for o in result.limiters] == [
        (Limiter.WARNING_NOTICE, True),
        (Limiter.REQUIREMENT_NOTICE, True),
    ]
    assert "The percentage gives outstanding; held at inadequate by a warning notice." in result.working
    assert "A requirement notice also applies (requires improvement at best)." in result.working


def test_a_warning_notice_switched_off_leaves_the_rating_alone() -> None:
    rules = ScoringRules(warning_notice_caps=False)
    result = score_key_question(GOOD_STATEMENTS, previous_rating=None, rules=rules, warning_notice=True)
    assert result.rating is Rating.GOOD
    assert "A warning notice was recorded, but that limiter is switched off." in result.working


def test_a_statement_scored_one_does_not_cap_by_default() -> None:
    result = score_key_question(GOOD_WITH_A_ONE, previous_rating=None)
    assert result.rating is Rating.GOOD
    assert ScoringRules().statement_scored_one_caps is False
    assert "A statement scored 1 (W5) was recorded, but that limiter is switched off." in result.working


def test_a_statement_scored_one_caps_at_requires_improvement_when_switched_on() -> None:
    rules = ScoringRules(statement_scored_one_caps=True)
    result = score_key_question(GOOD_WITH_A_ONE, previous_rating=None, rules=rules)
    assert (result.percentage.value, result.percentage_rating, result.rating) == (
        Fraction(81),
        Rating.GOOD,
        RI,
    )
    assert "The percentage gives good; held at requires improvement by a statement scored 1 (W5)." in (
        result.working
    )
    assert Limiter.STATEMENT_SCORED_ONE.confirmed is False


def test_carried_scores_of_one_do_not_trigger_the_statement_scored_one_limiter() -> None:
    rules = ScoringRules(statement_scored_one_caps=True)
    statements = {f"S{i}": 4 for i in range(1, 8)} | {"S8": None}  # 29 of 32 with S8 carried as 1
    result = score_key_question(statements, previous_rating=Rating.INADEQUATE, rules=rules)
    assert result.rating is Rating.OUTSTANDING
    assert result.limiters == ()


def test_limiter_flags_must_be_booleans() -> None:
    with pytest.raises(ScoringError, match="requirement_notice must be true or false"):
        score_key_question(GOOD_STATEMENTS, previous_rating=None, requirement_notice="yes")  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="warning_notice_caps must be true or false"):
        ScoringRules(warning_notice_caps=1)  # type: ignore[arg-type]


def test_results_and_rules_serialise_to_json() -> None:
    rules = ScoringRules(rounding=RoundingRule.EXACT, statement_scored_one_caps=True)
    result = score_key_question(
        {"S1": StatementInput.from_evidence(CQC_EXAMPLE), "S2": None, "S3": 1},
        previous_rating=Rating.GOOD,
        rules=rules,
        requirement_notice=True,
    )
    data = json.loads(json.dumps(result.to_dict()))
    assert data["rating"] == "requires_improvement"
    assert data["carried_forward"] == ["S2"]
    assert data["percentage"]["exact"] == "175/3"
    assert data["statements"][0]["evidence"] == CQC_EXAMPLE
    assert data["statements"][0]["percentage"]["exact"] == "275/4"
    assert ScoringRules.from_dict(data["rules"]) == rules
    with pytest.raises(ScoringError, match="unknown scoring rule"):
        ScoringRules.from_dict({"rounding": "half_up", "round_half_even": True})


# --- aggregation -----------------------------------------------------------------------------------

OUT, GOOD, INAD = Rating.OUTSTANDING, Rating.GOOD, Rating.INADEQUATE
FIVE = ("safe", "effective", "caring", "responsive", "well_led")


def five(*ratings: Rating | None) -> dict[str, Rating | None]:
    """The five key questions with the given ratings."""
    return dict(zip(FIVE, ratings, strict=True))


@pytest.mark.parametrize(
    ("ratings", "expected", "principle"),
    [
        ((INAD, INAD, GOOD, GOOD, GOOD), INAD, AggregationPrinciple.TWO_OR_MORE_INADEQUATE),
        ((INAD, INAD, OUT, OUT, OUT), INAD, AggregationPrinciple.TWO_OR_MORE_INADEQUATE),
        ((INAD, GOOD, GOOD, GOOD, GOOD), RI, AggregationPrinciple.ONE_INADEQUATE),
        ((INAD, OUT, OUT, OUT, OUT), RI, AggregationPrinciple.ONE_INADEQUATE),
        ((RI, RI, GOOD, GOOD, GOOD), RI, AggregationPrinciple.TWO_OR_MORE_REQUIRES_IMPROVEMENT),
        ((RI, RI, OUT, OUT, OUT), RI, AggregationPrinciple.TWO_OR_MORE_REQUIRES_IMPROVEMENT),
        ((RI, GOOD, GOOD, GOOD, GOOD), GOOD, AggregationPrinciple.GOOD),
        ((GOOD, GOOD, GOOD, GOOD, GOOD), GOOD, AggregationPrinciple.GOOD),
        ((OUT, GOOD, GOOD, GOOD, GOOD), GOOD, AggregationPrinciple.GOOD),
        ((OUT, OUT, RI, GOOD, GOOD), GOOD, AggregationPrinciple.GOOD),
        ((OUT, OUT, GOOD, GOOD, GOOD), OUT, AggregationPrinciple.OUTSTANDING),
        ((OUT, OUT, OUT, OUT, OUT), OUT, AggregationPrinciple.OUTSTANDING),
    ],
)
def test_rating_principles_for_five_key_questions(
    ratings: tuple[Rating, ...], expected: Rating, principle: AggregationPrinciple
) -> None:
    result = aggregate_ratings(five(*ratings), label="children and young people's services")
    assert (result.rating, result.principle) == (expected, principle)
    assert result.outstanding_needed == 2


def test_aggregate_working_lists_ratings_counts_and_principle() -> None:
    result = aggregate_ratings(five(RI, GOOD, OUT, GOOD, GOOD))
    assert result.working == (
        "safe requires improvement, effective good, caring outstanding, responsive good, well_led good: "
        "1 outstanding, 3 good, 1 requires improvement: good (no inadequate and at most one requires "
        "improvement). Outstanding would need 2 outstanding and the rest good."
    )
    outstanding = aggregate_ratings(five(OUT, GOOD, OUT, GOOD, GOOD))
    assert outstanding.working.endswith(
        ": outstanding (enough outstanding and the rest good: 2 outstanding needed of 5)."
    )


def test_ratings_not_given_are_left_out_of_the_aggregate() -> None:
    result = aggregate_ratings(five(OUT, OUT, None, GOOD, None))
    assert result.rating is OUT
    assert result.not_rated == ("caring", "well_led")
    assert result.count(OUT) == 2
    assert result.working.endswith("Not rated, so left out: caring, well_led.")


def test_nothing_rated_cannot_be_aggregated() -> None:
    with pytest.raises(ScoringError, match="nothing is rated"):
        aggregate_ratings(five(None, None, None, None, None))
    with pytest.raises(ScoringError, match="nothing is rated"):
        aggregate_ratings({})


@pytest.mark.parametrize("rating", list(Rating))
def test_a_single_rating_stands_as_it_is(rating: Rating) -> None:
    result = aggregate_ratings({"safe": rating})
    assert (result.rating, result.principle) == (rating, AggregationPrinciple.SINGLE_RATING)


@pytest.mark.parametrize(
    ("count", "needed"), [(1, 1), (2, 1), (3, 1), (4, 2), (5, 2), (8, 2), (9, 3), (20, 3)]
)
def test_outstanding_needs_more_outstanding_ratings_as_the_count_grows(count: int, needed: int) -> None:
    assert outstanding_needed(count) == needed


def test_a_trust_of_nine_services_needs_three_outstanding() -> None:
    services = {f"service {i}": GOOD for i in range(9)}
    assert aggregate_ratings(services | {"service 0": OUT, "service 1": OUT}).rating is GOOD
    assert aggregate_ratings(services | {"service 0": OUT, "service 1": OUT, "service 2": OUT}).rating is OUT


def test_two_ratings_with_one_outstanding_and_one_good_are_outstanding() -> None:
    assert aggregate_ratings({"medical care": OUT, "surgery": GOOD}).rating is OUT


def test_trust_level_well_led_is_never_aggregated() -> None:
    locations = {"Northmoor General": GOOD, "Kidderminster": RI}
    for name in ("well_led", "Well-led", "well led"):
        with pytest.raises(ScoringError, match="trust-level well-led is its own assessment"):
            aggregate_ratings(locations, level=Level.TRUST, key_question=name)
    # Well-led for a location, from its services, is aggregated like any other key question.
    assert aggregate_ratings(locations, level="location", key_question="well_led").rating is GOOD
    assert aggregate_ratings(locations, level="trust", key_question="safe").rating is GOOD


def test_bad_aggregate_input_is_refused() -> None:
    with pytest.raises(ScoringError, match="Northmoor, safe: unknown rating 'amber'"):
        aggregate_ratings({"safe": "amber"}, label="Northmoor")
    with pytest.raises(ScoringError, match="unknown level 'ward'"):
        aggregate_ratings({"safe": GOOD}, level="ward")


def test_aggregate_accepts_rating_labels_and_serialises() -> None:
    result = aggregate_ratings({"safe": "Requires improvement", "effective": "good"})
    assert result.ratings == (("safe", RI), ("effective", GOOD))
    assert json.loads(json.dumps(result.to_dict()))["principle"] == "good"
