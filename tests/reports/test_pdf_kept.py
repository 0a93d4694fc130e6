"""The board paper's PDF is kept by what it says (issue 24): the same paper again is handed back without being
laid out, a paper that says anything else is drawn afresh, and a draft is never handed back as an issued paper's
PDF, nor without its draft marks counted."""

from __future__ import annotations

import dataclasses
import datetime
import io

import pytest
from pypdf import PdfReader

from wellled.reports import render_pdf as board_pdf
from wellled.reports.board_paper import board_paper_build
from wellled.reports.pdf_layout import drafting

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(monkeypatch):
    """How many times a board paper was laid out."""
    count = [0]
    build = board_pdf.Story.build

    def counting(self):
        count[0] += 1
        return build(self)

    monkeypatch.setattr(board_pdf.Story, "build", counting)
    return count


@pytest.fixture
def paper(paper_plan):
    return board_paper_build(
        user=paper_plan.viewer, organisation=paper_plan.plan.organisation, plan=paper_plan.plan
    )


def test_the_same_paper_again_is_handed_back_when_it_was_drawn_a_moment_ago(paper, drawn):
    first = board_pdf.render_pdf(paper)
    later = dataclasses.replace(paper, generated_at=paper.generated_at + datetime.timedelta(seconds=5))
    assert board_pdf.render_pdf(later) == first
    assert drawn == [1]


def test_two_people_asking_for_the_same_paper_share_one_drawing(paper, drawn):
    """Who asked is not printed on the paper, so it is not part of what the kept PDF is found by."""
    first = board_pdf.render_pdf(paper)
    assert board_pdf.render_pdf(dataclasses.replace(paper, generated_by="Another Board Member")) == first
    assert drawn == [1]


def test_a_paper_that_says_anything_else_is_drawn_afresh_when_one_text_changed(paper, drawn):
    first = board_pdf.render_pdf(paper)
    row = paper.part_a[0].rows[0]
    changed_row = dataclasses.replace(row, title=row.title + " (revised)")
    block = dataclasses.replace(paper.part_a[0], rows=(changed_row, *paper.part_a[0].rows[1:]))
    changed = dataclasses.replace(paper, part_a=(block, *paper.part_a[1:]))
    second = board_pdf.render_pdf(changed)
    assert drawn == [2]
    assert second != first
    assert "(revised)" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(second)).pages)


def test_a_paper_produced_on_another_day_is_drawn_afresh(paper, drawn):
    board_pdf.render_pdf(paper)
    board_pdf.render_pdf(
        dataclasses.replace(paper, generated_at=paper.generated_at + datetime.timedelta(days=1))
    )
    assert drawn == [2]


def test_a_draft_is_kept_apart_from_the_issued_pdf_and_its_marks_are_counted_when_handed_back(paper, drawn):
    issued = board_pdf.render_pdf(paper)
    with drafting("DRAFT: not issued.") as first:
        draft = board_pdf.render_pdf(paper)
    with drafting("DRAFT: not issued.") as again:
        assert board_pdf.render_pdf(paper) == draft
    with drafting("DRAFT: not issued, another day.") as other:
        board_pdf.render_pdf(paper)
    assert drawn == [3]
    assert draft != issued
    pages = len(PdfReader(io.BytesIO(draft)).pages)
    assert first.pages == again.pages == other.pages == pages


def test_no_more_than_the_kept_number_of_pdfs_are_kept(paper, drawn, monkeypatch):
    monkeypatch.setattr(board_pdf, "PDFS_KEPT", 2)
    days = [paper.generated_at + datetime.timedelta(days=n) for n in range(3)]
    for day in days:
        board_pdf.render_pdf(dataclasses.replace(paper, generated_at=day))
    board_pdf.render_pdf(dataclasses.replace(paper, generated_at=days[0]))  # the oldest went first
    assert drawn == [4]
