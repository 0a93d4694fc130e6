"""The demo's cycle of business step (issue 22): nothing without committees; with them, each committee's cycle
planned, the coming agendas drafted and last month's board pack issued, once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.committees.builders import build_board
from tests.factories import make_organisation

from wellled.committees.choices import MeetingStatus
from wellled.committees.models import AgendaItem, CycleEntry, CycleItem, Meeting, MeetingPack
from wellled.core.choices import Role
from wellled.core.services import membership_set, person_create
from wellled.demo.committees_cycle import committees_cycle_demo_load
from wellled.demo.plans import DEMO_ODS_CODE

pytestmark = pytest.mark.django_db


def test_the_step_adds_nothing_without_the_demo_trust_or_its_committees():
    assert committees_cycle_demo_load() == 0
    make_organisation(ods_code=DEMO_ODS_CODE)
    assert committees_cycle_demo_load() == 0
    assert not CycleItem.objects.exists()


def test_the_step_plans_each_committee_drafts_agendas_and_issues_last_months_board_pack(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = make_organisation(ods_code=DEMO_ODS_CODE)
    admin = person_create(username="sian.okafor", by=None, organisation=org, role=Role.ADMINISTRATOR)
    membership_set(user=admin, organisation=org, role=Role.ADMINISTRATOR, by=None)
    b = build_board(org, when=timezone.now() + datetime.timedelta(days=10))
    AgendaItem.objects.filter(
        meeting=b.meeting
    ).delete()  # the coming meeting's agenda is drafted from the cycle
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=15)
    board_meeting = Meeting.objects.create(
        committee=b.board,
        starts_at=timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(10))),
        status=MeetingStatus.HELD,
    )
    AgendaItem.objects.create(meeting=board_meeting, position=1, title="Chief executive's report")
    added = committees_cycle_demo_load()
    assert added == CycleItem.objects.count() > 10
    assert CycleEntry.objects.filter(cycle_item__committee=b.quality).exists()
    assert AgendaItem.objects.filter(meeting=b.meeting, cycle_item__isnull=False).exists()
    pack = MeetingPack.objects.get(meeting=board_meeting)
    assert pack.job is not None and pack.job.state == "done" and pack.job.paper_id
    assert committees_cycle_demo_load() == 0  # once
