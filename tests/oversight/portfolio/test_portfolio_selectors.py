"""The batch selectors the portfolio reads through: many organisations at once, each only if the person may see
it (own membership, or a portfolio holding it today), as `scoped` decides for one."""

from __future__ import annotations

import pytest

from wellled.assessments.selectors import trust_cqc_timelines
from wellled.core.models import DeliveryStatus
from wellled.core.selectors import scoped_many
from wellled.measures.selectors import indicator_measures, spc_results_batch
from wellled.plans.selectors import delivery_by_organisation
from wellled.spc import Variation

from .conftest import coded_measure

pytestmark = pytest.mark.django_db


def test_scoped_many_admits_own_and_lent_organisations_only(
    director, portfolio_trusts, org, other_org, people
):
    trusts = [t.pk for t in portfolio_trusts.values()]
    everyone = [*trusts, org.pk, other_org.pk]
    seen = set(
        scoped_many(DeliveryStatus.objects.all(), user=director, organisations=everyone).values_list(
            "organisation_id", flat=True
        )
    )
    assert seen == set(trusts)
    mine = set(
        scoped_many(DeliveryStatus.objects.all(), user=people["viewer"], organisations=everyone).values_list(
            "organisation_id", flat=True
        )
    )
    assert mine == {org.pk}


def test_batch_selectors_return_nothing_of_a_trust_outside_the_portfolio(
    director, portfolio_trusts, outsider
):
    other = outsider.memberships.get().organisation
    coded_measure(other, "FFT-IP", [1.0, 2.0, 3.0])
    assert delivery_by_organisation(user=director, organisations=[other.pk])[other.pk].total == 0
    assert trust_cqc_timelines(user=director, organisations=[other.pk])[other.pk] == []
    assert indicator_measures(user=director, organisations=[other.pk]) == []
    north = portfolio_trusts["north"]
    assert delivery_by_organisation(user=director, organisations=[north.pk])[north.pk].total == 4
    # And the other trust's own administrator sees their own, not the portfolio's.
    assert [
        m.organisation_id for m in indicator_measures(user=outsider, organisations=[other.pk, north.pk])
    ] == [other.pk]


def test_spc_results_batch_draws_each_measure_in_its_own_direction(director, portfolio_trusts):
    north = portfolio_trusts["north"]
    falling = coded_measure(north, "WAIT", [80.0] * 12 + [50.0] * 9, direction="decrease", name="Waits")
    rising = indicator_measures(user=director, organisations=[north.pk], codes=["FFT-IP"])
    results = spc_results_batch([falling, *rising])
    assert results[falling.pk][1].variation == Variation.IMPROVEMENT_LOW
    assert results[rising[0].pk][1].variation == Variation.IMPROVEMENT_HIGH
    assert len(results[falling.pk][0].dates) == 21
