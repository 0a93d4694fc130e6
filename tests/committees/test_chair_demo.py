"""The demo step of chair's reports (ADR 0062): with the demo trust's committees in place, it links the BAF's lead
committee texts, records reviews, issues last month's chair's reports onto the board's agenda and refers an item;
run again, it changes nothing; with no committees it does nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.committees.builders import build_board
from tests.factories import make_organisation, make_person

from wellled.committees.choices import MeetingStatus, ReportStatus
from wellled.committees.models import ChairsReport, Escalation, Meeting, RiskReview
from wellled.core.choices import Role
from wellled.demo.committees_reports import committees_reports_demo_load
from wellled.demo.plans import DEMO_ODS_CODE
from wellled.measures.models import Measure, MeasureSpcSummary
from wellled.risks import services as risk_services
from wellled.risks.models import Risk

pytestmark = pytest.mark.django_db


def test_the_step_does_nothing_without_the_demo_trusts_committees():
    make_organisation(ods_code=DEMO_ODS_CODE)
    assert committees_reports_demo_load() == 0


def test_the_step_reports_reviews_links_and_escalates_once():
    org = make_organisation(ods_code=DEMO_ODS_CODE)
    admin = make_person(org, Role.ADMINISTRATOR)
    b = build_board(org)
    b.meeting.starts_at = timezone.now() - datetime.timedelta(days=20)
    b.meeting.status = MeetingStatus.HELD
    b.meeting.save()
    board_meeting = Meeting.objects.create(
        committee=b.board, starts_at=timezone.now() + datetime.timedelta(days=9)
    )
    objective = risk_services.objective_create(
        organisation=org, by=admin, code="SO1", title="Safe", appetite="cautious", tolerance=6
    )
    risk = risk_services.risk_create(
        organisation=org, by=admin, title="Falls", inherent=(4, 4), current=(3, 4), target=(2, 2)
    )
    risk_services.risk_baf_set(
        risk=risk,
        by=admin,
        expected_version=risk.version,
        principal=True,
        objective=objective,
        lead_committee="Quality Cttee",
    )
    measure = Measure.objects.create(organisation=org, name="Falls with harm", committee=b.quality)
    MeasureSpcSummary.objects.create(measure=measure, variation="concern_high", refreshed_at=timezone.now())

    assert committees_reports_demo_load() == 1

    assert Risk.objects.get(pk=risk.pk).committee == b.quality
    assert RiskReview.objects.filter(risk=risk, committee=b.quality).count() == 1
    report = ChairsReport.objects.get(meeting=b.meeting)
    assert report.status == ReportStatus.ISSUED
    assert "IPR exception: Falls with harm: special cause of concern" in report.alert
    assert "Principal risk above tolerance" in report.alert
    titles = list(board_meeting.items.values_list("title", flat=True))
    assert "Quality Committee: chair's report" in titles
    assert Escalation.objects.filter(from_committee=b.quality, to_committee=b.board).count() == 1
    assert committees_reports_demo_load() == 0  # run again: nothing changes
    assert ChairsReport.objects.count() == 1
