"""Fixtures for the board-paper tests."""

import pytest
from tests.reports.paper_data import PaperPlan, build_paper_plan


@pytest.fixture
def paper_plan(org, editor, viewer) -> PaperPlan:
    return build_paper_plan(org, editor, viewer)


@pytest.fixture(autouse=True)
def no_kept_pdfs():
    """Each test draws its board paper PDFs afresh (reports.render_pdf keeps the last ones drawn, by content)."""
    from wellled.reports.render_pdf import pdfs_kept_forget

    pdfs_kept_forget()
    yield
    pdfs_kept_forget()
