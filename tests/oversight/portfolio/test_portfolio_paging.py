"""The portfolio and trajectories pages at a region's scale (issue 24, ADR 0052): one page of trusts at a time,
filters in the database, each trust's costly facts worked out for the page only and kept until its next audited
change, the whole table still downloadable, and queries that do not grow with the trusts (2, 20, 60)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wellled.core.audit import audit_record
from wellled.core.choices import AuditAction, Role
from wellled.oversight import portfolio as portfolio_module
from wellled.oversight.portfolio import PortfolioFilters, portfolio_build

from .conftest import trust_with_plan
from .test_portfolio import add_trusts, trust_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(portfolio_module, "PAGE_SIZE", 2)
    monkeypatch.setattr(portfolio_module, "TRAJECTORIES_PAGE_SIZE", 2)


def spc_calls(monkeypatch) -> list[int]:
    from wellled.measures import selectors as measure_selectors
    from wellled.measures import summaries

    calls: list[int] = []
    for module in (measure_selectors, summaries):  # charts drawn one by one, and many summarised at once
        real = module.spc_batch
        monkeypatch.setattr(module, "spc_batch", lambda *a, real=real, **k: calls.append(1) or real(*a, **k))
    return calls


def test_the_page_shows_one_page_of_rows_in_order_and_links_the_next(
    login, director, portfolio_trusts, small_pages
):
    client = login(director)
    url = reverse("oversight-portfolio") + "?sort=overdue&order=desc&segment="
    first = client.get(url).content.decode()
    assert trust_order(first) == ["ZNF01", "ZSB01"]  # the order over all three, cut after two
    assert "3 of 3 trusts" in first and "(page 1 of 2: 1 to 2)" in first
    next_link = re.search(r'href="([^"]*)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "sort=overdue" in next_link and "order=desc" in next_link and next_link.endswith("page=2")
    second = client.get(reverse("oversight-portfolio") + next_link).content.decode()
    assert trust_order(second) == ["ZEM01"]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # A page beyond the last shows the last; nonsense shows the first.
    assert trust_order(client.get(url + "&page=99").content.decode()) == ["ZEM01"]
    assert trust_order(client.get(url + "&page=x").content.decode()) == ["ZNF01", "ZSB01"]


def test_filters_are_applied_by_the_database_and_paged(login, director, portfolio_trusts, small_pages):
    client = login(director)
    html = client.get(reverse("oversight-portfolio") + "?q=trust&sort=trust&order=desc").content.decode()
    assert trust_order(html) == ["ZSB01", "ZNF01"]
    assert "3 of 3 trusts match the filters" in html
    assert trust_order(client.get(reverse("oversight-portfolio") + "?rating=good").content.decode()) == [
        "ZSB01"
    ]


def test_the_download_has_every_matching_row_not_one_page(login, director, portfolio_trusts, small_pages):
    client = login(director)
    html = client.get(reverse("oversight-portfolio")).content.decode()
    assert "Download all 3 rows" in html
    response = client.get(reverse("oversight-portfolio-download", args=["csv"]) + "?sort=overdue&order=desc")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["ZNF01", "ZSB01", "ZEM01"]


def test_costly_facts_are_worked_out_for_the_page_only(director, region, portfolio_trusts, monkeypatch):
    from django.core.cache import cache

    asked: list[list[int]] = []
    real = portfolio_module.trust_facts
    monkeypatch.setattr(portfolio_module, "PAGE_SIZE", 1)
    monkeypatch.setattr(
        portfolio_module, "trust_facts", lambda **k: asked.append(sorted(k["ids"])) or real(**k)
    )
    built = portfolio_build(user=director, organisation=region, page="2")
    assert [r.trust.ods_code for r in built.shown_rows] == ["ZNF01"]
    assert asked == [[portfolio_trusts["north"].pk]]
    asked.clear()
    cache.clear()
    # Sorting by overdue actions needs every matching trust's delivery.
    portfolio_build(user=director, organisation=region, filters=PortfolioFilters(sort="overdue"), page="1")
    assert len(asked[0]) == 3


def test_facts_are_kept_until_the_trusts_next_audited_change(director, region, portfolio_trusts, monkeypatch):
    calls = spc_calls(monkeypatch)
    first = portfolio_build(user=director, organisation=region)
    assert len(calls) == 1
    again = portfolio_build(user=director, organisation=region)
    assert len(calls) == 1  # nothing worked out again
    assert [r.delivery.overdue for r in again.rows] == [r.delivery.overdue for r in first.rows]
    north = portfolio_trusts["north"]
    with transaction.atomic():
        audit_record(
            by=director, organisation=north, action=AuditAction.UPDATE, instance=north, note="changed"
        )
    portfolio_build(user=director, organisation=region)
    assert len(calls) == 2  # the changed trust's facts, and only its, again


def test_trajectories_page_shows_one_page_of_charts(login, director, portfolio_trusts, small_pages):
    client = login(director)
    url = reverse("oversight-trajectories") + "?measure=FFT-IP"
    html = client.get(url).content.decode()
    charted = re.findall(r'<li class="[^"]*" data-trust="([A-Z0-9]+)"', html)
    assert len(charted) == 2 and html.count("<svg") >= 2
    assert 'rel="next"' in html and "measure=FFT-IP&amp;page=2" in html
    later = client.get(url + "&page=2").content.decode()
    more = re.findall(r'<li class="[^"]*" data-trust="([A-Z0-9]+)"', later)
    assert more and not set(more) & set(charted)


def test_trajectories_pages_group_as_every_chart_worked_out_does(director, region, small_pages, monkeypatch):
    """A page groups the trusts by their measures' kept summaries and draws only its own charts; the groups, their
    order and each page's charts are those of working out every trust's chart."""
    from wellled.measures.models import Measure
    from wellled.measures.summaries import stored_refresh

    add_trusts(region, director, 5, 0)
    stored_refresh(Measure.objects.values_list("pk", flat=True))
    whole = portfolio_module.trajectories_build(user=director, organisation=region, code="FFT-IP")
    order = [(name, t.entry.trust_id, t.variation) for name, trusts in whole.groups for t in trusts]
    cache.clear()  # the charts worked out above are kept: count the pages' own
    calls = spc_calls(monkeypatch)
    paged, page = [], 1
    while True:
        built = portfolio_module.trajectories_build(
            user=director, organisation=region, code="FFT-IP", page=page
        )
        assert built.counts == whole.counts
        for name, trusts in built.groups:
            for t in trusts:
                assert t.result is not None and t.result.variation is t.variation
                paged.append((name, t.entry.trust_id, t.variation))
        if not built.page.has_next():
            break
        page += 1
    assert paged == order
    assert len(calls) == page  # one batched call a page, for that page's charts only


def test_a_trust_person_cannot_page_through_a_portfolio(login, people, region, portfolio_trusts):
    client = login(people[Role.VIEWER])
    for name in ("oversight-portfolio", "oversight-trajectories"):
        assert client.get(reverse(name) + "?page=2").status_code == 404


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_queries_do_not_grow_at_2_20_and_60_trusts(login, region, director):
    """Cold (an empty cache) and warm, for both pages and a sort that needs every trust's facts."""
    from django.core.cache import cache

    client = login(director)
    client.get(reverse("dashboard"))  # the first page after signing in writes the session once (which trust)
    urls = [
        reverse("oversight-portfolio"),
        reverse("oversight-portfolio") + "?sort=overdue&order=desc",
        reverse("oversight-trajectories") + "?measure=FFT-IP",
    ]
    counted = {}
    added = 0
    for size in (2, 20, 60):
        add_trusts(region, director, size - added, added)
        added = size
        cold = []
        for u in urls:
            cache.clear()
            cold.append(count_queries(client, u))
        for u in urls:  # every trust's facts and SPC in the cache
            client.get(u)
        warm = [count_queries(client, u) for u in urls]
        counted[size] = (cold, warm)
    assert counted[2] == counted[20] == counted[60], counted
    html = client.get(urls[0]).content.decode()
    assert len(trust_order(html)) == portfolio_module.PAGE_SIZE and "60 of 60 trusts" in html


def test_a_trust_without_measures_or_plans_pages_too(login, region, director, small_pages):
    from wellled.core.services import portfolio_trust_add

    from .conftest import TODAY

    for i in range(3):
        trust = trust_with_plan(f"Bare Trust {i}", f"ZB{i:03d}", actions=0)
        portfolio_trust_add(oversight_body=region, trust=trust, by=None, joined_on=TODAY())
    html = login(director).get(reverse("oversight-portfolio") + "?page=2").content.decode()
    assert trust_order(html) == ["ZB002"]


@pytest.mark.parametrize("sort", ["trust", "segment", "exit", "overdue"])
def test_a_page_describes_its_rows_as_the_whole_table_does(region, director, small_pages, sort):
    """Only the page's rows have their status, exit criteria and regulatory actions read (unless the sort needs
    every row's): each page shows the same rows, in the same order, described as the download describes them."""
    add_trusts(region, director, 5, 0)
    filters = PortfolioFilters(sort=sort, order="desc")
    whole = portfolio_build(user=director, organisation=region, filters=filters).rows

    def described(row):
        status = (row.status.segment, row.status.programme) if row.status else None
        exits = (row.exit.total, row.exit.met, row.exit.sustained)
        return row.trust.ods_code, status, row.months_in_programme, exits, row.regulatory_text

    for number in (1, 2, 3):
        page = portfolio_build(user=director, organisation=region, filters=filters, page=number).page
        start = (number - 1) * portfolio_module.PAGE_SIZE
        expected = whole[start : start + portfolio_module.PAGE_SIZE]
        assert [described(r) for r in page.object_list] == [described(r) for r in expected]
        assert all(r.status is not None and r.exit.total == 2 for r in page.object_list)
