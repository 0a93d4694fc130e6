"""The same measure across the portfolio: small multiples grouped by variation, and CQC ratings over time."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wellled.oversight.portfolio import trajectories_build

pytestmark = pytest.mark.django_db


def test_default_code_is_the_most_shared_and_groups_put_concern_first(director, region, portfolio_trusts):
    built = trajectories_build(user=director, organisation=region)
    assert built.code == "FFT-IP"
    names = [name for name, _ in built.groups]
    assert names[-1] != "No data yet" or len(names) == 1
    grouped = {t.entry.trust.ods_code: name for name, ts in built.groups for t in ts}
    assert grouped["ZNF01"] == "Special cause improvement (high)"
    assert set(grouped) == {"ZNF01", "ZSB01", "ZEM01"}
    assert built.without == []


def test_a_code_some_trusts_lack_lists_them_and_a_measure_without_data(director, region, portfolio_trusts):
    built = trajectories_build(user=director, organisation=region, code="RTT-18")
    assert [e.trust.ods_code for e in built.without] == ["ZEM01"]
    assert built.groups[-1][0] == "No data yet"
    assert [t.entry.trust.ods_code for t in built.groups[-1][1]] == ["ZSB01"]


def test_unknown_code_falls_back_to_the_default(director, region, portfolio_trusts):
    assert trajectories_build(user=director, organisation=region, code="<b>").code == "FFT-IP"


def test_page_draws_one_chart_per_trust_with_data_and_the_ratings_history(login, director, portfolio_trusts):
    html = login(director).get(reverse("oversight-trajectories") + "?measure=FFT-IP").content.decode()
    assert html.count("<svg") >= 3 * 3  # each chart and its two icons
    assert len(re.findall(r'id="trajectory-\d+', html)) >= 3
    assert "Inpatient friends and family (FFT-IP)" in html
    # Ratings over time: Northfield's two inspections, newest first, with the direction of travel.
    rows = re.findall(r'<tr class="nhsuk-table__row" data-trust="ZNF01">(.*?)</tr>', html, re.S)
    assert len(rows) == 2
    assert "1 Jun 2025" in rows[0] and "Declined" in rows[0] and "1 May 2023" in rows[1]
    assert "No CQC rating recorded" not in html


def test_the_measure_choice_is_escaped(login, director, portfolio_trusts):
    response = login(director).get(reverse("oversight-trajectories") + "?measure=%3Cscript%3E")
    assert response.status_code == 200 and "<script>" not in response.content.decode().split("</header>")[1]


def _charts(html: str) -> dict[str, str]:
    """Each chart of the page by the trust's ODS code."""
    cards = re.findall(r'data-trust="(\w+)">.*?(<figure class="wl-chart".*?</figure>)', html, re.S)
    return dict(cards)


def test_kept_charts_are_drawn_again_when_the_measure_or_the_trust_changes(login, director, portfolio_trusts):
    from wellled.core.models import Organisation
    from wellled.measures.models import Measure
    from wellled.measures.services import measure_update

    client = login(director)
    url = reverse("oversight-trajectories") + "?measure=FFT-IP"
    first = _charts(client.get(url).content.decode())
    assert set(first) == {"ZNF01", "ZSB01", "ZEM01"}
    assert _charts(client.get(url).content.decode()) == first  # kept, and the same
    north = portfolio_trusts["north"]
    measure = Measure.objects.get(organisation=north, indicator_code="FFT-IP")
    measure_update(measure=measure, by=None, expected_version=measure.version, target=75)  # audited
    moved = _charts(client.get(url).content.decode())
    assert moved["ZNF01"] != first["ZNF01"]
    assert (moved["ZSB01"], moved["ZEM01"]) == (first["ZSB01"], first["ZEM01"])
    Organisation.objects.filter(pk=north.pk).update(name="Northfield and Fellside NHS Trust")  # not audited
    assert "Northfield and Fellside NHS Trust" in _charts(client.get(url).content.decode())["ZNF01"]
