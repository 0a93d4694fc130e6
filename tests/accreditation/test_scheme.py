"""Accreditation levels computed from the scheme file, against worked examples; a broken file names its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from wellled.accreditation.scheme import SchemeError, audit_score, scheme_load, scheme_parse

SCHEME_FILE = Path(__file__).parents[2] / "src/wellled/accreditation/data/ward-accreditation-2026.yaml"


@pytest.fixture(scope="module")
def scheme():
    return scheme_load(SCHEME_FILE)


def all_met(scheme, **changes):
    answers = {standard.code: "met" for standard in scheme.standards()}
    answers.update(changes)
    return answers


def test_the_shipped_scheme_reads_as_written(scheme):
    assert [d.code for d in scheme.domains] == ["SAFE", "CARE", "LEAD", "ENV"]
    assert [level.code for level in scheme.levels] == ["gold", "silver", "bronze"]
    assert len(scheme.standards()) == 16
    assert [s.code for s in scheme.standards() if s.essential] == ["SAFE1", "SAFE2", "SAFE3", "ENV1"]


def test_every_standard_met_is_gold_renewed_after_eighteen_months(scheme):
    result = audit_score(scheme, all_met(scheme))
    assert (result.points, result.available) == (36, 36)
    assert result.level.code == "gold"
    assert result.renew_after_months == 18
    assert result.working()[-1] == "Result: Gold."


def test_an_essential_standard_partly_met_holds_a_ward_at_bronze_whatever_its_score(scheme):
    # SAFE1 partly met: Safe care 9 of 10 = 90%, overall 35 of 36 = 97.2%, but gold and silver need essentials.
    result = audit_score(scheme, all_met(scheme, SAFE1="partly_met"))
    assert result.percent == pytest.approx(97.222, abs=0.001)
    assert result.essentials_not_met == ("SAFE1",)
    assert result.level.code == "bronze"
    working = result.working()
    assert "Safe care: 9 of 10 points = 90%" in working
    assert "Gold: not reached: essential standards not fully met (SAFE1)." in working
    assert "Silver: not reached: essential standards not fully met (SAFE1)." in working


def test_weighted_standards_and_domain_floors_make_silver(scheme):
    # LEAD3 (weight 2) partly met: Leadership 8 of 10 = 80%; CARE2 partly: 9 of 10; ENV2 partly: 5 of 6 = 83.3%.
    # Overall 32 of 36 = 88.9%: below gold's 90% and its 85% floor in two domains; silver's 80% and 70% hold.
    result = audit_score(scheme, all_met(scheme, LEAD3="partly_met", CARE2="partly_met", ENV2="partly_met"))
    assert (result.points, result.available) == (32, 36)
    assert result.level.code == "silver"
    assert result.renew_after_months == 12
    gold = result.checks[0]
    assert gold.shortfalls == (
        "needs 90% overall, has 88.9%",
        "needs 85% in Leadership on the ward, has 80%",
        "needs 85% in Environment and equipment, has 83.3%",
    )


def test_not_applicable_leaves_a_standard_out_of_the_count(scheme):
    result = audit_score(scheme, all_met(scheme, SAFE4="not_applicable"))
    assert result.domains[0].points == result.domains[0].available == 8
    assert result.level.code == "gold"


def test_a_ward_below_every_level_is_not_yet_accredited_and_seen_again_in_three_months(scheme):
    answers = {standard.code: "partly_met" for standard in scheme.standards()}
    result = audit_score(scheme, answers)
    assert result.percent == 50
    assert result.level is None
    assert result.level_name == "Not yet accredited"
    assert result.renew_after_months == 3


def test_an_unfinished_audit_has_no_level(scheme):
    answers = all_met(scheme)
    del answers["ENV3"]
    result = audit_score(scheme, answers)
    assert not result.complete
    assert result.level is None
    assert result.level_name == "Audit incomplete"
    assert result.working()[-1].startswith("Not yet answered: ENV3")


def test_an_answer_the_scheme_does_not_have_is_refused_by_standard(scheme):
    with pytest.raises(ValueError, match="Standard SAFE2: the scheme has no answer 'yes'"):
        audit_score(scheme, all_met(scheme, SAFE2="yes"))
    with pytest.raises(ValueError, match="no standard XYZ"):
        audit_score(scheme, all_met(scheme, XYZ="met"))


SMALL = """\
scheme:
  key: small
  name: Small
  version: "1"
answers:
  - {code: met, label: Met, points: 2}
  - {code: partly_met, label: Partly met, points: 1}
levels:
  - {code: gold, name: Gold, overall_at_least: 90}
domains:
  - code: D
    title: Only domain
    standards:
"""


def small_scheme():
    standards = "".join(f"      - {{code: S{i}, text: Standard {i}}}\n" for i in range(10))
    return scheme_parse(SMALL + standards)


def test_a_threshold_is_reached_exactly_at_its_value_and_not_a_point_below():
    scheme = small_scheme()
    exactly = {f"S{i}": "met" for i in range(10)} | {"S0": "partly_met", "S1": "partly_met"}  # 18 of 20 = 90%
    below = exactly | {"S2": "partly_met"}  # 17 of 20 = 85%
    assert audit_score(scheme, exactly).level.code == "gold"
    assert audit_score(scheme, below).level is None


def broken(text: str) -> SchemeError:
    with pytest.raises(SchemeError) as caught:
        scheme_parse(textwrap.dedent(text))
    return caught.value


def test_a_threshold_that_is_not_a_number_is_refused_with_its_line():
    error = broken(
        SMALL.replace("overall_at_least: 90}", "overall_at_least: ninety}")
        + "      - {code: S1, text: One}\n"
    )
    assert error.line == 9
    assert str(error) == "line 9: Level 'gold': 'overall_at_least' should be a number, not 'ninety'"


def test_a_repeated_standard_code_is_refused_at_its_second_use():
    error = broken(SMALL + "      - {code: S1, text: One}\n      - {code: s1, text: Again}\n")
    assert error.line == 15
    assert "Standard code 's1' is used twice" in str(error)


def test_levels_out_of_order_are_refused_on_the_lower_levels_line():
    text = SMALL.replace(
        "  - {code: gold, name: Gold, overall_at_least: 90}\n",
        "  - {code: bronze, name: Bronze, overall_at_least: 60}\n  - {code: gold, name: Gold, overall_at_least: 90}\n",
    )
    error = broken(text + "      - {code: S1, text: One}\n")
    assert error.line == 10
    assert "list levels from the highest down" in str(error)


def test_a_file_that_is_not_yaml_names_its_line():
    error = broken("scheme:\n  key: x\n   name: [unclosed\n")
    assert error.line == 3
    assert str(error).startswith("line 3: not valid YAML")


def test_a_missing_part_and_a_stray_part_are_named():
    assert "needs a non-empty list 'domains'" in str(broken(SMALL.split("domains:")[0]))
    error = broken(SMALL + "      - {code: S1, text: One}\nextras: 1\n")
    assert (error.line, error.message) == (15, "'extras' is not part of a scheme file")


def test_a_key_given_twice_is_refused_where_it_repeats():
    error = broken("scheme:\n  key: a\n  key: b\n")
    assert (error.line, error.message) == (3, "'key' is given twice")


def test_an_essential_standard_failed_means_no_level_whatever_the_score(scheme):
    """Ward accreditation schemes hold essential (safety) standards as gateways: a ward with one failed is not
    accredited at any level, however well it scores elsewhere (issue 26: bronze was reachable with one failed)."""
    # ENV1 not met: 34 of 36 = 94.4%, every domain above bronze's floor, but an essential standard failed.
    result = audit_score(scheme, all_met(scheme, ENV1="not_met"))
    assert result.percent == pytest.approx(94.444, abs=0.001)
    assert result.essentials_failed == ("ENV1",)
    assert result.level is None
    assert result.level_name == "Not yet accredited"
    assert result.renew_after_months == 3
    working = result.working()
    assert "Essential standards failed: ENV1; no level can be reached." in working
    assert "Bronze: not reached: essential standards failed (ENV1)." in working


def test_a_scheme_may_cap_a_failed_essential_at_a_named_level():
    text = SMALL.replace('  version: "1"\n', '  version: "1"\n  failed_essential_caps_at: silver\n')
    text = text.replace(
        "points: 1}\n", "points: 1}\n  - {code: not_met, label: Not met, points: 0}\n"
    ).replace(
        "  - {code: gold, name: Gold, overall_at_least: 90}\n",
        "  - {code: gold, name: Gold, overall_at_least: 90}\n  - {code: silver, name: Silver, overall_at_least: 80}\n",
    )
    scheme = scheme_parse(
        text
        + "      - {code: E, text: Essential, essential: true}\n"
        + "".join(f"      - {{code: S{i}, text: Standard {i}}}\n" for i in range(19))
    )
    answers = {f"S{i}": "met" for i in range(19)} | {"E": "partly_met"}  # 39 of 40: not failed, gold
    assert audit_score(scheme, answers).level.code == "gold"
    capped = audit_score(scheme, answers | {"E": "not_met"})  # 38 of 40 = 95%, but E failed: silver at most
    assert capped.level.code == "silver"
    assert "Essential standards failed: E; no level above Silver." in capped.working()


def test_a_cap_that_is_not_a_level_is_refused_with_its_line():
    error = broken(
        SMALL.replace('  version: "1"\n', '  version: "1"\n  failed_essential_caps_at: platinum\n')
    )
    assert error.line == 5
    assert "should be one of the levels' codes, not 'platinum'" in str(error)


def test_a_sampled_standard_is_scored_from_records_meeting_it_against_its_threshold(scheme):
    """A sampled standard ('8 of 10 sets of notes') is scored as the share of records that meet it against the
    scheme's threshold, as record-audit standards are, not as the auditor's overall impression."""
    assert scheme.standards()[0].sample.records == 10
    met = audit_score(scheme, all_met(scheme, SAFE1="8/10"))
    assert met.level.code == "gold"
    assert (
        met.working()[0]
        == "SAFE1: 8 of 10 records = 80%, scored Met (Met needs 8 of 10, Partly met needs 6 of 10)"
    )
    partly = audit_score(scheme, all_met(scheme, SAFE1="7/10"))
    assert partly.samples[0].answer.code == "partly_met"
    assert partly.level.code == "bronze"  # essential not fully met: gold and silver need it
    failed = audit_score(scheme, all_met(scheme, SAFE1="5/10"))
    assert failed.samples[0].answer.code == "not_met"
    assert failed.essentials_failed == ("SAFE1",)
    assert failed.level is None


def test_a_smaller_sample_is_judged_by_its_share_exactly():
    """Fewer records than the scheme asks (only 5 patients on the ward): the share is compared, exactly."""
    text = SMALL + "      - {code: R, text: Records, sample: {records: 10, met: 8, partly_met: 6}}\n"
    scheme = scheme_parse(text)
    assert audit_score(scheme, {"R": "4/5"}).samples[0].answer.code == "met"  # 80% = 8 of 10
    assert audit_score(scheme, {"R": "3/4"}).samples[0].answer.code == "partly_met"  # 75% < 80%
    assert (
        audit_score(scheme, {"R": "not_applicable"}).available == 0
        if scheme.answer("not_applicable")
        else True
    )
    with pytest.raises(ValueError, match="Standard R: the scheme has no answer '11/10'"):
        audit_score(scheme, {"R": "11/10"})


def test_a_sample_rule_naming_a_stranger_or_more_records_than_it_has_is_refused():
    bad_code = broken(SMALL + "      - {code: R, text: R, sample: {records: 10, perfect: 10}}\n")
    assert "'perfect' is not an answer that scores" in str(bad_code)
    too_many = broken(SMALL + "      - {code: R, text: R, sample: {records: 10, met: 12}}\n")
    assert "'met' asks for more than the 10 records" in str(too_many)
    upside_down = broken(SMALL + "      - {code: R, text: R, sample: {records: 10, met: 6, partly_met: 8}}\n")
    assert "'partly_met' must need fewer records than 'met'" in str(upside_down)
