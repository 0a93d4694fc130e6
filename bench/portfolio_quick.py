"""Quick local benchmark of an oversight body's portfolio: `python bench/portfolio_quick.py --trusts 30` prints
best-of-N figures and query counts for the portfolio page, the trajectories page and `wellled portfolio`.

Each trust: a plan of 20 actions (a third updated, an open cycle), an oversight status, two CQC inspections,
five exit criteria with judgements, and 8 coded monthly measures of 36 months. Runs on a throwaway SQLite
database. (The 220-trust run against the synthetic demo is bench/portfolio_scale.py.)
"""

from __future__ import annotations

import argparse
import datetime
import io
import random
import sys
import tempfile
from pathlib import Path

from _django import best_of, remove, throwaway_django

ACTIONS = 20
MEASURES = 8
MONTHS = 36


def build(trusts: int):
    from django.utils import timezone

    from wellled.assessments.models import PublishedRating
    from wellled.core.choices import OrganisationKind, Role
    from wellled.core.models import DeliveryStatus
    from wellled.core.services import organisation_create, person_create, portfolio_trust_add
    from wellled.measures.models import Measure, MeasureValue
    from wellled.oversight.models import ExitCriterion, ExitCriterionJudgement, OversightStatus
    from wellled.plans import services as plans
    from wellled.plans.choices import PlanKind, PlanOrganisedBy

    rng = random.Random(16)
    today = timezone.localdate()
    region = organisation_create(
        name="Benchmark Region", ods_code="ZRB01", by=None, kind=OrganisationKind.OVERSIGHT
    )
    director = person_create(
        username="director", by=None, organisation=region, role=Role.GOVERNANCE_EDITOR, first_name="Dee"
    )
    first = today.replace(day=1)
    start = first.year * 12 + first.month - 1 - MONTHS
    months = [datetime.date((start + i) // 12, (start + i) % 12 + 1, 1) for i in range(MONTHS)]
    ratings = ["outstanding", "good", "requires_improvement", "inadequate"]
    for t in range(trusts):
        trust = organisation_create(name=f"Benchmark Trust {t + 1:03d}", ods_code=f"ZB{t:03d}", by=None)
        editor = person_create(
            username=f"editor{t}", by=None, organisation=trust, role=Role.GOVERNANCE_EDITOR, first_name="Ed"
        )
        portfolio_trust_add(oversight_body=region, trust=trust, by=None, joined_on=today)
        plan = plans.plan_create(
            organisation=trust,
            by=editor,
            name="Improvement plan",
            kind=PlanKind.SELF_REVIEW,
            organised_by=PlanOrganisedBy.WORKSTREAM,
        )
        statuses = list(DeliveryStatus.objects.filter(organisation=trust))
        actions = [
            plans.action_create(
                plan=plan,
                by=editor,
                reference=f"A{a + 1}",
                title=f"Action {a + 1}",
                lead=editor,
                due_date=today + datetime.timedelta(days=rng.randint(-200, 200)),
            )
            for a in range(ACTIONS)
        ]
        plans.cycle_open(plan=plan, by=editor, name="Board", position_as_at=today, update_deadline=today)
        for action in actions[: ACTIONS // 3]:
            plans.progress_update_record(
                action=action,
                by=editor,
                narrative="Noted.",
                status=rng.choice(statuses),
                expected_version=None,
            )
        OversightStatus.objects.create(
            oversight_body=region,
            trust=trust,
            effective_from=today - datetime.timedelta(days=30),
            segment=rng.randint(1, 5),
            programme="recovery_support" if t % 3 == 0 else "none",
            programme_entered_on=today - datetime.timedelta(days=400) if t % 3 == 0 else None,
            improvement_director=director,
            recorded_by=director,
        )
        for year in (2022, 2025):
            PublishedRating.objects.bulk_create(
                PublishedRating(
                    organisation=trust,
                    key_question=kq,
                    rating=rng.choice(ratings),
                    rated_on=datetime.date(year, 3, 1),
                    source="imported",
                )
                for kq in ("overall", "safe", "effective", "caring", "responsive", "well_led")
            )
        for c in range(5):
            criterion = ExitCriterion.objects.create(
                oversight_body=region, trust=trust, reference=f"EC{c + 1}", title="Criterion", agreed_on=today
            )
            for j in range(2):
                ExitCriterionJudgement.objects.create(
                    criterion=criterion,
                    judgement=rng.choice(["met", "partly_met", "not_met"]),
                    judged_on=today - datetime.timedelta(days=60 - 30 * j),
                    rationale="Reviewed.",
                    judged_by=director,
                )
        for m in range(MEASURES):
            measure = Measure.objects.create(
                organisation=trust, name=f"Indicator {m + 1}", indicator_code=f"IND-{m + 1}", target=50.0
            )
            level = rng.uniform(40, 60)
            MeasureValue.objects.bulk_create(
                MeasureValue(
                    measure=measure, period=d, value=level + rng.gauss(0, 3), updated_at=timezone.now()
                )
                for d in months
            )
    return region, director


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trusts", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data_dir = throwaway_django()
    try:
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from wellled.oversight.portfolio import portfolio_build

        region, director = build(args.trusts)
        client = Client()
        client.force_login(director)
        out = Path(tempfile.mkdtemp(prefix="wellled-portfolio-")) / "portfolio.xlsx"
        cases = {
            "Rows built (portfolio_build)": lambda: portfolio_build(user=director, organisation=region),
            "Portfolio page (GET, rendered)": lambda: client.get(
                "/oversight/portfolio/?sort=overdue&order=desc"
            ),
            "Trajectories page (GET, charts drawn)": lambda: client.get("/oversight/portfolio/trajectories/"),
            "wellled portfolio --format xlsx": lambda: call_command(
                "portfolio",
                "--organisation",
                "ZRB01",
                "--format",
                "xlsx",
                "--out",
                str(out),
                "--as-user",
                "director",
                stdout=io.StringIO(),
            ),
        }
        print(
            f"{args.trusts} trusts, {ACTIONS} actions and {MEASURES} coded measures of {MONTHS} months each"
        )
        print(f"| Step | Best of {args.repeat} | Queries |")
        print("| --- | --- | --- |")
        for name, fn in cases.items():
            seconds, result = best_of(fn, args.repeat)
            connection.queries_log.clear()  # the build's queries would fill Django's log of 9,000
            with CaptureQueriesContext(connection) as captured:
                fn()
            status = getattr(result, "status_code", 200)
            assert status == 200, (name, status)
            print(f"| {name} | {seconds:.2f} s | {len(captured.captured_queries)} |")
    finally:
        remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
