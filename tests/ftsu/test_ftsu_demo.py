"""The demo's Freedom to Speak Up year: a guardian and a champion appointed, a year of invented cases the guardian
reads and nobody else does, and a quarterly return for each of its quarters; loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.http import Http404

from wellled.core.models import Organisation, User
from wellled.demo.ftsu import CONTENT, ftsu_demo_load
from wellled.demo.loader import DemoDates
from wellled.demo.plans import DEMO_ODS_CODE, demo_load
from wellled.ftsu import selectors
from wellled.ftsu.models import Case
from wellled.ftsu.periods import quarter_of
from wellled.ftsu.returns import quarter_return
from wellled.reports.models import IssuedPaper

pytestmark = pytest.mark.django_db


def test_the_demo_records_a_year_of_cases_for_the_guardian_alone():
    dates = DemoDates()
    demo_load(dates=dates)
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
    result = quarter_return(user=guardian, organisation=trust, quarter=quarter_of(dates.today))
    assert result.totals["cases"].count == sum(
        quarter_of(c.received_on) == result.quarter for c in Case.objects.all()
    )
