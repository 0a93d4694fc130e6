"""The oversight framework as versioned data (ADR 0048): each status records the edition its segment was given
under, with the 2025/26 meaning by default, its average metric score and rank; the Recovery Support Programme and
the Provider Improvement Programme are one programme renamed.

Written from NHS England's NHS System Oversight Framework 2021/22 (segments 1 to 4, segment 4 the Recovery Support
Programme) and the NHS Oversight Framework 2025/26 with its methodology manual (metrics scored 1 best to 4 worst,
the average placing a trust in segment 1 to 4, the financial override placing a trust in deficit no higher than
segment 3, segment 5 the Provider Improvement Programme, trusts ranked on segment then average score)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from wellled.oversight import services
from wellled.oversight.editions import EditionError, frameworks, frameworks_parse
from wellled.oversight.models import OversightStatus

from .conftest import days_ago

pytestmark = pytest.mark.django_db

MIGRATION = import_module("wellled.oversight.migrations.0003_frameworks_editions_regulatory_actions_exit")


def test_the_2025_26_edition_is_the_default_and_segment_5_is_the_provider_improvement_programme():
    shipped = frameworks()
    assert shipped.default.key == "2025-26"
    current = shipped.edition("2025-26")
    assert current.numbers == (1, 2, 3, 4, 5) and current.scored
    assert current.scored_segments == (1, 2, 3, 4)
    assert "Provider Improvement Programme" in current.segment(5).label
    assert current.financial_override_best_segment == 3


def test_the_2021_23_edition_has_four_segments_and_segment_4_is_the_recovery_support_programme():
    earlier = frameworks().edition("2021-23")
    assert earlier.numbers == (1, 2, 3, 4) and not earlier.scored
    assert "Recovery Support Programme" in earlier.segment(4).label
    assert "mandated" in earlier.segment(3).label
    with pytest.raises(ValueError):
        earlier.segment(5)


def test_a_status_records_its_edition_score_and_rank_and_reads_its_segment_in_that_edition(
    region, org, director, entry
):
    status = services.oversight_status_record(
        oversight_body=region,
        trust=org,
        by=director,
        effective_from=days_ago(10),
        segment=4,
        average_score="3.12",
        rank=118,
        ranked_among=134,
    )
    assert status.edition == "2025-26"
    assert status.average_score == Decimal("3.12") and status.rank_text == "118 of 134"
    assert status.segment_text == "4: Lowest performing quarter (2025/26 framework)"
    older = services.oversight_status_record(
        oversight_body=region,
        trust=org,
        by=director,
        effective_from=days_ago(300),
        segment=4,
        edition="2021-23",
    )
    assert older.segment_text == "4: Intensive support (Recovery Support Programme) (2021–23 framework)"


@pytest.mark.parametrize(
    ("placement", "field"),
    [
        ({"edition": "2021-23", "segment": 5}, "segment"),  # 2021-23 had no segment 5
        ({"edition": "2021-23", "segment": 2, "average_score": "2.0"}, "score"),  # nor scores
        ({"edition": "2021-23", "segment": 2, "rank": 4}, "rank"),  # nor ranks
        ({"segment": 2, "average_score": "4.5"}, "score"),  # a score runs 1.00 to 4.00
        ({"segment": 2, "average_score": "0.9"}, "score"),
        ({"segment": 2, "financial_override": True}, "segment"),  # the override: no higher than 3
        ({"segment": 3, "rank": 200, "ranked_among": 134}, "rank"),
        ({"segment": 3, "edition": "2019"}, "edition"),
    ],
)
def test_a_placement_the_edition_does_not_allow_is_refused_naming_the_field(
    region, org, director, entry, placement, field
):
    with pytest.raises(ValidationError) as caught:
        services.oversight_status_record(
            oversight_body=region, trust=org, by=director, effective_from=days_ago(1), **placement
        )
    assert field in caught.value.message_dict
    assert not OversightStatus.objects.exists()


def test_the_financial_override_allows_segment_3_or_lower(region, org, director, entry):
    status = services.oversight_status_record(
        oversight_body=region,
        trust=org,
        by=director,
        effective_from=days_ago(1),
        segment=3,
        average_score="1.80",
        financial_override=True,
    )
    assert status.financial_override and status.segment == 3


def test_the_renamed_programme_shows_the_name_it_had_on_the_statuss_date(region, org, director, entry):
    names = frameworks()
    assert names.programme_name("recovery_support", datetime.date(2023, 1, 1)) == "Recovery Support Programme"
    assert (
        names.programme_name("recovery_support", datetime.date(2025, 6, 25)) == "Recovery Support Programme"
    )
    assert (
        names.programme_name("recovery_support", datetime.date(2025, 6, 26))
        == "Provider Improvement Programme"
    )
    assert names.programme_name("none", datetime.date(2025, 6, 26)) is None
    status = OversightStatus(
        oversight_body=region,
        trust=org,
        effective_from=datetime.date(2022, 3, 1),
        segment=4,
        edition="2021-23",
        programme="recovery_support",
    )
    assert status.programme_name == "Recovery Support Programme"
    status.effective_from = datetime.date(2025, 9, 1)
    assert status.programme_name == "Provider Improvement Programme"


def test_existing_statuses_are_migrated_to_the_2021_23_edition_and_one_programme(region, org, director):
    def made(segment, programme):
        return OversightStatus.objects.create(
            oversight_body=region,
            trust=org,
            effective_from=days_ago(400),
            segment=segment,
            edition="2025-26",
            programme=programme,
            recorded_by=director,
        )

    old_four = made(4, "recovery_support")
    old_five = made(5, "provider_improvement")
    MIGRATION.statuses_to_editions(apps, None)
    old_four = OversightStatus.objects.get(pk=old_four.pk)
    old_five = OversightStatus.objects.get(pk=old_five.pk)
    assert old_four.edition == "2021-23"  # its meaning stays intensive support, not "lowest quarter"
    assert "Recovery Support Programme" in old_four.segment_text
    assert (old_five.edition, old_five.programme) == ("2025-26", "recovery_support")


def test_a_frameworks_file_with_gaps_or_unknown_default_is_refused():
    base = {
        "default": "x",
        "editions": [
            {
                "key": "x",
                "name": "X",
                "short": "X",
                "published": "2025-01-01",
                "scored": False,
                "intensive_support_segment": 2,
                "segments": {1: {"label": "a", "meaning": "a"}, 3: {"label": "b", "meaning": "b"}},
            }
        ],
    }
    with pytest.raises(EditionError, match="without gaps"):
        frameworks_parse(base)
    base["editions"][0]["segments"] = {1: {"label": "a", "meaning": "a"}, 2: {"label": "b", "meaning": "b"}}
    assert frameworks_parse(base).default.key == "x"
    with pytest.raises(EditionError):
        frameworks_parse({**base, "default": "y"})
    with pytest.raises(EditionError, match="date order"):
        frameworks_parse(
            {
                **base,
                "programmes": {
                    "p": {"names": [{"from": "2025-01-01", "name": "B"}, {"from": "2021-01-01", "name": "A"}]}
                },
            }
        )
