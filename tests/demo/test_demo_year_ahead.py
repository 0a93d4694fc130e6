"""The demo never looks stale: loaded with the clock a year ahead, it still shows a live position."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.apps import apps
from django.db.models import Count
from django.utils import timezone

from wellled.accreditation.models import WardAudit
from wellled.assessments.models import Assessment
from wellled.demo.measures import MEASURES
from wellled.demo.plans import DEMO_ODS_CODE, SECOND_ODS_CODE, demo_plan
from wellled.demo.steps import demo_run
from wellled.improvement.models import PDSACycle
from wellled.measures.choices import Frequency
from wellled.measures.models import Measure, MeasureCommentary, MeasureValue
from wellled.oversight.models import (
    ExitCriterionJudgement,
    ImprovementBoardMeeting,
    MeetingAction,
    OversightNote,
    OversightStatus,
)
from wellled.oversight.selectors import current_status
from wellled.plans.choices import ActionState, CycleState
from wellled.plans.models import Action, ProgressUpdate, ReportingCycle, TimescaleRevision
from wellled.reports.models import IssuedPaper, PaperKind

pytestmark = pytest.mark.django_db

A_YEAR = datetime.timedelta(days=365)
OPEN_CYCLE_WITHIN = datetime.timedelta(weeks=5)  # the open cycle is the latest month end's
RECENT_UPDATES_WITHIN = datetime.timedelta(weeks=6)
MOST_OVERDUE = 0.25  # at most a quarter of open actions past their timescale


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def a_year_ahead():
    """The clock a year from now (still moving), for the whole test."""
    real_today = timezone.localdate()
    with time_machine.travel(timezone.now() + A_YEAR, tick=True):
        assert timezone.localdate() - real_today >= A_YEAR - datetime.timedelta(days=1)  # the clock moved
        yield timezone.localdate()


def test_loaded_a_year_ahead_the_demo_shows_a_live_position(a_year_ahead):
    today = a_year_ahead
    demo_run()
    now = timezone.now()
    for ods_code in (DEMO_ODS_CODE, SECOND_ODS_CODE):
        plan = demo_plan(ods_code)
        cycles = list(plan.cycles.order_by("position_as_at"))
        current = cycles[-1]
        assert current.state == CycleState.OPEN
        assert all(c.state == CycleState.CLOSED for c in cycles[:-1])
        assert datetime.timedelta(0) < today - current.position_as_at <= OPEN_CYCLE_WITHIN
        assert current.update_deadline > current.position_as_at  # leads update after the month end
        recent = ProgressUpdate.objects.filter(
            action__plan=plan, update_date__gte=today - RECENT_UPDATES_WITHIN
        )
        assert recent.filter(cycle=current).exists()
        open_actions = plan.actions.filter(state=ActionState.OPEN)
        overdue = open_actions.overdue(today)
        assert overdue.count() <= MOST_OVERDUE * open_actions.count(), list(overdue)
        assert overdue.exists() or ods_code != DEMO_ODS_CODE  # the demo trust has a few to chase
        assert open_actions.filter(due_date__gte=today).count() > open_actions.count() / 2  # mostly ahead
    # Some timescales slipped, every revision agreed in the past.
    assert Action.objects.annotate(n=Count("timescales")).filter(n__gt=1).count() > 5
    assert not TimescaleRevision.objects.filter(created_at__gt=now).exists()
    assert not ProgressUpdate.objects.filter(created_at__gt=now).exists()
    assert not ReportingCycle.objects.filter(opened_at__gt=now).exists()
    # Every monthly measure has a figure for the last complete month, and no measure one for this month (the staff
    # survey is yearly, by calendar year: its latest figure is last autumn's survey).
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    demo_measures = Measure.objects.filter(name__in=[spec["name"] for spec in MEASURES])
    assert demo_measures.count() == len(MEASURES)
    assert demo_measures.exclude(frequency=Frequency.MONTHLY).count() <= 2  # the demo is mostly monthly
    for measure in demo_measures.filter(frequency=Frequency.MONTHLY):
        value = MeasureValue.objects.get(measure=measure, period=last_month)
        assert value.value is not None or value.numerator is not None, measure.name
    assert not MeasureValue.objects.filter(period__gt=last_month).exists()
    # The latest well-led assessment was visited and published in the past; papers exist for past cycles. The board's
    # FTSU self-review is scored in the past but never published, so it files no rating (ADR 0059).
    self_reviews = Assessment.objects.filter(framework__key="ftsu-self-review")
    assert self_reviews.exists() and all(a.assessed_on < today and not a.is_published for a in self_reviews)
    latest = Assessment.objects.exclude(framework__key="ftsu-self-review").order_by("-assessed_on").first()
    assert latest.assessed_on < today and latest.is_published
    assert all(a.published_at <= now for a in Assessment.objects.exclude(published_at=None))
    papers = IssuedPaper.objects.filter(kind=PaperKind.BOARD).order_by("as_at")  # the BAF is the risks step's
    assert papers.count() == 2 and all(p.as_at < today - datetime.timedelta(days=28) for p in papers)
    # Ward visits within the last two years, most wards in date, one team's first visit under way; QI cycles and
    # the report month's commentary (the last complete period, which the report opens at).
    visits = WardAudit.objects.filter(state="completed")
    assert visits.count() > 20 and all(
        today - datetime.timedelta(days=731) < v.audited_on < today for v in visits
    )
    assert visits.filter(renew_by__gte=today).values("unit").distinct().count() >= 8
    assert WardAudit.objects.filter(state="draft").count() == 1
    assert PDSACycle.objects.count() == 3 and all(c.started_on < today for c in PDSACycle.objects.all())
    assert MeasureCommentary.objects.filter(period=last_month).count() == 3  # the report month
    # The oversight region: the trust in the Recovery Support Programme today, every judgement and note in the past,
    # one improvement board held with its actions and one still to come.
    statuses = list(OversightStatus.objects.filter(trust__ods_code=DEMO_ODS_CODE))
    assert current_status(statuses).programme == "recovery_support"
    assert all(j.judged_on <= today for j in ExitCriterionJudgement.objects.all())
    assert all(n.noted_on <= today for n in OversightNote.objects.all())
    meetings = ImprovementBoardMeeting.objects.order_by("held_on")
    assert [m.status for m in meetings] == ["held", "planned"] and meetings[0].held_on < today < meetings[
        1
    ].held_on
    assert MeetingAction.objects.filter(meeting=meetings[0]).count() == 2
    _information_requests(today)


def _information_requests(today: datetime.date) -> None:
    """In the region's register, five requests from three bodies: two answered with one answer (one of them by
    reuse), one overdue, and one registered afterwards that is offered that answer. In the trust's own register,
    three addressed to it: one answered, one answered by reusing that answer, one waiting (issue 27)."""
    from wellled.information.models import Answer, InformationRequest

    own = InformationRequest.objects.filter(organisation__ods_code=DEMO_ODS_CODE)
    assert own.count() == 3 and all(r.subject_id == r.organisation_id for r in own)
    assert own.filter(status="answered").count() == 2
    assert own.filter(status="answered", answered_by_reuse=True).count() == 1
    assert own.filter(status="open").count() == 1 and not any(r.overdue for r in own if r.status == "open")
    assert all(r.received_on <= today for r in own)
    requests = InformationRequest.objects.exclude(organisation__ods_code=DEMO_ODS_CODE)
    assert requests.count() == 5
    assert len({r.body_name for r in requests}) == 3
    assert requests.filter(status="answered").count() == 2
    assert requests.filter(status="answered", answered_by_reuse=True).count() == 1
    assert [r.their_reference for r in requests if r.overdue] == ["CQC-ENG-2304"]
    later = requests.get(their_reference="FPC-0462")
    assert (
        later.status == "open"
        and Answer.objects.filter(fingerprint=later.fingerprint, organisation=later.organisation).count() == 1
    )
    assert all(r.received_on <= today for r in requests)


def test_run_again_on_a_later_day_the_demo_adds_nothing():
    demo_run()
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40), tick=True):
        results = demo_run()  # the names and dates it would write differ now; it still finds itself loaded
    # assessments, measures, risks, committees, wards and QI projects, papers; the oversight region; information
    # requests
    assert not results[0].created and results[1:7] == [False, 0, 0, 0, 0, 0]
    assert not results[7].created
    assert results[8:] == [
        0,
        0,
        0,
        0,
    ]  # information requests; speak-up cases; cycle of business; chair's reports
    assert {model._meta.label: model.objects.count() for model in apps.get_models()} == counts
