"""The scoring convention is read from the shipped YAML, and the rules the app applies come from it."""

import datetime

import pytest
import yaml

from wellled.risks.convention import CONVENTION_FILE, ConventionError, convention, convention_parse

RAW = yaml.safe_load(CONVENTION_FILE.read_text(encoding="utf-8"))


def test_score_is_likelihood_times_consequence_for_every_cell_of_the_matrix():
    conv = convention()
    for lk in range(1, 6):
        for ck in range(1, 6):
            assert conv.score(lk, ck) == lk * ck


def test_only_the_fourteen_products_of_the_5x5_matrix_are_possible_scores():
    assert convention().possible_scores == (1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "low"),
        (3, "low"),
        (4, "moderate"),
        (6, "moderate"),
        (8, "high"),
        (12, "high"),
        (15, "extreme"),
        (25, "extreme"),
    ],
)
def test_band_follows_the_yaml_when_a_score_is_at_a_band_edge(score, band):
    assert convention().band(score).key == band


@pytest.mark.parametrize(("likelihood", "consequence"), [(0, 3), (6, 1), (3, 0), (2, 9)])
def test_score_refused_when_likelihood_or_consequence_is_off_the_scale(likelihood, consequence):
    with pytest.raises(ValueError, match="from 1 to 5"):
        convention().score(likelihood, consequence)


def test_escalation_starts_at_the_yaml_threshold_when_the_organisation_sets_none():
    conv = convention()
    assert conv.escalation_threshold == RAW["escalation_threshold"] == 15
    assert conv.escalates(15) and conv.escalates(16)
    assert not conv.escalates(12)
    assert conv.escalates(12, threshold=12)


def test_next_review_uses_the_bands_interval_when_reviewed():
    day = datetime.date(2026, 12, 1)
    assert convention().next_review(day, 20) == day + datetime.timedelta(days=RAW["review_days"]["extreme"])
    assert convention().next_review(day, 2) == day + datetime.timedelta(days=RAW["review_days"]["low"])


def test_convention_refused_when_bands_leave_a_score_out():
    broken = {**RAW, "bands": [b for b in RAW["bands"] if b["key"] != "high"]}
    with pytest.raises(ConventionError, match="score 8"):
        convention_parse(broken)


def test_convention_refused_when_bands_overlap():
    bands = [dict(b) for b in RAW["bands"]]
    bands[1]["max"] = 8
    with pytest.raises(ConventionError, match="exactly one band"):
        convention_parse({**RAW, "bands": bands})


def test_convention_refused_when_threshold_is_not_a_possible_score():
    with pytest.raises(ConventionError, match="threshold 14"):
        convention_parse({**RAW, "escalation_threshold": 14})


def test_convention_refused_when_a_scale_misses_a_level():
    likelihood = {k: v for k, v in RAW["likelihood"].items() if k != 3}
    with pytest.raises(ConventionError, match="likelihood"):
        convention_parse({**RAW, "likelihood": likelihood})
