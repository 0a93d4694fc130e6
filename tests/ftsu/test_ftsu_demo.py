"""The demo's Freedom to Speak Up year: a guardian and a champion appointed, a year of invented cases the guardian
reads and nobody else does, and a quarterly return for each of its quarters; loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.http import Http404

from wellled.assessments.models import Assessment
from wellled.core.models import Organisation, User
from wellled.demo.ftsu import CONTENT, ftsu_demo_load
from wellled.demo.loader import DemoDates
from wellled.demo.measures import measures_demo_load
from wellled.demo.plans import DEMO_ODS_CODE, demo_load
from wellled.ftsu import selectors
from wellled.ftsu.models import Case, NationalFigures
from wellled.ftsu.periods import quarter_of
from wellled.ftsu.returns import quarter_return
from wellled.plans.models import Action
from wellled.reports.models import IssuedPaper
from wellled.reports.papers.pipeline import frozen_paper

pytestmark = pytest.mark.django_db


def test_the_demo_records_a_year_of_cases_for_the_guardian_alone():
    dates = DemoDates()
    demo_load(dates=dates)
    measures_demo_load(dates=dates)  # the staff survey the report sets beside the figures
    assert ftsu_demo_load(dates=dates) == CONTENT["cases"]
    assert ftsu_demo_load(dates=dates) == 0
    trust = Organisation.objects.get(ods_code=DEMO_ODS_CODE)
    guardian = User.objects.get(username=CONTENT["guardian"])
    administrator = User.objects.get(username=CONTENT["appointed_by"])
    assert len(selectors.cases_for_user(user=guardian, organisation=trust)) == CONTENT["cases"]
    with pytest.raises(Http404):
        selectors.cases_for_user(user=administrator, organisation=trust)
    assert Case.objects.exclude(closed_on=None).exists() and Case.objects.filter(route="online").exists()
    assert IssuedPaper.objects.filter(organisation=trust, kind="ftsu_ret").count() == 1
    # The guardian's report to the board for the last four quarters, issued with suppressed counts only, beside the
    # national figures for its year, the staff survey's voice score and the FTSU plan, after the board's self-review.
    board = IssuedPaper.objects.get(organisation=trust, kind="ftsu_board")
    paper = frozen_paper(board)
    cases = next(c for c in paper.charts if c.code == "cases")
    assert cases.chart is not None and cases.chart.points >= 4
    assert len(paper.quarters) == 4 and paper.national and paper.survey and paper.plan_actions
    assert paper.champions == str(CONTENT["board_report"]["champions"])
    for table in paper.tables:
        for row in table.rows:
            assert not any(v.isdigit() and 0 < int(v) < 5 for v in row.shown), row
    assert NationalFigures.objects.get(year=paper.national_year).illustrative
    review = Assessment.objects.get(organisation=trust, framework__key="ftsu-self-review")
    assert (
        review.state == "draft" and review.statements.exclude(score=None).count() == review.statements.count()
    )
    assert Action.objects.filter(plan__organisation=trust, reference="FTSU-1").exists()
    result = quarter_return(user=guardian, organisation=trust, quarter=quarter_of(dates.today))
    assert result.totals["cases"].count == sum(
        quarter_of(c.received_on) == result.quarter for c in Case.objects.all()
    )
