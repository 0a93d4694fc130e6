"""The portfolio page of an oversight body: who may see it (tried), what each column says, sorting, filtering,
and that its queries do not grow with the number of trusts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import make_person

from wellled.core.choices import Role
from wellled.core.models import PortfolioEntry
from wellled.core.services import portfolio_trust_add, portfolio_trust_remove
from wellled.oversight import portfolio as portfolio_module
from wellled.oversight.portfolio import PortfolioFilters, months_between, portfolio_build
from wellled.spc import Assurance, Variation

from .conftest import TODAY, coded_measure, make_region, trust_with_plan

pytestmark = pytest.mark.django_db


def rows_by_ods(portfolio):
    return {r.trust.ods_code: r for r in portfolio.rows}


def trust_order(html: str) -> list[str]:
    return re.findall(r'<tr class="nhsuk-table__row" data-trust="([A-Z0-9]+)"', html)


# Who may see it ------------------------------------------------------------------------------------------------


def test_a_trust_person_gets_404_for_the_portfolio_pages(login, people, region, portfolio_trusts):
    trust_admin = make_person(portfolio_trusts["north"], role=Role.ADMINISTRATOR)
    for person in (trust_admin, people[Role.ADMINISTRATOR]):
        client = login(person)
        assert client.get(reverse("oversight-portfolio")).status_code == 404
        assert client.get(reverse("oversight-trajectories")).status_code == 404


def test_the_director_working_in_a_lent_trust_gets_404_not_the_trust_as_a_portfolio(
    login, director, portfolio_trusts
):
    client = login(director)
    switched = client.post(
        reverse("organisation-switch"), {"organisation": portfolio_trusts["north"].pk, "next": "/"}
    )
    assert switched.status_code == 302
    assert client.get(reverse("oversight-portfolio")).status_code == 404


def test_another_body_sees_only_its_own_portfolio(login, region, director, portfolio_trusts):
    other = make_region("NHS England Other Region", "ZR002")
    theirs = trust_with_plan("Westbrook Mental Health NHS Trust", "ZWB01")
    portfolio_trust_add(oversight_body=other, trust=theirs, by=None, joined_on=TODAY())
    portfolio_trust_add(oversight_body=other, trust=portfolio_trusts["east"], by=None, joined_on=TODAY())
    other_person = make_person(other, role=Role.VIEWER, username="other-director")
    client = login(other_person)
    html = client.get(reverse("oversight-portfolio")).content.decode()
    assert trust_order(html) == ["ZEM01", "ZWB01"]
    assert "Northfield" not in html and "Southby" not in html
    # Their own records of a shared trust are theirs; the region's exit criteria and status are not shown.
    assert "None agreed" in html and "No status recorded" in html
    client.logout()
    mine = login(director).get(reverse("oversight-portfolio")).content.decode()
    assert "ZWB01" not in mine and "Westbrook" not in mine


def test_a_trust_that_left_is_gone_and_one_joining_later_is_not_there_yet(director, region, portfolio_trusts):
    entry = PortfolioEntry.objects.get(oversight_body=region, trust=portfolio_trusts["south"])
    portfolio_trust_remove(entry=entry, by=None, left_on=TODAY())
    later = trust_with_plan("Later Joining NHS Trust", "ZLJ01")
    portfolio_trust_add(
        oversight_body=region, trust=later, by=None, joined_on=TODAY() + datetime.timedelta(days=5)
    )
    built = portfolio_build(user=director, organisation=region)
    assert set(rows_by_ods(built)) == {"ZNF01", "ZEM01"}
    trajectories = portfolio_module.trajectories_build(user=director, organisation=region)
    shown = {t.entry.trust.ods_code for _, ts in trajectories.groups for t in ts}
    assert shown == {"ZNF01", "ZEM01"}


def test_the_page_never_shows_a_trust_outside_the_portfolio(
    login, director, portfolio_trusts, other_org, outsider
):
    coded_measure(other_org, "FFT-IP", [10.0] * 20, name="Southvale FFT")
    for name in ("oversight-portfolio", "oversight-trajectories"):
        html = login(director).get(reverse(name) + "?measure=FFT-IP&q=Southvale").content.decode()
        assert "Southvale" in html  # only as the search text typed
        assert "ZST01" not in html and "Southvale FFT" not in html
    built = portfolio_build(user=director, organisation=director.memberships.get().organisation)
    assert other_org.pk not in {r.trust.pk for r in built.rows}


def test_someone_who_left_the_body_sees_nothing(director, region, portfolio_trusts):
    from django.http import Http404

    from wellled.core.services import person_deactivate

    admin = make_person(region, role=Role.ADMINISTRATOR)
    membership = director.memberships.get(organisation=region)
    person_deactivate(membership=membership, by=admin, expected_version=membership.version)
    with pytest.raises(Http404):
        portfolio_build(user=director, organisation=region)


def test_the_pages_only_read(login, director, portfolio_trusts):
    client = login(director)
    for name in ("oversight-portfolio", "oversight-trajectories"):
        assert client.post(reverse(name), {"segment": "1"}).status_code == 405


# Each column against constructed data -------------------------------------------------------------------------


def test_status_segment_programme_and_months(director, region, portfolio_trusts):
    rows = rows_by_ods(portfolio_build(user=director, organisation=region))
    north, south, east = rows["ZNF01"], rows["ZSB01"], rows["ZEM01"]
    assert north.status.segment == 4 and north.programme_label == "Provider Improvement Programme"
    assert north.months_in_programme == months_between(TODAY() - datetime.timedelta(days=430), TODAY())
    assert 13 <= north.months_in_programme <= 14
    assert south.status.segment == 2  # the segment 5 from next month is not yet in force
    assert not south.in_programme and south.months_in_programme is None
    assert east.status is None and east.segment_label == "No status recorded"


def test_months_between_counts_whole_months():
    assert months_between(datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)) == 0
    assert months_between(datetime.date(2026, 1, 15), datetime.date(2026, 2, 15)) == 1
    assert months_between(datetime.date(2024, 12, 1), datetime.date(2026, 12, 3)) == 24


def test_latest_cqc_ratings_with_direction_since_the_previous(director, region, portfolio_trusts):
    rows = rows_by_ods(portfolio_build(user=director, organisation=region))
    north = rows["ZNF01"].ratings
    assert (
        north["overall"].rating.rating == "requires_improvement" and north["overall"].direction == "declined"
    )
    assert north["safe"].rating.rating == "inadequate" and north["safe"].direction == "declined"
    assert north["well_led"].direction == "unchanged"
    assert "caring" not in north
    assert rows["ZEM01"].ratings["overall"].direction == "improved"
    assert rows["ZSB01"].ratings["overall"].direction == ""


def test_plan_delivery_counts_overdue_and_awaited(director, region, portfolio_trusts):
    rows = rows_by_ods(portfolio_build(user=director, organisation=region))
    north = rows["ZNF01"].delivery
    counts = {(s.code if s else None): n for s, n in north.counts}
    assert counts["G"] == 1 and counts["A/G"] == 1 and counts[None] == 2 and north.total == 4
    assert north.overdue == 3  # the G one is delivered; the others are past last March
    assert north.awaited == 2  # two have no update in the open cycle
    south = rows["ZSB01"].delivery
    assert (south.total, south.overdue, south.awaited) == (2, 2, 0)  # no open cycle: nothing awaited
    east = rows["ZEM01"].delivery
    assert (east.total, east.overdue, east.awaited) == (1, 0, 0)


def test_exit_criteria_by_latest_judgement(director, region, portfolio_trusts):
    rows = rows_by_ods(portfolio_build(user=director, organisation=region))
    north = rows["ZNF01"].exit
    assert (north.total, north.met, north.partly_met, north.not_met, north.not_judged) == (4, 1, 1, 1, 1)
    assert rows["ZSB01"].exit.total == 0


def test_key_measures_default_to_the_most_shared_codes(director, region, portfolio_trusts):
    built = portfolio_build(user=director, organisation=region)
    assert [k.code for k in built.key_measures] == ["FFT-IP", "RTT-18"]  # OWN-1 is one trust's only
    assert not built.key_measures_chosen
    fft = next(k for k in built.key_measures if k.code == "FFT-IP")
    assert fft.name == "Inpatient friends and family" and fft.trusts == 3  # the name most trusts use
    rows = rows_by_ods(built)
    north = rows["ZNF01"].measures["FFT-IP"]
    assert north.variation == Variation.IMPROVEMENT_HIGH and north.latest == 80.0
    assert north.assurance == Assurance.PASS
    assert rows["ZEM01"].measures["FFT-IP"].assurance == Assurance.FAIL
    assert rows["ZEM01"].measures["RTT-18"] is None  # no such measure
    assert not rows["ZSB01"].measures["RTT-18"].has_data  # the measure, but no data yet


def test_key_measures_chosen_in_the_address(login, director, region, portfolio_trusts):
    built = portfolio_build(
        user=director, organisation=region, filters=PortfolioFilters(codes=("OWN-1", "NOPE"))
    )
    assert [k.code for k in built.key_measures] == ["OWN-1"] and built.key_measures_chosen
    html = login(director).get(reverse("oversight-portfolio") + "?measure=OWN-1").content.decode()
    assert 'data-code="OWN-1"' in html and 'data-code="FFT-IP"' not in html


def test_the_page_shows_every_column_with_words_beside_colours(login, director, portfolio_trusts):
    html = login(director).get(reverse("oversight-portfolio")).content.decode()
    assert trust_order(html) == ["ZEM01", "ZNF01", "ZSB01"]
    assert "Provider Improvement Programme" in html  # the programme's name on the status's date
    assert "Requires improvement" in html and "Declined" in html and "Improved" in html
    assert "<strong>1 of 4</strong> met" in html
    assert (
        '>G<span class="nhsuk-u-visually-hidden"> (Complete)</span>' in html
    )  # code and label on the colour
    assert "Special cause improvement (high)" in html and "Consistently failing the target" in html
    # The trust's name leads where the one helper says: the body's oversight page of the trust.
    link = portfolio_module.trust_link(portfolio_trusts["north"])
    assert f'href="{link}"' in html
    for key in (
        "trust",
        "segment",
        "programme",
        "months",
        "rating",
        "overdue",
        "awaited",
        "exit",
        "concerns",
    ):
        assert f'data-sort="{key}"' in html
    assert 'aria-sort="ascending"' in html


# Sorting and filtering ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=trust&order=desc", ["ZSB01", "ZNF01", "ZEM01"]),
        ("sort=segment&order=desc", ["ZNF01", "ZSB01", "ZEM01"]),  # no status last, either way
        ("sort=segment&order=asc", ["ZSB01", "ZNF01", "ZEM01"]),
        ("sort=rating&order=asc", ["ZNF01", "ZSB01", "ZEM01"]),
        ("sort=overdue&order=desc", ["ZNF01", "ZSB01", "ZEM01"]),
        ("sort=awaited&order=desc", ["ZNF01", "ZEM01", "ZSB01"]),
        ("sort=exit&order=asc", ["ZNF01", "ZEM01", "ZSB01"]),
        ("sort=months&order=desc", ["ZNF01", "ZEM01", "ZSB01"]),
        ("sort=nonsense", ["ZEM01", "ZNF01", "ZSB01"]),
    ],
)
def test_sorting_by_each_column(login, director, portfolio_trusts, query, expected):
    response = login(director).get(reverse("oversight-portfolio") + "?" + query)
    assert response.status_code == 200
    assert trust_order(response.content.decode()) == expected


def test_sort_header_says_how_it_is_sorted_and_flips(login, director, portfolio_trusts):
    html = login(director).get(reverse("oversight-portfolio") + "?sort=overdue&order=desc").content.decode()
    header = re.search(r'<th[^>]*aria-sort="descending"[^>]*>\s*<a href="\?([^"]*)" data-sort="(\w+)"', html)
    assert header and header.group(2) == "overdue" and "order=asc" in header.group(1)
    assert html.count('aria-sort="none"') == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("segment=4", ["ZNF01"]),
        ("segment=none", ["ZEM01"]),
        ("programme=recovery_support", ["ZNF01"]),
        ("rating=good", ["ZSB01"]),
        ("rating=outstanding", ["ZEM01"]),
        ("q=south", ["ZSB01"]),
        ("q=zem01", ["ZEM01"]),
        ("segment=2&rating=inadequate", []),
        ("segment=9&programme=bogus&rating=x", ["ZEM01", "ZNF01", "ZSB01"]),  # unknown values are ignored
    ],
)
def test_filters(login, director, portfolio_trusts, query, expected):
    response = login(director).get(reverse("oversight-portfolio") + "?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert trust_order(html) == expected
    if not expected:
        assert "No trust of the portfolio matches the filters" in html


def test_sort_links_keep_the_filters(login, director, portfolio_trusts):
    html = login(director).get(reverse("oversight-portfolio") + "?segment=4&measure=OWN-1").content.decode()
    link = re.search(r'<a href="\?([^"]*)" data-sort="overdue"', html).group(1).replace("&amp;", "&")
    assert "segment=4" in link and "measure=OWN-1" in link and "sort=overdue" in link


# Constant queries ---------------------------------------------------------------------------------------------


def add_trusts(region, director, n, start):
    from .conftest import cqc_ratings, exit_criteria, oversight_status

    for i in range(start, start + n):
        trust = trust_with_plan(f"Extra Trust {i}", f"ZX{i:03d}", actions=2, delivered=1)
        portfolio_trust_add(oversight_body=region, trust=trust, by=None, joined_on=TODAY())
        oversight_status(region, trust, director, segment=1 + i % 4)
        cqc_ratings(trust, datetime.date(2024, 1, 1), {"overall": "good", "safe": "good"})
        cqc_ratings(trust, datetime.date(2025, 1, 1), {"overall": "requires_improvement"})
        exit_criteria(region, trust, director, [["met"], ["not_met", "partly_met"]])
        coded_measure(trust, "FFT-IP", [60.0 + i % 5 for _ in range(15)], target=60)
        coded_measure(trust, "RTT-18", [70.0 + (j % 3) for j in range(15)])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_portfolio(login, region, director, monkeypatch):
    from wellled.measures import selectors as measure_selectors
    from wellled.measures import summaries as measure_summaries

    calls = []
    real = measure_selectors.spc_batch
    monkeypatch.setattr(measure_selectors, "spc_batch", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(measure_summaries, "spc_batch", lambda *a, **k: calls.append(1) or real(*a, **k))
    from wellled.measures.models import Measure

    def keep_summaries():  # as the measures' services do; the helpers here load figures around them
        measure_summaries.stored_refresh(Measure.objects.values_list("pk", flat=True))
        calls.clear()

    add_trusts(region, director, 2, 0)
    keep_summaries()
    client = login(director)
    urls = [reverse("oversight-portfolio"), reverse("oversight-trajectories") + "?measure=FFT-IP"]
    client.get(reverse("dashboard"))  # the first page after signing in writes the session once (which trust)
    small = [count_queries(client, u) for u in urls]
    # The portfolio and the trajectories' groups read the kept summaries; one batched SPC call draws the page's
    # charts (the key measures are all XmR).
    assert len(calls) == 1
    add_trusts(region, director, 4, 2)
    keep_summaries()
    large = [count_queries(client, u) for u in urls]
    assert large == small, (small, large)
    assert len(calls) == 1
    assert trust_order(client.get(urls[0]).content.decode()).__len__() == 6


def test_builder_queries_are_constant_and_few(region, director, django_assert_max_num_queries):
    add_trusts(region, director, 6, 0)
    # 15: the portfolio, statuses, ratings, the exit criteria and their judgements (to read each as sustained), the
    # regulatory actions in force, the indicator codes counted (2), each trust's latest audit record (the facts'
    # cache key, ADR 0052), delivery (3), the key measures, their stored summaries and, as these test measures
    # have none stored, their figures and rebases.
    with django_assert_max_num_queries(16):
        built = portfolio_build(user=director, organisation=region)
    assert len(built.rows) == 6


def test_templates_do_not_query(login, director, portfolio_trusts, monkeypatch):
    """Rendering gets every figure from the view: the database is shut while the template renders."""
    from django.template.backends.jinja2 import Template

    real = Template.render

    def shut(self, context=None, request=None):
        with connection.execute_wrapper(refuse):
            return real(self, context, request)

    def refuse(*args, **kwargs):
        raise AssertionError("a template queried the database")

    client = login(director)
    monkeypatch.setattr(Template, "render", shut)
    for url in (reverse("oversight-portfolio"), reverse("oversight-trajectories")):
        assert client.get(url).status_code == 200
