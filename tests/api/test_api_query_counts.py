"""A list costs the same number of queries however many objects it holds (no query per row), so a Power BI refresh
of a thousand actions is as cheap per page as one of three."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.factories import make_plan, status

from wellled.plans import services as plan_services
from wellled.plans.models import Action

LISTS = [
    "/api/organisations/",
    "/api/plans/",
    "/api/sections/",
    "/api/findings/",
    "/api/actions/",
    "/api/actions/?format=csv",
    "/api/progress-updates/",
    "/api/cycles/",
    "/api/measures/",
    "/api/assessments/",
    "/api/ratings/",
    "/api/papers/",
]


def queries(caller, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = caller.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_rows_when_more_objects_are_added(
    api, api_objects, org, editor, lead
):
    from wellled.reports.services import paper_job_start

    caller = api(editor)
    queries(
        caller, "/api/plans/"
    )  # the token's last use is written once a minute: not part of what is counted
    before = {url: queries(caller, url) for url in LISTS}
    plan = make_plan(org, editor, name="Second plan", actions=6, lead=lead)
    cycle = plan_services.cycle_open(
        plan=plan,
        by=editor,
        name="Second plan, November",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 25),
    )
    for action in Action.objects.filter(plan=plan):
        plan_services.progress_update_record(
            action=action, by=lead, narrative="Moving", status=status(org, "A/R"), expected_version=None
        )
    paper_job_start(plan=plan, cycle_or_as_at=cycle, by=editor)
    after = {url: queries(caller, url) for url in LISTS}
    assert after == before
