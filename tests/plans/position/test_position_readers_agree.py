"""Every reader of a plan's position agrees (ADR 0042): over random update histories (positions, recording times,
cycles open and closed, imported "awaited" updates, timescale revisions, delivered statuses, closed actions), the
plan page, the board paper, the oversight portfolio, an information answer and the API give the same status,
update awaited and overdue for the same action and date."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wellled.api.serializers import ActionSerializer
from wellled.core.models import DeliveryStatus
from wellled.information.answer import answer_build
from wellled.information.models import RequestKind
from wellled.plans import selectors
from wellled.plans.choices import ActionState, CycleState, DatePrecision
from wellled.plans.models import (
    Action,
    ActionStateChange,
    Plan,
    ProgressUpdate,
    ReportingCycle,
    TimescaleRevision,
)
from wellled.plans.position import latest_update
from wellled.reports.board_paper import board_paper_build

pytestmark = pytest.mark.django_db

SPAN = 80  # days of history before today
CODES = ("R", "A/R", "A/G", "G", "B")
_names = itertools.count(1)

cycles_drawn = st.lists(
    st.tuples(
        st.integers(0, SPAN), st.booleans(), st.integers(0, 12)
    ),  # position day, closed, days open after
    max_size=2,
    unique_by=lambda c: c[0],
)
updates_drawn = st.lists(
    st.tuples(
        st.integers(0, SPAN),  # position day
        st.integers(0, 10 * 24),  # hours after the position it was recorded
        st.sampled_from(CODES),
        st.booleans(),  # imported as awaited
        st.sampled_from((None, 0, 1)),  # the cycle it answers
    ),
    max_size=4,
)
revisions_drawn = st.lists(st.tuples(st.integers(-30, 150), st.integers(0, SPAN)), max_size=2)
history = st.fixed_dictionaries(
    {
        "due": st.integers(-30, 150),
        "precision": st.sampled_from(DatePrecision.values),
        "cycles": cycles_drawn,
        "updates": updates_drawn,
        "revisions": revisions_drawn,
        "stored": st.sampled_from((None, *CODES)),  # the status of an action imported with no update
        "state": st.sampled_from(ActionState.values),
        "state_day": st.integers(0, SPAN),
        "as_at": st.integers(0, SPAN),
    }
)


def build(org, editor, lead, drawn, *, now):
    """A plan with one action and the drawn history, written straight to the tables (no services: cheap)."""
    Plan.objects.filter(organisation=org).update(archived=True)  # the portfolio reads active plans only
    start = now.date() - datetime.timedelta(days=SPAN)
    latest = now - datetime.timedelta(minutes=1)

    def day(offset: int) -> datetime.date:
        return start + datetime.timedelta(days=offset)

    def moment(offset: int, hours: int = 8) -> datetime.datetime:
        return min(
            datetime.datetime.combine(day(offset), datetime.time(), tzinfo=now.tzinfo)
            + datetime.timedelta(hours=hours),
            latest,
        )

    scale = {s.code: s for s in DeliveryStatus.objects.filter(organisation=org)}
    plan = Plan.objects.create(organisation=org, name=f"Position plan {next(_names)}")
    cycles = []
    drawn_cycles = sorted(drawn["cycles"])
    for index, (position, closed, open_days) in enumerate(drawn_cycles):
        last = index == len(drawn_cycles) - 1
        opened = moment(position - 14)
        cycles.append(
            ReportingCycle.objects.create(
                plan=plan,
                name=f"Cycle {index}",
                position_as_at=day(position),
                update_deadline=day(position),
                state=CycleState.CLOSED if closed or not last else CycleState.OPEN,
                opened_at=opened,
                closed_at=max(moment(position, 24 * open_days), opened) if closed or not last else None,
            )
        )
    due = day(drawn["due"])
    action = Action.objects.create(
        plan=plan,
        reference="W1a",
        title="Planned action",
        lead=lead,
        due_date=due,
        due_precision=drawn["precision"],
        state=drawn["state"],
    )
    revisions = [(drawn["due"], -30)] + sorted(drawn["revisions"], key=lambda r: r[1])
    for due_offset, recorded in revisions:
        TimescaleRevision.objects.create(
            action=action,
            due_date=day(due_offset),
            precision=drawn["precision"],
            reason="Drawn",
            created_by=editor,
            created_at=moment(recorded),
        )
    updates = [
        ProgressUpdate.objects.create(
            action=action,
            cycle=cycles[answers] if answers is not None and answers < len(cycles) else None,
            narrative="Drawn",
            status=scale[code],
            update_date=day(position),
            awaited=awaited,
            created_by=lead,
            created_at=moment(position, hours),
        )
        for position, hours, code, awaited, answers in drawn["updates"]
    ]
    if drawn["state"] != ActionState.OPEN:
        ActionStateChange.objects.create(
            action=action,
            from_state=ActionState.OPEN,
            state=drawn["state"],
            created_by=editor,
            created_at=moment(drawn["state_day"]),
        )
    # What the services keep on the action: its latest timescale and the status of its latest update.
    shown = latest_update(updates)
    stored = shown.status if shown else (scale[drawn["stored"]] if drawn["stored"] else None)
    Action.objects.filter(pk=action.pk).update(
        status=stored, due_date=day(revisions[-1][0]) if len(revisions) > 1 else due
    )
    return plan, action, day(drawn["as_at"])


def paper_row(editor, org, plan, as_at):
    row = board_paper_build(user=editor, organisation=org, plan=plan, as_at=as_at).rows[0]
    return row.status_code or None, row.update_awaited, row.overdue


def answer_row(editor, org, plan, as_at):
    answer = answer_build(
        user=editor,
        answering=org,
        subject=org,
        kind=RequestKind.PLAN,
        parameters={"plan": plan.pk, "as_at": as_at.isoformat()},
    )
    row = answer.tables[1].rows[0]
    return row[4], row[5] == "Yes"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=history)
def test_page_paper_portfolio_answer_and_api_agree_for_the_same_action_and_date(org, editor, lead, drawn):
    from django.utils import timezone

    now = timezone.now()
    plan, action, some_day = build(org, editor, lead, drawn, now=now)
    today = timezone.localdate()

    page = selectors.plan_actions(user=editor, organisation=org, plan=plan)[0]
    page_says = (page.status.code if page.status else None, page.update_awaited, page.overdue)
    assert paper_row(editor, org, plan, today) == page_says

    figures = selectors.delivery_by_organisation(user=editor, organisations=[org.pk])[org.pk]
    counted = [s.code if s else None for s, n in figures.counts if n]
    assert (counted, figures.awaited, figures.overdue) == ([page_says[0]], page_says[1], page_says[2])

    api = ActionSerializer(Action.objects.get(pk=action.pk)).data
    assert (api["status"], api["update_awaited"], api["overdue"]) == page_says

    label = page.status.label if page.status else "No update"
    assert answer_row(editor, org, plan, today) == (label, page_says[2])

    # On any other date the paper and the information answer read the same position.
    status, _, overdue = paper_row(editor, org, plan, some_day)
    named = {s.code: s.label for s in DeliveryStatus.objects.filter(organisation=org)}
    assert answer_row(editor, org, plan, some_day) == (named.get(status, "No update"), overdue)
