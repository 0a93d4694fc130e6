"""The plan as it stands, read lean (plans.selectors._standing_detail for the dashboard, the plan page and my
actions), gives the same rows as the board detail with every update, and the trust editor's pages keep their
query counts (issue 24: these pages must cost a third less; a regression back to a query per row fails here)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.factories import make_person, make_plan, status
from tests.measures.conftest import measure  # noqa: F401 (fixture)

from wellled.core.choices import Role
from wellled.measures.services import success_measure_link
from wellled.plans import selectors, services
from wellled.plans.models import Action

pytestmark = pytest.mark.django_db


def _plan_with_detail(org, editor, lead):
    """A plan whose actions have co-leads written out of name order, several findings, revised timescales and
    updates across a closed and an open cycle."""
    first = make_person(org, role=Role.LEAD, initials="ZZ", first_name="Zoe", last_name="Zed")
    second = make_person(org, role=Role.LEAD, initials="AA", first_name="Ann", last_name="Able")
    plan = make_plan(org, editor, actions=3, lead=lead)
    later = services.finding_create(plan=plan, by=editor, text="Risks were not escalated.")
    action = services.action_create(
        plan=plan,
        by=editor,
        reference="W1z",
        title="Co-led work",
        section=plan.sections.first(),
        lead=lead,
        other_leads=[first, second],
        findings=[later, *plan.findings.exclude(pk=later.pk)],
        due_date=datetime.date(2026, 1, 31),
    )
    for due, reason in ((datetime.date(2026, 6, 30), "Staffing"), (datetime.date(2026, 9, 30), "Funding")):
        action.refresh_from_db()
        services.action_timescale_revise(
            action=action, by=editor, expected_version=action.version, due_date=due, reason=reason
        )
    today = timezone.localdate()
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Earlier board",
        position_as_at=today - datetime.timedelta(days=40),
        update_deadline=today - datetime.timedelta(days=45),
    )
    for each in Action.objects.filter(plan=plan)[:2]:
        services.progress_update_record(
            action=each, by=editor, narrative="Started.", status=status(org, "A/R"), expected_version=None
        )
    services.cycle_close(cycle=cycle, by=editor)
    services.cycle_open(
        plan=plan,
        by=editor,
        name="This board",
        position_as_at=today,
        update_deadline=today + datetime.timedelta(days=7),
    )
    for narrative, code in (("Going well.", "A/G"), ("Delivered.", "G")):
        services.progress_update_record(
            action=Action.objects.get(pk=action.pk),
            by=editor,
            narrative=narrative,
            status=status(org, code),
            expected_version=None,
        )
    return plan, [first, second]


def _seen(row):
    """What a page shows of a row."""
    return (
        row.reference,
        [p.pk for p in row.leads],
        row.leads_text,
        [f.pk for f in row.findings],
        [(r.due_date, r.reason) for r in row.revisions],
        row.timescales,
        row.status.code if row.status else None,
        row.latest_update.pk if row.latest_update else None,
        row.latest_update.created_by_id if row.latest_update else None,
        (row.overdue, row.slipped, row.slipped_this_cycle, row.update_awaited, row.is_ready_to_close),
    )


def test_the_plan_as_it_stands_reads_the_same_rows_as_the_full_board_detail(org, editor, lead):
    plan, (first, second) = _plan_with_detail(org, editor, lead)
    lean = selectors.plan_actions(user=editor, organisation=org, plan=plan, history=False, measures=True)
    full = selectors.plan_actions(user=editor, organisation=org, plan=plan, history=True, measures=True)
    assert [_seen(r) for r in lean] == [_seen(r) for r in full]
    co_led = next(r for r in lean if r.reference == "W1z")
    assert [p.pk for p in co_led.leads] == [lead.pk, first.pk, second.pk]  # in the order written
    assert [f.number for f in co_led.findings] == [1, 2]
    assert co_led.status.code == "G" and co_led.is_ready_to_close
    assert co_led.latest_update.action is co_led.action  # no query to reach the action back


def test_the_dashboard_and_my_actions_read_the_plan_as_it_stands_without_a_query_per_action(
    org, editor, lead
):
    plan, _ = _plan_with_detail(org, editor, lead)
    with CaptureQueriesContext(connection) as few:
        board = selectors.dashboard(user=editor, organisation=org)
        mine = selectors.my_actions(user=lead, organisation=org)
    more = make_plan(org, editor, actions=12, lead=lead)
    for each in Action.objects.filter(plan=more)[:6]:
        services.progress_update_record(
            action=each, by=editor, narrative="Under way.", status=status(org, "A/G"), expected_version=None
        )
    with CaptureQueriesContext(connection) as many:
        bigger = selectors.dashboard(user=editor, organisation=org)
        also_mine = selectors.my_actions(user=lead, organisation=org)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert (board.total, bigger.total) == (4, 16)
    assert len(also_mine) == len(mine) + 12
    with CaptureQueriesContext(connection) as rows_read:
        for row in [*bigger.awaiting, *bigger.ready_to_close, *also_mine]:
            _seen(row)
    assert rows_read.captured_queries == []


def test_movement_reads_each_status_then_by_the_position_rule(org, editor, lead):
    plan, _ = _plan_with_detail(org, editor, lead)
    rows = selectors.plan_actions(user=editor, organisation=org, plan=plan, history=False)
    opened = plan.cycles.get(name="This board").opened_at
    then = selectors.statuses_at(actions=rows, moment=opened)
    co_led = next(r for r in rows if r.reference == "W1z")
    assert then[co_led.pk] is None  # its updates came after the cycle opened
    started = [r.pk for r in rows if then[r.pk] is not None]
    assert len(started) == 2 and all(then[pk] == status(org, "A/R").pk for pk in started)


def queries(client, url: str) -> int:
    client.get(url)  # warm anything cached per process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_trust_editors_pages_keep_their_query_counts(login, org, editor, lead):
    """Counted on the pages the load test's trust editor browses (bench/load.py): the dashboard, the plan page, an
    action's progress update form (its scale read once, for the form and the key)."""
    plan, _ = _plan_with_detail(org, editor, lead)
    action = Action.objects.get(plan=plan, reference="W1z")
    client = login(editor)
    counts = {
        "dashboard": queries(client, "/"),
        "plan page": queries(client, f"/plans/{plan.pk}/"),
        "progress update form": queries(client, f"/actions/{action.pk}/update/"),
    }
    assert counts == {"dashboard": 13, "plan page": 16, "progress update form": 12}


def test_the_plan_page_names_the_open_cycle_with_or_without_rows_shown(login, org, editor, lead):
    plan, _ = _plan_with_detail(org, editor, lead)
    client = login(editor)
    for query in ("", "?q=nothing-matches-this"):
        page = client.get(f"/plans/{plan.pk}/{query}").content.decode()
        assert "Current reporting cycle: <a" in page and ">This board</a>" in page


def test_a_linked_success_measure_is_read_with_the_rows_and_their_own_action(org, editor, lead, measure):  # noqa: F811
    plan, _ = _plan_with_detail(org, editor, lead)
    co_led = Action.objects.get(plan=plan, reference="W1z")
    success_measure_link(action=co_led, by=editor, measure=measure, target=100)
    rows = selectors.plan_actions(user=editor, organisation=org, plan=plan, history=False, measures=True)
    linked = [r for r in rows if r.success_measure_summary is not None]
    assert [r.reference for r in linked] == ["W1z"]
    summary = linked[0].success_measure_summary
    assert summary.link.action is linked[0].action  # the row's own action, not read again
    assert summary.measure.pk == measure.pk and summary.action_is_complete  # its latest status is G
    whole = selectors.success_measure_summaries(user=editor, organisation=org, actions=[co_led])
    assert whole[co_led.pk].measure.name == "Overdue risk reviews"
    board = selectors.dashboard(user=editor, organisation=org)
    assert [r.reference for r in board.not_improved] == (["W1z"] if summary.shows_exception else [])
