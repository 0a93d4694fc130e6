"""The comparison of two papers is a pure function of their snapshots: tried here without a database."""

from __future__ import annotations

import dataclasses
import datetime

from wellled.reports.board_paper import BoardPaper, Exceptions, MovementSummary, Row, StatusCount, StatusInfo
from wellled.reports.compare import FIRST_STATUS, IMPROVED, UNCHANGED, WORSENED, compare_papers


def scale_point(code, rank, *, complete=False):
    return StatusInfo(
        code=code,
        label=f"Label {code}",
        meaning="",
        colour="#000000",
        text_colour="#ffffff",
        rank=rank,
        is_complete=complete,
        is_exception=rank <= 20,
    )


B, G, AG, AR, R = (
    scale_point("B", 50, complete=True),
    scale_point("G", 40, complete=True),
    scale_point("A/G", 30),
    scale_point("A/R", 20),
    scale_point("R", 10),
)
SCALE = (B, G, AG, AR, R)
MARCH, JULY = datetime.date(2026, 3, 31), datetime.date(2026, 7, 31)


def row(reference, status=None, *, due=MARCH, progress="", reported=None, state="open"):
    return Row(
        reference=reference,
        title=f"Action {reference}",
        section_code="W1",
        section_title="Leadership",
        timescale=f"{due:%B %Y}" if due else "",
        timescales=(f"{due:%B %Y}",) if due else (),
        due_date=due,
        leads="TL",
        success_measure="",
        progress=progress,
        progress_date=reported,
        status=status,
        state=state,
        state_label=state.title(),
        overdue=False,
        slipped=False,
        slipped_this_cycle=False,
        update_awaited=False,
        findings=(),
    )


def paper(*rows, as_at=datetime.date(2026, 10, 31), scale=SCALE):
    counts = tuple(StatusCount(s, sum(1 for r in rows if r.status == s)) for s in scale)
    counts += (StatusCount(None, sum(1 for r in rows if r.status is None)),)
    return BoardPaper(
        trust_name="Trust",
        ods_code="ZZZ",
        plan_name="Plan",
        plan_kind="Self-review",
        plan_pk=1,
        as_at=as_at,
        cycle_name="",
        generated_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        generated_by="Someone",
        statuses=scale,
        counts=counts,
        total=len(rows),
        movement=MovementSummary(baseline_label="", baseline_date=None),
        exceptions=Exceptions(at_risk=(), slipped=(), awaiting=()),
        part_a=(),
        part_b=(),
        rows=rows,
    )


def refs(changes):
    return [c.reference for c in changes]


def test_improved_and_worsened_follow_the_scales_rank():
    result = compare_papers(
        paper(row("A", AR), row("B", AG), row("C", AG)), paper(row("A", AG), row("B", R), row("C", AG))
    )
    assert refs(result.improved) == ["A"] and refs(result.worsened) == ["B"]
    assert [c.movement for c in result.actions] == [IMPROVED, WORSENED, UNCHANGED]
    assert result.actions[0].status_before == AR and result.actions[0].status_after == AG
    assert refs(result.unchanged) == ["C"] and refs(result.changed) == ["A", "B"]


def test_newly_completed_only_when_it_was_not_complete_before():
    result = compare_papers(
        paper(row("A", AG), row("B", G), row("C", AG)),
        paper(row("A", G), row("B", B), row("C", AG, state="completed")),
    )
    assert refs(result.newly_completed) == ["A", "C"]
    assert refs(result.improved) == ["A", "B"]  # B moved up the scale, but was complete already
    assert "Newly completed" in result.actions[0].labels


def test_a_timescale_slips_when_the_due_date_moves_later():
    result = compare_papers(
        paper(row("A", AG), row("B", AG, due=JULY), row("C", AG, due=None)),
        paper(row("A", AG, due=JULY), row("B", AG, due=MARCH), row("C", AG, due=MARCH)),
    )
    assert refs(result.slipped) == ["A"]  # brought forward (B) and first set (C) are not slips
    assert (
        result.slipped[0].before.timescale == "March 2026"
        and result.slipped[0].after.timescale == "July 2026"
    )


def test_new_and_removed_actions_by_reference():
    result = compare_papers(
        paper(row("A", AG), row("GONE", R)),
        paper(row("A", AG), row("NEW", AG, progress="Begun", reported=MARCH)),
    )
    assert refs(result.new_actions) == ["NEW"] and refs(result.removed_actions) == ["GONE"]
    assert refs(result.actions) == ["A", "NEW", "GONE"]  # the later paper's order, removed ones last
    new, gone = result.actions[1], result.actions[2]
    assert new.is_new and new.before is None and new.movement == "" and new.labels[0] == "New action"
    assert gone.is_removed and gone.after is None and gone.labels == ("Removed",)
    assert refs(result.new_updates) == ["NEW"]


def test_a_new_progress_update_is_a_different_narrative_or_date():
    before = paper(
        row("A", AG, progress="Started", reported=MARCH),
        row("B", AG, progress="Same", reported=MARCH),
        row("C", AG, progress="Same words", reported=MARCH),
        row("D", AG),
    )
    after = paper(
        row("A", AG, progress="Finished the first half", reported=JULY),
        row("B", AG, progress="Same", reported=MARCH),
        row("C", AG, progress="Same words", reported=JULY),
        row("D", AG),
    )
    assert refs(compare_papers(before, after).new_updates) == ["A", "C"]


def test_a_first_status_is_neither_an_improvement_nor_a_worsening():
    result = compare_papers(paper(row("A")), paper(row("A", R, progress="First", reported=MARCH)))
    assert result.actions[0].movement == FIRST_STATUS and not result.improved and not result.worsened
    assert result.actions[0].labels == ("First status", "New progress update")


def test_the_later_papers_scale_decides_when_ranks_were_renumbered():
    renumbered = tuple(dataclasses.replace(s, rank=r) for s, r in zip(SCALE, (5, 4, 3, 2, 1), strict=True))
    result = compare_papers(paper(row("A", AR)), paper(row("A", renumbered[2]), scale=renumbered))
    assert refs(result.improved) == ["A"]


def test_counts_by_status_side_by_side():
    result = compare_papers(
        paper(row("A", AR), row("B", AG), row("C")), paper(row("A", AG), row("B", AG), row("C", R))
    )
    counts = {c.code: (c.before, c.after, c.difference) for c in result.counts}
    assert counts["A/G"] == (1, 2, 1) and counts["A/R"] == (1, 0, -1) and counts["R"] == (0, 1, 1)
    assert counts["–"] == (1, 0, -1)


def test_comparing_a_paper_with_itself_finds_nothing():
    same = paper(row("A", AR, progress="x", reported=MARCH), row("B", G))
    result = compare_papers(same, same)
    assert result.changed == () and len(result.unchanged) == 2
