"""The monthly journey (ADR 0032): a cycle positioned at a month end collects updates in the week after it, and
those updates reach that cycle's paper; the next cycle's movement is measured against it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.factories import status

from wellled.plans import services
from wellled.plans.models import Action
from wellled.reports.board_paper import board_paper_build

pytestmark = pytest.mark.django_db

OCT_END, NOV_END = datetime.date(2026, 10, 31), datetime.date(2026, 11, 30)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def record(plan, reference, by, code, text, when, day=None):
    return services.progress_update_record(
        action=Action.objects.get(plan=plan, reference=reference),
        by=by,
        narrative=text,
        status=status(plan.organisation, code),
        expected_version=None,
        update_date=day,
        at=when,
    )


@pytest.fixture
def monthly(plan, editor, lead):
    """October positioned at 31 October (updates by 7 November), November at 30 November (by 7 December)."""
    services.cycle_open(
        plan=plan,
        by=editor,
        name="October 2026",
        position_as_at=OCT_END,
        update_deadline=datetime.date(2026, 11, 7),
        at=at(datetime.date(2026, 10, 24)),
    )
    record(plan, "W1a", lead, "A/G", "Forty people started coaching.", at(datetime.date(2026, 11, 3)))
    record(plan, "W1b", lead, "A/R", "Candidate withdrew.", at(datetime.date(2026, 11, 6)))
    services.cycle_open(
        plan=plan,
        by=editor,
        name="November 2026",
        position_as_at=NOV_END,
        update_deadline=datetime.date(2026, 12, 7),
        at=at(datetime.date(2026, 11, 24)),
    )
    # Recorded on 25 November but back-dated to October: October's paper had closed, so it stays out of it.
    record(
        plan,
        "W1c",
        lead,
        "R",
        "Should have been reported in October.",
        at(datetime.date(2026, 11, 25)),
        OCT_END,
    )
    record(plan, "W1a", lead, "G", "Programme launched; 80 enrolled.", at(datetime.date(2026, 12, 2)))
    record(plan, "W1b", lead, "R", "Recruitment restarted.", at(datetime.date(2026, 12, 2), 15))
    return plan


def rows(paper):
    return {r.reference: r for r in paper.rows}


def test_updates_collected_after_the_month_end_reach_that_cycles_paper(monthly, viewer, org):
    october = board_paper_build(user=viewer, organisation=org, plan=monthly, as_at=OCT_END)
    assert october.cycle_name == "October 2026"
    october_rows = rows(october)
    assert october_rows["W1a"].progress == "Forty people started coaching."
    assert october_rows["W1a"].progress_date == OCT_END
    assert october_rows["W1b"].status.code == "A/R"
    assert not october_rows["W1a"].update_awaited and not october_rows["W1b"].update_awaited
    # Closed before the back-dated W1c update was recorded: October's paper never changes.
    assert october_rows["W1c"].status is None and october_rows["W1c"].update_awaited

    november = board_paper_build(user=viewer, organisation=org, plan=monthly, as_at=NOV_END)
    november_rows = rows(november)
    assert november.cycle_name == "November 2026"
    assert november_rows["W1a"].progress == "Programme launched; 80 enrolled."
    assert november_rows["W1a"].status.code == "G"
    # Back-dated to October, recorded in November: it shows in November's paper as the latest it has.
    assert november_rows["W1c"].status.code == "R"
    assert november_rows["W1c"].progress_date == OCT_END


def test_the_next_cycles_movement_is_measured_against_the_previous_cycles_paper(monthly, viewer, org):
    movement = board_paper_build(user=viewer, organisation=org, plan=monthly, as_at=NOV_END).movement
    assert movement.baseline_date == OCT_END
    assert [c.row.reference for c in movement.improved] == ["W1a"]
    assert [(c.before.code, c.after.code) for c in movement.worsened] == [("A/R", "R")]
    assert [c.row.reference for c in movement.newly_completed] == ["W1a"]


def test_a_closed_cycles_paper_is_the_same_whenever_it_is_rebuilt(monthly, viewer, lead, org):
    first = rows(board_paper_build(user=viewer, organisation=org, plan=monthly, as_at=OCT_END))
    record(
        monthly,
        "W1b",
        lead,
        "G",
        "Another back-dated word.",
        timezone.now(),
        timezone.localdate() - datetime.timedelta(days=40),
    )
    again = rows(board_paper_build(user=viewer, organisation=org, plan=monthly, as_at=OCT_END))
    assert {k: (r.status_code, r.progress) for k, r in first.items()} == {
        k: (r.status_code, r.progress) for k, r in again.items()
    }
