"""Fixtures of the portfolio tests (in their own folder, apart from the oversight records' tests): a region's
portfolio built through the services (and, for the oversight records whose services another part of
issue 16 adds, the models): trusts with a status, CQC ratings, plans, exit criteria and coded measures."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.factories import make_person, make_plan, status

from wellled.assessments.choices import AssessorKind, RatingSource
from wellled.assessments.models import PublishedRating
from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create, portfolio_trust_add
from wellled.measures.models import Measure, MeasureValue
from wellled.oversight.models import ExitCriterion, ExitCriterionJudgement, OversightStatus
from wellled.plans import services as plan_services
from wellled.plans.models import Action

TODAY = timezone.localdate


def make_region(name="NHS England Test Region", ods="ZR001"):
    return organisation_create(name=name, ods_code=ods, by=None, kind=OrganisationKind.OVERSIGHT)


def oversight_status(region, trust, by, *, segment, programme="none", entered=None, exited=None, days_ago=10):
    return OversightStatus.objects.create(
        oversight_body=region,
        trust=trust,
        effective_from=TODAY() - datetime.timedelta(days=days_ago),
        segment=segment,
        programme=programme,
        programme_entered_on=entered,
        programme_exited_on=exited,
        improvement_director=by,
        recorded_by=by,
    )


def cqc_ratings(trust, rated_on, ratings: dict[str, str]):
    for key_question, rating in ratings.items():
        PublishedRating.objects.create(
            organisation=trust,
            key_question=key_question,
            rating=rating,
            rated_on=rated_on,
            assessor_kind=AssessorKind.CQC,
            source=RatingSource.IMPORTED,
        )


def exit_criteria(region, trust, by, judgements: list[list[str]]):
    """One criterion per list; each list the judgements in date order (the last is the latest)."""
    for i, history in enumerate(judgements):
        criterion = ExitCriterion.objects.create(
            oversight_body=region,
            trust=trust,
            reference=f"EC{i + 1}",
            title=f"Exit criterion {i + 1}",
            agreed_on=TODAY() - datetime.timedelta(days=200),
        )
        for j, judgement in enumerate(history):
            ExitCriterionJudgement.objects.create(
                criterion=criterion,
                judgement=judgement,
                judged_on=TODAY() - datetime.timedelta(days=100 - j * 10),
                rationale="Seen at the review meeting.",
                judged_by=by,
            )


def coded_measure(trust, code, values, *, name="", direction="increase", target=None):
    """A monthly value measure with `values` for the months up to last month."""
    measure = Measure.objects.create(
        organisation=trust,
        name=name or f"Measure {code}",
        indicator_code=code,
        direction=direction,
        target=target,
    )
    first = (TODAY().replace(day=1) - datetime.timedelta(days=31 * len(values))).replace(day=1)
    months = []
    day = first
    for _ in values:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measure, period=p, value=v, updated_at=timezone.now())
        for p, v in zip(months, values, strict=True)
    )
    return measure


def trust_with_plan(name, ods, *, actions=3, with_cycle=True, delivered=0, updated=0):
    """A trust with one plan of `actions` actions (due last March, so overdue unless delivered); an open cycle;
    `delivered` of them at G and `updated` more at A/G, both updated in the open cycle."""
    trust = organisation_create(name=name, ods_code=ods, by=None)
    editor = make_person(trust, role=Role.GOVERNANCE_EDITOR)
    plan = make_plan(trust, editor, actions=actions, lead=editor)
    if with_cycle:
        plan_services.cycle_open(
            plan=plan,
            by=editor,
            name="Board",
            position_as_at=TODAY(),
            update_deadline=TODAY(),
        )
    found = list(Action.objects.filter(plan=plan).order_by("reference"))
    for i, action in enumerate(found[: delivered + updated]):
        plan_services.progress_update_record(
            action=action,
            by=editor,
            narrative="Progress noted.",
            status=status(trust, "G" if i < delivered else "A/G"),
            expected_version=None,
        )
    return trust


@pytest.fixture
def region(db):
    return make_region()


@pytest.fixture
def director(region):
    return make_person(region, role=Role.GOVERNANCE_EDITOR, username="director", first_name="Dana")


@pytest.fixture
def portfolio_trusts(region, director):
    """Three trusts in the region's portfolio, each different in every column."""
    north = trust_with_plan("Northfield Hospitals NHS Trust", "ZNF01", actions=4, delivered=1, updated=1)
    south = trust_with_plan("Southby Healthcare NHS Trust", "ZSB01", actions=2, with_cycle=False)
    east = trust_with_plan("Eastmere Community NHS Trust", "ZEM01", actions=1, delivered=1)
    for trust in (north, south, east):
        portfolio_trust_add(
            oversight_body=region, trust=trust, by=None, joined_on=TODAY() - datetime.timedelta(days=400)
        )
    # Northfield: segment 4 in the Recovery Support Programme for 14 months, an older status superseded.
    oversight_status(region, north, director, segment=3, days_ago=500)
    entered = TODAY() - datetime.timedelta(days=430)
    oversight_status(region, north, director, segment=4, programme="recovery_support", entered=entered)
    oversight_status(region, south, director, segment=2)
    # A status that takes effect next month does not count yet.
    oversight_status(region, south, director, segment=5, days_ago=-30)
    cqc_ratings(north, datetime.date(2023, 5, 1), {"overall": "good", "safe": "good", "well_led": "good"})
    cqc_ratings(
        north,
        datetime.date(2025, 6, 1),
        {"overall": "requires_improvement", "safe": "inadequate", "well_led": "good"},
    )
    cqc_ratings(south, datetime.date(2024, 3, 1), {"overall": "good"})
    cqc_ratings(east, datetime.date(2022, 1, 1), {"overall": "requires_improvement"})
    cqc_ratings(east, datetime.date(2025, 1, 1), {"overall": "outstanding"})
    exit_criteria(region, north, director, [["not_met", "met"], ["partly_met"], ["met", "not_met"], []])
    # Measures: a shared code on all three (one with a step up), a code on two, a code on one only.
    rising = [50.0] * 12 + [80.0] * 9
    coded_measure(north, "FFT-IP", rising, name="Inpatient friends and family", target=60)
    coded_measure(
        south, "FFT-IP", [70.0 + (i % 3) for i in range(21)], name="Inpatient FFT positive", target=60
    )
    coded_measure(
        east, "FFT-IP", [40.0 + (i % 2) for i in range(21)], name="Inpatient friends and family", target=60
    )
    coded_measure(north, "RTT-18", [60.0 + (i % 4) for i in range(15)], name="Referral to treatment")
    coded_measure(south, "RTT-18", [], name="Referral to treatment")
    coded_measure(east, "OWN-1", [1.0, 2.0, 3.0], name="A measure of its own")
    return {"north": north, "south": south, "east": east}
