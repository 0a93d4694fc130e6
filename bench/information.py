"""Benchmark of answering an information request once for many bodies: `python bench/information.py` prints the
time to build, freeze and give one answer to ten requests asking the same thing, and to reuse it for one more.

The plan is bench/board_paper.py's (500 actions, 12 cycles of history), in the portfolio of an oversight body
whose improvement director answers. Nine bodies are outside Wellled (e-mailed, to the in-memory mail backend) and
one is an ICB in Wellled (shared).
"""

from __future__ import annotations

import os
import sys
import time

from _django import remove, throwaway_django

REQUESTS = 10


def main() -> int:
    os.environ["WELLLED_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    data_dir = throwaway_django()
    from board_paper import build_plan

    org, _viewer, plan, _updates = build_plan()

    from django.utils import timezone

    from wellled.core.choices import OrganisationKind, Role
    from wellled.core.models import User
    from wellled.core.services import membership_set, organisation_create, portfolio_trust_add
    from wellled.information import services
    from wellled.reports.snapshot import canonical_json

    region = organisation_create(
        name="Bench Region", ods_code="ZRB01", by=None, kind=OrganisationKind.OVERSIGHT
    )
    icb = organisation_create(name="Bench ICB", ods_code="ZQB01", by=None, kind=OrganisationKind.ICB)
    portfolio_trust_add(oversight_body=region, trust=org, by=None, joined_on=timezone.localdate())
    director = User.objects.get(username="editor")
    membership_set(organisation=region, user=director, role=Role.GOVERNANCE_EDITOR, by=None)
    as_at = plan.cycles.order_by("position_as_at").last().position_as_at
    today = timezone.localdate()

    def register(n: int):
        body = (
            {"asked_by_organisation": icb}
            if n == 0
            else {"asked_by_name": f"Body {n}", "asked_by_email": f"body{n}@example.org"}
        )
        return services.request_register(
            organisation=region,
            by=director,
            subject=org,
            question="The plan's position",
            received_on=today,
            due_on=today,
            kind="plan",
            parameters={"plan": plan.pk, "as_at": as_at},
            **body,
        )

    start = time.perf_counter()
    requests = [register(n) for n in range(REQUESTS)]
    print(
        f"Registering {REQUESTS} requests asking the same thing: {(time.perf_counter() - start) * 1000:.0f} ms"
    )
    start = time.perf_counter()
    outcome = services.answer_produce(request=requests[0], by=director)
    total = time.perf_counter() - start
    paper = outcome.answer.paper
    print(
        f"Answering once ({paper.total} rows) and giving it to {len(outcome.delivered)} requests: {total:.2f} s"
    )
    print(f"  snapshot: {len(canonical_json(paper.data)) / 1024:,.0f} KiB of canonical JSON")
    for file in paper.files.all():
        print(f"  {file.filename:<48} {file.size / 1024:8,.0f} KiB")
    later = register(REQUESTS)
    start = time.perf_counter()
    services.answer_share(request=later, answer=outcome.answer, by=director)
    print(f"Reusing it for one more (e-mailed): {(time.perf_counter() - start) * 1000:.0f} ms")
    remove(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
