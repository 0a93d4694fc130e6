"""How the PDF paper breaks across pages: a row is never split when it fits on a page, a row taller than a page
is split rather than lost, and text that looks like markup is printed as written."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader
from tests.factories import make_person, status

from wellled.core.choices import Role
from wellled.plans import services
from wellled.plans.choices import PlanKind, PlanOrganisedBy
from wellled.reports.board_paper import board_paper_build
from wellled.reports.render_pdf import render_pdf

pytestmark = pytest.mark.django_db


def narrative(index: int, words: int) -> str:
    """A progress update whose last words name its action, so a test can find where each update ends."""
    return (
        " ".join(["Work continues with the teams involved."] * (words // 6)) + f" End of update {index:02d}."
    )


def build(org, editor, narratives: list[str]):
    # The paper shows what had been recorded by the end of its as-at day, so the position is today's.
    as_at = timezone.localdate()
    lead = make_person(org, role=Role.LEAD, initials="PL")
    plan = services.plan_create(
        organisation=org,
        by=editor,
        name="Layout plan",
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.WORKSTREAM,
    )
    section = services.section_create(plan=plan, by=editor, code="W1", title="Leadership")
    for index, text in enumerate(narratives):
        action = services.action_create(
            plan=plan,
            by=editor,
            reference=f"L{index:02d}",
            title=f"Action {index}",
            section=section,
            lead=lead,
            due_date=as_at + datetime.timedelta(days=60),
        )
        services.progress_update_record(
            action=action,
            by=lead,
            narrative=text,
            status=status(org, "A/G"),
            expected_version=None,
            update_date=as_at - datetime.timedelta(days=5),
        )
    return board_paper_build(user=editor, organisation=org, plan=plan, as_at=as_at)


def part_a_pages(paper) -> list[str]:
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(paper))).pages]
    start = next(i for i, text in enumerate(pages) if "Part A: delivery status by section" in text)
    return pages[start:]


def test_rows_that_fit_on_a_page_are_never_split_across_pages(org, editor):
    paper = build(org, editor, [narrative(i, 40 + (i % 5) * 25) for i in range(45)])
    pages = part_a_pages(paper)
    assert len(pages) > 3
    for index in range(45):
        on = [n for n, text in enumerate(pages) if f"L{index:02d} Action {index}" in text]
        ends = [n for n, text in enumerate(pages) if f"End of update {index:02d}." in text]
        assert len(on) == 1 and on == ends, (index, on, ends)


def test_a_row_taller_than_a_page_is_split_and_nothing_is_lost(org, editor):
    paper = build(org, editor, [narrative(0, 30), narrative(1, 870), narrative(2, 30)])
    text = " ".join(part_a_pages(paper))
    assert text.count("involved.") == 5 + 145 + 5  # a sentence may break across pages, its end is kept
    for index in range(3):
        assert f"End of update {index:02d}." in text


def test_markup_like_text_is_printed_as_written(org, editor):
    paper = build(org, editor, ['Use <b>bold</b> & "quotes" <br/> as typed; =1+1 <font size=40>big</font>'])
    text = " ".join(part_a_pages(paper))
    assert 'Use <b>bold</b> & "quotes" <br/> as typed; =1+1 <font size=40>big</font>' in text
