"""The board paper's facts: counts, movement since the previous paper, exceptions, rows as at the paper's date."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from tests.reports.paper_data import AS_AT, LATE_NARRATIVE

from wellled.core.service_kit import AS_IT_STANDS
from wellled.reports.board_paper import board_paper_build


@pytest.fixture
def paper(paper_plan, org):
    return board_paper_build(user=paper_plan.viewer, organisation=org, plan=paper_plan.plan, as_at=AS_AT)


def refs(items):
    return [getattr(i, "reference", None) or i.row.reference for i in items]


def test_front_page_facts(paper):
    assert (paper.trust_name, paper.ods_code, paper.plan_name) == (
        "Northmoor Test Trust",
        "ZNT01",
        "Well-led review 2025",
    )
    assert paper.as_at == AS_AT and paper.as_at_text == "30 September 2025"
    assert paper.cycle_name == "September 2025"
    counts = {c.code: c.count for c in paper.counts}
    assert counts == {"B": 0, "G": 1, "A/G": 4, "A/R": 0, "R": 1, "–": 0}
    assert paper.total == 6 == sum(counts.values())


def test_movement_since_the_previous_cycle(paper):
    movement = paper.movement
    assert movement.baseline_date == datetime.date(2025, 8, 31)
    assert refs(movement.improved) == ["W1c", "W2a"]
    assert refs(movement.worsened) == ["W1b"]
    assert [(c.before.code, c.after.code) for c in movement.worsened] == [("A/G", "R")]
    assert refs(movement.newly_completed) == ["W1c"]
    # W2b slipped in August, before the previous paper: not movement since it. W1a slipped in September.
    assert refs(movement.slipped) == ["W1a"]


def test_exceptions(paper):
    assert refs(paper.exceptions.at_risk) == ["W1b"]
    assert refs(paper.exceptions.slipped) == ["W1a"]
    assert refs(paper.exceptions.awaiting) == ["W2b"]


def test_rows_in_board_order_with_timescale_revisions_and_leads(paper):
    assert [(b.code, refs(b.rows)) for b in paper.part_a] == [
        ("W1", ["W1a", "W1b", "W1c"]),
        ("W2", ["W2a", "W2b"]),
        ("", ["X1"]),
    ]
    assert paper.part_a[-1].title == "Other actions"
    rows = {r.reference: r for r in paper.rows}
    assert [r.reference for r in paper.rows] == ["W1a", "W1b", "W1c", "W2a", "W2b", "X1"]
    assert rows["W1a"].timescale == "March 2026 → July 2026"
    assert rows["W2b"].timescale == "December 2025 → February 2026"
    assert rows["W2a"].leads == "DMc / TL"
    assert rows["X1"].leads == "Varied"
    assert rows["W1a"].success_measure == "75 people enrolled in coaching"
    assert [(b.number, refs(b.rows)) for b in paper.part_b] == [(1, ["W1a", "W1c"]), (2, ["W2a"])]


def test_updates_recorded_after_the_as_at_date_are_left_out(paper):
    w1b = next(r for r in paper.rows if r.reference == "W1b")
    assert w1b.status.code == "R"
    assert w1b.progress.startswith("The preferred candidate withdrew")
    assert all(LATE_NARRATIVE not in r.progress for r in paper.rows)


def test_a_later_paper_sees_the_later_update(paper_plan, org):
    later = board_paper_build(
        user=paper_plan.viewer, organisation=org, plan=paper_plan.plan, as_at=datetime.date(2025, 10, 5)
    )
    w1b = next(r for r in later.rows if r.reference == "W1b")
    assert (w1b.status.code, w1b.progress) == ("G", LATE_NARRATIVE)
    # Compared with the September paper: W1b went from R to G.
    assert later.movement.baseline_date == AS_AT
    assert "W1b" in refs(later.movement.improved) and "W1b" in refs(later.movement.newly_completed)


def test_an_earlier_paper_has_no_previous_one(paper_plan, org):
    first = board_paper_build(
        user=paper_plan.viewer, organisation=org, plan=paper_plan.plan, as_at=datetime.date(2025, 8, 31)
    )
    assert not first.movement.has_baseline and not first.movement.any
    w1b = next(r for r in first.rows if r.reference == "W1b")
    assert w1b.status.code == "A/G"
    w1a = next(r for r in first.rows if r.reference == "W1a")
    assert w1a.timescale == "March 2026"  # the September revision had not happened yet


def test_as_at_defaults_to_the_open_cycle(paper_plan, org):
    paper = board_paper_build(user=paper_plan.viewer, organisation=org, plan=paper_plan.plan)
    assert paper.as_at == AS_AT


def test_another_organisation_cannot_build_the_paper(paper_plan, org, outsider):
    with pytest.raises(Http404):
        board_paper_build(user=outsider, organisation=org, plan=paper_plan.plan)


def test_an_action_closed_after_the_papers_date_is_still_open_in_that_paper(paper_plan, org):
    from wellled.plans import services
    from wellled.plans.choices import ActionState
    from wellled.plans.models import Action
    from wellled.reports.board_paper import end_of_day

    w1b = Action.objects.get(plan=paper_plan.plan, reference="W1b")
    closed_on = end_of_day(AS_AT) + datetime.timedelta(days=3)
    services.action_state_set(
        action=w1b,
        by=paper_plan.editor,
        expected_version=AS_IT_STANDS,
        state=ActionState.CLOSED,
        assurance_evidence="Audit committee minutes, October",
        at=closed_on,
    )
    september = board_paper_build(user=paper_plan.viewer, organisation=org, plan=paper_plan.plan, as_at=AS_AT)
    row = next(r for r in september.rows if r.reference == "W1b")
    assert (row.state, row.state_label) == (ActionState.OPEN, "Open")
    assert refs(september.exceptions.at_risk) == ["W1b"]  # it was off track and open at the end of September

    october = board_paper_build(
        user=paper_plan.viewer, organisation=org, plan=paper_plan.plan, as_at=datetime.date(2025, 10, 5)
    )
    row = next(r for r in october.rows if r.reference == "W1b")
    assert (row.state, row.state_label) == (ActionState.CLOSED, "Closed with evidence of assurance")


def test_the_action_timeline_says_what_changed_in_words(login, paper_plan):
    from wellled.plans import services
    from wellled.plans.choices import ActionState
    from wellled.plans.models import Action

    w1b = Action.objects.get(plan=paper_plan.plan, reference="W1b")
    services.action_state_set(
        action=w1b,
        by=paper_plan.editor,
        expected_version=AS_IT_STANDS,
        state=ActionState.CLOSED,
        assurance_evidence="Audit committee minutes, October",
    )
    page = login(paper_plan.editor).get(f"/actions/{w1b.pk}/").content.decode()
    timeline = page.split('class="wl-timeline"', 1)[1]
    assert "Closed with evidence of assurance</h3>" in timeline
    assert "Evidence: Audit committee minutes, October" in timeline
    assert "version" not in timeline and "assurance_evidence" not in timeline


def test_the_production_date_is_the_trusts_day_not_utcs(paper):
    from dataclasses import replace

    late_summer_evening = datetime.datetime(
        2026, 7, 1, 23, 30, tzinfo=datetime.UTC
    )  # 00:30 on 2 July in London
    assert replace(paper, generated_at=late_summer_evening).produced_on == datetime.date(2026, 7, 2)
