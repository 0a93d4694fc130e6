"""The demo trust's issued papers: its last two closed cycles, once, with a comparison that shows what moved."""

from __future__ import annotations

import pytest

from wellled.demo.loader import DemoDates
from wellled.demo.measures import measures_demo_load
from wellled.demo.papers import papers_demo_load
from wellled.demo.plans import demo_load
from wellled.reports.compare import compare_papers
from wellled.reports.models import IssuedPaper
from wellled.reports.selectors import frozen_paper

pytestmark = pytest.mark.django_db


def test_the_demo_issues_its_last_two_closed_cycles_once_and_they_compare(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_load()
    measures_demo_load()
    assert papers_demo_load() == 2
    assert papers_demo_load() == 0  # idempotent
    earlier, later = IssuedPaper.objects.order_by("as_at")
    # The open cycle is last month's; the two before it are closed (month ends relative to today).
    expected = (DemoDates().date("month_end(-3)").isoformat(), DemoDates().date("month_end(-2)").isoformat())
    assert (earlier.as_at.isoformat(), later.as_at.isoformat()) == expected
    assert later.files.count() == 5
    result = compare_papers(frozen_paper(earlier), frozen_paper(later))
    assert result.changed  # a month of updates moved some actions
    assert frozen_paper(later).measures  # the demo's success measures are in the paper
