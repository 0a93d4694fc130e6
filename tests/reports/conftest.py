"""Fixtures for the board-paper tests."""

import pytest
from tests.reports.paper_data import PaperPlan, build_paper_plan


@pytest.fixture
def paper_plan(org, editor, viewer) -> PaperPlan:
    return build_paper_plan(org, editor, viewer)
