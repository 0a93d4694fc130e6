"""The position rule on its own (plans.position): which update stands as at a date, when an update is awaited,
when an action is overdue or slipped, and which cycle a date answers; pure functions, no database."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from wellled.plans.position import (
    ActionFacts,
    cycle_of,
    latest_update,
    moved,
    plan_position,
    previous_cycle,
    update_as_at,
)

DAY = datetime.date(2026, 10, 31)
COMPLETE = 5  # the id of a delivered status (G) in these tests
AMBER, RED = 2, 1


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def update(pk, day, recorded, *, status=AMBER, cycle=None, awaited=False):
    return SimpleNamespace(
        pk=pk, update_date=day, created_at=recorded, status_id=status, cycle_id=cycle, awaited=awaited
    )


def cycle(pk, day, *, closed=None, opened=None):
    return SimpleNamespace(
        pk=pk,
        name=f"Cycle {pk}",
        position_as_at=day,
        opened_at=opened or at(day - datetime.timedelta(days=7)),
        closed_at=closed,
        state="closed" if closed else "open",
    )


def revision(due, recorded, position=None):
    return SimpleNamespace(due_date=due, precision="month", position_date=position, created_at=recorded)


def facts(*, updates=(), revisions=(), state="open", status=None, due=DAY):
    return ActionFacts(
        pk=1,
        state=state,
        status_id=status,
        due_date=due,
        due_precision="month",
        revisions=tuple(revisions),
        updates=tuple(updates),
    )


def position_of(action_facts, *, cycles=(), as_at=DAY, now=None):
    now = now or at(DAY + datetime.timedelta(days=20))
    return plan_position(
        cycles=cycles,
        facts=[action_facts],
        complete_ids=[COMPLETE],
        now=now,
        today=now.date(),
        as_at=as_at,
    )[1]


def test_the_latest_position_wins_and_the_later_recording_breaks_a_tie():
    early = update(1, DAY, at(DAY, 9))
    late_recorded = update(2, DAY, at(DAY, 15))
    back_dated = update(3, DAY - datetime.timedelta(days=30), at(DAY, 18))
    assert latest_update([early, back_dated, late_recorded]) is late_recorded


def test_a_paper_as_at_a_date_leaves_out_later_positions_and_later_recordings():
    before = update(1, DAY - datetime.timedelta(days=1), at(DAY))
    after = update(2, DAY + datetime.timedelta(days=1), at(DAY))
    recorded_late = update(3, DAY, at(DAY + datetime.timedelta(days=5)))
    assert update_as_at([before, after, recorded_late], as_at=DAY, recorded_by=at(DAY, 23)) is before


def test_an_action_with_no_update_in_the_dates_cycle_awaits_one_unless_delivered():
    answering = cycle(7, DAY)
    assert position_of(
        facts(updates=[update(1, DAY - datetime.timedelta(days=40), at(DAY - datetime.timedelta(days=40)))]),
        cycles=[answering],
    ).update_awaited
    delivered = update(
        2, DAY - datetime.timedelta(days=40), at(DAY - datetime.timedelta(days=40)), status=COMPLETE
    )
    assert not position_of(facts(updates=[delivered]), cycles=[answering]).update_awaited
    answered = update(3, DAY, at(DAY), cycle=7)
    assert not position_of(facts(updates=[answered]), cycles=[answering]).update_awaited


def test_an_imported_update_awaited_for_the_date_is_awaited_even_with_no_cycle_and_does_not_answer_one():
    imported = update(1, DAY, at(DAY), awaited=True, status=COMPLETE)
    assert position_of(facts(updates=[imported])).update_awaited
    assert not position_of(facts(updates=[imported]), as_at=DAY + datetime.timedelta(days=1)).update_awaited
    in_cycle = update(2, DAY, at(DAY), awaited=True, cycle=7, status=AMBER)
    assert position_of(facts(updates=[in_cycle]), cycles=[cycle(7, DAY)]).update_awaited


def test_overdue_only_while_open_and_not_delivered():
    due = DAY - datetime.timedelta(days=1)
    assert position_of(facts(due=due, status=AMBER)).overdue
    assert not position_of(facts(due=due, status=COMPLETE)).overdue
    assert not position_of(facts(due=due, status=AMBER, state="completed")).overdue
    assert not position_of(facts(due=DAY, status=AMBER)).overdue


def test_a_revision_standing_after_the_previous_papers_date_is_slipped_this_cycle():
    previous = cycle(1, DAY - datetime.timedelta(days=31), closed=at(DAY - datetime.timedelta(days=25)))
    original = revision(DAY, at(DAY - datetime.timedelta(days=100)))
    revised = revision(DAY + datetime.timedelta(days=90), at(DAY - datetime.timedelta(days=10)))
    shown = position_of(facts(revisions=[original, revised]), cycles=[previous, cycle(2, DAY)])
    assert shown.slipped and shown.slipped_this_cycle and shown.due_date == revised.due_date
    earlier = revision(DAY + datetime.timedelta(days=90), at(DAY - datetime.timedelta(days=40)))
    shown = position_of(facts(revisions=[original, earlier]), cycles=[previous, cycle(2, DAY)])
    assert shown.slipped and not shown.slipped_this_cycle
    unseen = revision(DAY + datetime.timedelta(days=90), at(DAY + datetime.timedelta(days=3)))
    assert not position_of(facts(revisions=[original, unseen]), cycles=[cycle(2, DAY)]).slipped


def test_the_date_answers_its_own_cycle_else_the_one_collecting_then_never_a_closed_one():
    october = cycle(1, DAY, closed=at(DAY + datetime.timedelta(days=7)))
    assert cycle_of([october], as_at=DAY) is october
    assert cycle_of([october], as_at=DAY + datetime.timedelta(days=3)) is october  # still collecting then
    assert cycle_of([october], as_at=DAY + datetime.timedelta(days=10)) is None
    assert previous_cycle([october], as_at=DAY + datetime.timedelta(days=30)) is october


def test_movement_compares_the_previous_papers_status_by_rank():
    previous = cycle(1, DAY - datetime.timedelta(days=31), closed=at(DAY - datetime.timedelta(days=25)))
    then = update(1, previous.position_as_at, at(previous.position_as_at), status=RED)
    now = update(2, DAY, at(DAY), status=AMBER)
    shown = position_of(facts(updates=[then, now]), cycles=[previous, cycle(2, DAY)])
    assert (shown.status_then_id, shown.status_id) == (RED, AMBER)
    red, amber, green = (SimpleNamespace(rank=r, is_complete=r == 5) for r in (1, 3, 5))
    assert moved(red, amber).improved and moved(amber, red).worsened
    assert moved(amber, green).newly_completed and not moved(green, green).newly_completed
    assert not moved(None, amber).improved and moved(None, green).newly_completed
