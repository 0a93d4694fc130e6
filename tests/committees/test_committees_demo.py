"""The demo's committees: a board with four committees and a sub-committee, terms of reference owning BAF risks,
last month's meetings held with minutes, decisions and actions, next month's planned; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from wellled.committees.choices import CommitteeKind, MeetingStatus
from wellled.committees.models import Committee, Decision, Meeting, MeetingAction
from wellled.core.models import Organisation
from wellled.demo.committees import committees_demo_load
from wellled.demo.loader import DemoDates
from wellled.demo.measures import measures_demo_load
from wellled.demo.plans import DEMO_ODS_CODE, demo_load
from wellled.demo.risks import risks_demo_load

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_board_and_its_committees_once():
    dates = DemoDates()
    demo_load(dates=dates)
    measures_demo_load(dates=dates)
    risks_demo_load(dates=dates)
    assert committees_demo_load(dates=dates) == 6
    assert committees_demo_load(dates=dates) == 0
    trust = Organisation.objects.get(ods_code=DEMO_ODS_CODE)
    committees = Committee.objects.filter(organisation=trust)
    assert committees.filter(kind=CommitteeKind.BOARD_COMMITTEE).count() == 4
    assert committees.get(kind=CommitteeKind.SUB_COMMITTEE).reports_to.name == "Quality Committee"
    quality = committees.get(name="Quality Committee")
    assert set(quality.terms.get().risks.values_list("reference", flat=True)) == {"BAF1", "BAF4", "BAF9"}
    meetings = Meeting.objects.filter(committee__organisation=trust)
    assert meetings.filter(status=MeetingStatus.HELD).count() == 6  # every one quorate
    assert meetings.filter(status=MeetingStatus.PLANNED, starts_at__gt=timezone.now()).count() == 6
    assert Decision.objects.filter(meeting__committee__organisation=trust).count() == 5
    assert MeetingAction.objects.filter(meeting__committee=quality).count() == 1
