"""Benchmark of the risk registers: `python bench/risks.py` prints best-of-N times and query counts.

The case: a trust with 5,000 risks across 10 directorates (three scores each in the history), 15 of them principal
risks on the BAF with three controls, two assurances per control and two linked actions each. The register page,
the heat map, overdue reviews, the BAF page and a risk's page are fetched through Django's test client as a
governance editor, first with 500 risks and then with 5,000: a count that grew with the register would show. Then
the BAF paper is built and rendered in each format, and issued whole.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import sys
import time

from _django import remove, throwaway_django

SMALL, LARGE, PRINCIPAL = 500, 5_000, 15


def build(org, editor, units, categories, start: int, stop: int, today: datetime.date) -> None:
    """Risks numbered start..stop-1, written in bulk (the services are measured elsewhere): scores vary by number."""
    from django.utils import timezone

    from wellled.risks.models import Risk, RiskScore

    moment = timezone.now()
    risks = []
    for n in range(start, stop):
        lk, ck = 1 + n % 5, 1 + (n // 5) % 5
        risks.append(
            Risk(
                organisation=org,
                unit=units[n % len(units)],
                reference=f"R{n}",
                title=f"Operational risk number {n}",
                category=categories[n % len(categories)],
                owner=editor,
                opened_on=today - datetime.timedelta(days=400),
                inherent_likelihood=5,
                inherent_consequence=ck,
                current_likelihood=lk,
                current_consequence=ck,
                current_score=lk * ck,
                target_likelihood=1,
                target_consequence=ck,
                escalated=lk * ck >= 15,
                next_review_on=today + datetime.timedelta(days=(n % 90) - 10),
            )
        )
    Risk.objects.bulk_create(risks, batch_size=1000)
    scores = []
    for risk in Risk.objects.filter(organisation=org, reference__in=[r.reference for r in risks]):
        for kind in ("inherent", "current", "target"):
            lk, ck = risk.scores(kind)
            scores.append(
                RiskScore(
                    risk=risk,
                    kind=kind,
                    likelihood=lk,
                    consequence=ck,
                    score=lk * ck,
                    recorded_at=moment - datetime.timedelta(days=400),
                )
            )
    RiskScore.objects.bulk_create(scores, batch_size=2000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per case; the best is reported")
    args = parser.parse_args()
    data_dir = throwaway_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from wellled.core.choices import Role, UnitKind
    from wellled.core.models import OrganisationUnit
    from wellled.core.services import organisation_create, person_create
    from wellled.plans import services as plan_services
    from wellled.plans.choices import PlanKind, PlanOrganisedBy
    from wellled.risks import services
    from wellled.risks.baf_paper import baf_paper_build
    from wellled.risks.baf_render import FORMATS, render
    from wellled.risks.models import Risk
    from wellled.risks.paper_kind import baf_paper_issue

    today = timezone.localdate()
    org = organisation_create(name="Bench Trust", ods_code="ZBR", by=None)
    editor = person_create(
        username="editor",
        by=None,
        organisation=org,
        role=Role.GOVERNANCE_EDITOR,
        password=None,
        first_name="Bench",
        last_name="Editor",
    )
    units = [
        OrganisationUnit.objects.create(organisation=org, kind=UnitKind.DIRECTORATE, name=f"Directorate {i}")
        for i in range(10)
    ]
    categories = [
        services.category_create(
            organisation=org, by=editor, name=f"Category {i}", appetite="cautious", tolerance=12
        )
        for i in range(5)
    ]
    objectives = [
        services.objective_create(organisation=org, by=editor, code=f"SO{i}", title=f"Objective {i}")
        for i in range(1, 6)
    ]
    plan = plan_services.plan_create(
        organisation=org,
        by=editor,
        name="Bench plan",
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.WORKSTREAM,
    )
    actions = [
        plan_services.action_create(
            plan=plan, by=editor, reference=f"A{i}", title=f"Mitigating action {i}", due_date=today
        )
        for i in range(PRINCIPAL * 2)
    ]
    for i in range(PRINCIPAL):
        risk = services.risk_create(
            organisation=org,
            by=editor,
            reference=f"BAF{i + 1}",
            title=f"Principal risk {i + 1} to the strategy",
            inherent=(5, 5),
            current=(3 + i % 3, 4),
            target=(2, 3),
            owner=editor,
            category=categories[i % 5],
            controls=[f"Control {c} of principal risk {i + 1}" for c in range(3)],
            actions=actions[2 * i : 2 * i + 2],
            gaps_in_control="Not every ward reports daily.",
            gaps_in_assurance="No independent audit this year.",
        )
        for control in risk.controls.all():
            for line in ("first", "second"):
                services.assurance_add(
                    control=control, by=editor, source=f"{line} line report", line=line, level="reasonable"
                )
        services.risk_baf_set(
            risk=risk,
            by=editor,
            expected_version=risk.version,
            principal=True,
            objective=objectives[i % 5],
            lead_committee="Quality committee",
            lead_executive=editor,
            assurance_rating="limited",
        )
    client = Client()
    client.force_login(editor)
    sample = Risk.objects.get(reference="BAF1")
    pages = {
        "register, page 1": "/risks/",
        "register, filtered to a directorate and band": f"/risks/?unit={units[3].pk}&band=high",
        "heat map": "/risks/heat-map/",
        "overdue reviews": "/risks/overdue/",
        "BAF page (15 principal risks)": "/baf/",
        "a principal risk's page": f"/risks/{sample.pk}/",
    }

    def measure_pages():
        found = {}
        for name, url in pages.items():

            def fetch(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                fetch()
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                fetch()
                times.append(time.perf_counter() - start)
            found[name] = (min(times), len(queries.captured_queries))
        return found

    build(org, editor, units, categories, 0, SMALL - PRINCIPAL, today)
    small = measure_pages()
    build(org, editor, units, categories, SMALL - PRINCIPAL, LARGE - PRINCIPAL, today)
    large = measure_pages()
    print(
        f"Risk pages: {SMALL:,} then {LARGE:,} risks, SQLite file database, best of {args.repeat}; "
        f"Python {platform.python_version()} on {platform.machine()}"
    )
    print(f"| page | queries, {SMALL:,} risks | queries, {LARGE:,} risks | time, {LARGE:,} risks |")
    print("|---|---|---|---|")
    for name in pages:
        print(f"| {name} | {small[name][1]} | {large[name][1]} | {large[name][0] * 1000:.0f} ms |")

    print(f"\nBAF paper: {PRINCIPAL} principal risks, heat map over {LARGE:,} risks, best of {args.repeat}")
    print("| step | time | size |")
    print("|---|---|---|")
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        paper = baf_paper_build(user=editor, organisation=org, as_at=today)
        times.append(time.perf_counter() - start)
    print(f"| build (selectors, scores as at the date) | {min(times):.2f} s | |")
    for fmt in FORMATS:
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            content = render(paper, fmt)
            times.append(time.perf_counter() - start)
        print(f"| render {fmt.upper()} | {min(times):.2f} s | {len(content) / 1024:,.0f} KiB |")
    start = time.perf_counter()
    baf_paper_issue(organisation=org, as_at=today, by=editor)
    print(f"| issue (build, every format, store with checksums) | {time.perf_counter() - start:.2f} s | |")
    remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
