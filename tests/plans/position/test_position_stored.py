"""Each action's kept standing position (ADR 0061) says what the rule says (ADR 0042): for random histories and
later days, while the row holds; after a refresh on any day; after every plans service; and the portfolio's counts
come from the rows, not from working out every action's position again."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.factories import make_person
from tests.plans.position.test_position_readers_agree import build, history

from wellled.core.choices import Role
from wellled.core.models import DeliveryStatus
from wellled.core.service_kit import AS_IT_STANDS
from wellled.plans import selectors, services
from wellled.plans.choices import ActionState, CycleState, PlanKind
from wellled.plans.models import Action, ActionStanding, ProgressUpdate, ReportingCycle, TimescaleRevision
from wellled.plans.position import selectors as position_selectors
from wellled.plans.position.stored import (
    awaited_q,
    holds_q,
    overdue_q,
    standing_refresh,
    standing_refresh_due,
)

pytestmark = pytest.mark.django_db


def computed(action_ids, on: datetime.date) -> dict[int, tuple]:
    """What plans.position works out for the actions as their plans stand on the day: status, overdue, awaited."""
    complete = DeliveryStatus.objects.filter(is_complete=True).values_list("pk", flat=True)
    found = position_selectors.standing_positions_of(
        Action.objects.filter(pk__in=action_ids), complete_ids=list(complete), today=on
    )
    return {pk: (p.status_id, p.overdue, p.update_awaited) for pk, (_, p) in found.items()}


def stored(action_ids, on: datetime.date) -> dict[int, tuple]:
    """What the kept rows say on the day, overdue and awaited judged by the database; only rows that hold."""
    rows = ActionStanding.objects.filter(action_id__in=action_ids).filter(holds_q(on))
    overdue = set(rows.filter(overdue_q(on)).values_list("pk", flat=True))
    awaited = set(rows.filter(awaited_q()).values_list("pk", flat=True))
    return {r.pk: (r.status_id, r.pk in overdue, r.pk in awaited) for r in rows}


ahead_drawn = st.fixed_dictionaries(
    {
        "cycle_in": st.sampled_from((None, 1, 3, 9)),  # an open cycle dated ahead (when the last is closed)
        "update_on_it": st.booleans(),  # an update already reporting that date
        "revision_in": st.sampled_from((None, 0, 2, 6)),  # a revision standing from a day ahead
        "days": st.lists(st.integers(0, 15), min_size=1, max_size=4),  # later days to read on
    }
)


def add_ahead(plan, action, editor, lead, ahead, today):
    """What may come into force on a later day: a cycle dated ahead, an update for its date, a revision."""
    if ahead["cycle_in"] and not plan.cycles.filter(state=CycleState.OPEN).exists():
        cycle = ReportingCycle.objects.create(
            plan=plan,
            name="Ahead",
            position_as_at=today + datetime.timedelta(days=ahead["cycle_in"]),
            update_deadline=today + datetime.timedelta(days=ahead["cycle_in"]),
            opened_at=timezone.now() - datetime.timedelta(hours=1),
        )
        if ahead["update_on_it"]:
            status = DeliveryStatus.objects.filter(organisation=plan.organisation, is_complete=True).first()
            ProgressUpdate.objects.create(
                action=action,
                cycle=cycle,
                narrative="Reported ahead",
                status=status,
                update_date=cycle.position_as_at,
                created_by=lead,
                created_at=timezone.now() - datetime.timedelta(minutes=30),
            )
            Action.objects.filter(pk=action.pk).update(status=status)
    if ahead["revision_in"] is not None:
        TimescaleRevision.objects.create(
            action=action,
            due_date=today - datetime.timedelta(days=40),
            reason="Brought forward",
            position_date=today + datetime.timedelta(days=ahead["revision_in"]),
            created_by=editor,
            created_at=timezone.now() - datetime.timedelta(minutes=20),
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=history, ahead=ahead_drawn)
def test_a_kept_position_says_what_the_rule_says_on_every_day_it_holds(org, editor, lead, drawn, ahead):
    now = timezone.now()
    plan, action, _ = build(org, editor, lead, drawn, now=now)
    today = timezone.localdate()
    add_ahead(plan, action, editor, lead, ahead, today)
    standing_refresh([action.pk], today=today)
    assert stored([action.pk], today) == computed([action.pk], today)
    for later in ahead["days"]:
        day = today + datetime.timedelta(days=later)
        kept = stored([action.pk], day)
        if kept:  # still holds that day: nothing may have changed but overdue and awaited, judged in SQL
            assert kept == computed([action.pk], day), day
        standing_refresh([action.pk], today=day)  # the daily job, or a read, works it out again
        assert stored([action.pk], day) == computed([action.pk], day), day


def test_an_action_with_only_past_history_holds_for_good_and_overdue_turns_with_the_day(plan, editor):
    today = timezone.localdate()
    action = services.action_create(
        plan=plan, by=editor, reference="K1", title="Kept", due_date=today + datetime.timedelta(days=40)
    )
    row = ActionStanding.objects.get(pk=action.pk)
    assert row.stands_on == today and row.stands_until is None  # no daily rework for it
    due = row.due_date
    assert stored([action.pk], due) == {action.pk: (None, False, False)}
    assert stored([action.pk], due + datetime.timedelta(days=1)) == {action.pk: (None, True, False)}
    assert computed([action.pk], due + datetime.timedelta(days=1))[action.pk][1] is True


def test_a_cycle_dated_ahead_makes_the_row_hold_only_until_that_date(plan, editor):
    today = timezone.localdate()
    action = services.action_create(
        plan=plan, by=editor, reference="K2", title="Kept", due_date=today + datetime.timedelta(days=90)
    )
    ahead = today + datetime.timedelta(days=5)
    services.cycle_open(plan=plan, by=editor, name="Ahead", position_as_at=ahead, update_deadline=ahead)
    row = ActionStanding.objects.get(pk=action.pk)
    assert row.stands_until == ahead and row.cycle_unanswered is True
    assert standing_refresh_due(today=ahead) >= 1  # the daily job works it out on that day
    assert ActionStanding.objects.get(pk=action.pk).stands_on == ahead


def test_every_plans_service_keeps_the_position_in_its_transaction(org, editor, lead):
    today = timezone.localdate()
    plan = services.plan_create(organisation=org, by=editor, name="Kept plan", kind=PlanKind.SELF_REVIEW)
    first = services.action_create(
        plan=plan,
        by=editor,
        reference="S1",
        title="One",
        lead=lead,
        due_date=today - datetime.timedelta(days=20),
    )
    second = services.action_create(
        plan=plan, by=editor, reference="S2", title="Two", due_date=today + datetime.timedelta(days=60)
    )
    ids = [first.pk, second.pk]
    scale = {s.code: s for s in DeliveryStatus.objects.filter(organisation=org)}

    def agree():
        assert stored(ids, today) == computed(ids, today)
        return stored(ids, today)

    assert agree()[first.pk] == (None, True, False)  # overdue from the start
    services.cycle_open(plan=plan, by=editor, name="Board", position_as_at=today, update_deadline=today)
    assert agree()[first.pk] == (None, True, True)  # and now awaited by the open cycle
    services.progress_update_record(
        action=first, by=lead, narrative="Done", status=scale["G"], expected_version=None
    )
    assert agree()[first.pk] == (scale["G"].pk, False, False)  # delivered: neither overdue nor awaited
    services.action_timescale_revise(
        action=second,
        by=editor,
        expected_version=AS_IT_STANDS,
        due_date=today - datetime.timedelta(days=35),
        reason="Brought forward",
    )
    assert agree()[second.pk][1] is True
    services.action_state_set(
        action=second,
        by=editor,
        expected_version=AS_IT_STANDS,
        state=ActionState.CLOSED,
        assurance_evidence="X",
    )
    assert agree()[second.pk] == (None, False, False)
    services.cycle_close(cycle=plan.cycles.get(), by=editor)
    agree()
    services.action_state_set(action=second, by=editor, expected_version=AS_IT_STANDS, state=ActionState.OPEN)
    assert agree()[second.pk] == (None, True, True)  # today's paper (the closed cycle) has no update from it


def test_a_status_that_stops_meaning_delivered_is_judged_on_the_day_read(plan, editor, lead):
    today = timezone.localdate()
    action = services.action_create(
        plan=plan,
        by=editor,
        reference="D1",
        title="Done",
        lead=lead,
        due_date=today - datetime.timedelta(days=9),
    )
    green = DeliveryStatus.objects.get(organisation=plan.organisation, code="G")
    services.progress_update_record(
        action=action, by=lead, narrative="Done", status=green, expected_version=None
    )
    assert stored([action.pk], today)[action.pk][1] is False
    DeliveryStatus.objects.filter(pk=green.pk).update(is_complete=False)  # the scale's meaning changed
    assert stored([action.pk], today) == computed([action.pk], today)
    assert stored([action.pk], today)[action.pk][1] is True


def test_the_portfolio_counts_read_the_kept_rows_and_work_out_only_missing_ones(
    org, editor, lead, monkeypatch
):
    today = timezone.localdate()
    plan = services.plan_create(organisation=org, by=editor, name="Counted plan", kind=PlanKind.SELF_REVIEW)
    for i in range(3):
        services.action_create(
            plan=plan,
            by=editor,
            reference=f"C{i}",
            title="Counted",
            due_date=today - datetime.timedelta(days=40),
        )
    worked = []
    real = position_selectors.standing_positions_of
    monkeypatch.setattr(
        "wellled.plans.position.stored.standing_positions_of",
        lambda *a, **k: worked.append(1) or real(*a, **k),
    )
    with CaptureQueriesContext(connection) as queries:
        figures = selectors.delivery_by_organisation(user=editor, organisations=[org.pk])[org.pk]
    assert (figures.total, figures.overdue) == (3, 3)
    assert worked == []  # nothing worked out again: every row holds
    assert len(queries) == 2  # the scale's statuses; the counts, with how many have no row that holds
    ActionStanding.objects.filter(action__reference="C0").delete()  # loaded around the services
    ActionStanding.objects.filter(action__reference="C1").update(stands_until=today)  # its day has come
    again = selectors.delivery_by_organisation(user=editor, organisations=[org.pk])[org.pk]
    assert worked == [1] and (again.total, again.overdue) == (figures.total, figures.overdue)
    assert ActionStanding.objects.filter(action__plan=plan).count() == 2  # a read never writes


def test_another_trusts_actions_are_not_counted(org, other_org, editor):
    outsider = make_person(other_org, role=Role.GOVERNANCE_EDITOR, username="elsewhere")
    plan = services.plan_create(organisation=other_org, by=outsider, name="Theirs", kind=PlanKind.SELF_REVIEW)
    services.action_create(plan=plan, by=outsider, reference="T1", title="Theirs")
    assert (
        selectors.delivery_by_organisation(user=editor, organisations=[other_org.pk])[other_org.pk].total == 0
    )


def test_the_daily_job_fills_every_action_and_then_only_those_due(plan, editor):
    ActionStanding.objects.all().delete()
    total = Action.objects.count()
    assert standing_refresh_due() == total
    assert standing_refresh_due() == 0
    assert standing_refresh_due(every=True) == total
