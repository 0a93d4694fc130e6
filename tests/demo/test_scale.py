"""`wellled demo --scale N` (issue 16): synthetic trusts in an oversight region, loaded fast, once, the same each time.

Small sizes here (a few trusts, tens of actions); bench/portfolio_scale.py loads 220 full-size trusts.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction

from wellled.assessments.models import PublishedRating
from wellled.core.choices import AuditAction, OrganisationKind
from wellled.core.models import AuditLog, Organisation, PortfolioEntry
from wellled.core.selectors import workplaces_for_user
from wellled.demo.loader import DemoDates
from wellled.demo.scale import (
    DIRECTOR_USERNAME,
    PLAN_NAME,
    REGION_ODS_CODE,
    ScaleDataError,
    ScaleSize,
    indicator_codes,
    load_scale,
    scale_fingerprint,
    series,
    trust_identity,
)
from wellled.measures.models import Measure, MeasureValue
from wellled.measures.selectors import measures_for_user, summarise
from wellled.oversight.choices import Programme
from wellled.oversight.models import ExitCriterion, OversightStatus
from wellled.plans.choices import ActionState, CycleState, PlanKind
from wellled.plans.models import Action, Plan, ProgressUpdate, ReportingCycle, TimescaleRevision
from wellled.plans.selectors import actions_for_user, plans_for_user
from wellled.plans.services import plan_create

SMALL = ScaleSize(actions=40, measures=12, months=36, cycles=3)
DAY = DemoDates(today=datetime.date(2026, 12, 3))


def _codes(n: int) -> list[str]:
    return [trust_identity(i)[0] for i in range(1, n + 1)]


def _fingerprint_of_a_load(n: int, wanted: list[str], *, seed: int = 2026) -> str:
    """Load n trusts, read back a digest of `wanted`, and undo the load."""
    with transaction.atomic():
        load_scale(n, size=SMALL, dates=DAY, seed=seed)
        fingerprint = scale_fingerprint(wanted)
        transaction.set_rollback(True)
    return fingerprint


@pytest.mark.django_db
def test_each_trust_gets_a_plan_measures_and_ratings_of_the_asked_size_in_one_region():
    result = load_scale(3, size=SMALL, dates=DAY)

    assert sorted(result.created) == _codes(3) and result.already == 0
    region = Organisation.objects.get(ods_code=REGION_ODS_CODE)
    assert region.kind == OrganisationKind.OVERSIGHT and result.region == region
    assert result.director.username == DIRECTOR_USERNAME and result.director.check_password(result.password)
    for ods in _codes(3):
        trust = Organisation.objects.get(ods_code=ods)
        plan = Plan.objects.get(organisation=trust, name=PLAN_NAME)
        actions = Action.objects.filter(plan=plan)
        assert actions.count() == 40
        assert plan.sections.count() == 8 and not actions.filter(section__isnull=True).exists()
        assert not actions.filter(lead__isnull=True).exists()
        # every action has its original timescale, and some slipped (more than one timescale)
        assert TimescaleRevision.objects.filter(action__plan=plan, reason="Original timescale").count() == 40
        assert TimescaleRevision.objects.filter(action__plan=plan).count() > 40
        cycles = ReportingCycle.objects.filter(plan=plan)
        assert cycles.count() == 3 and cycles.filter(state=CycleState.OPEN).count() == 1
        assert ProgressUpdate.objects.filter(action__plan=plan).count() > 40
        # each action's status is its latest update's
        for action in actions.exclude(status__isnull=True)[:10]:
            latest = action.updates.order_by("-update_date", "-created_at").first()
            assert latest is not None and latest.status_id == action.status_id
        assert actions.filter(state=ActionState.OPEN).exists()
        measures = Measure.objects.filter(organisation=trust)
        assert measures.count() == 12
        assert MeasureValue.objects.filter(measure__organisation=trust).count() == 12 * 36
        assert PublishedRating.objects.filter(organisation=trust).count() == 12  # 6 questions, 2 inspections
    assert result.rows["measure values"] == 3 * 12 * 36 and result.rows["actions"] == 3 * 40


@pytest.mark.django_db
def test_every_trust_reports_the_same_shared_indicators():
    load_scale(2, size=SMALL, dates=DAY)
    names = [
        sorted(Measure.objects.filter(organisation__ods_code=ods).values_list("name", flat=True))
        for ods in _codes(2)
    ]
    assert names[0] == names[1] and len(names[0]) == 12
    assert len(indicator_codes()) == 100 and len(set(indicator_codes())) == 100
    if any(f.name == "indicator_code" for f in Measure._meta.get_fields()):
        codes = [
            sorted(
                Measure.objects.filter(organisation__ods_code=ods).values_list("indicator_code", flat=True)
            )
            for ods in _codes(2)
        ]
        assert codes[0] == codes[1] == indicator_codes()[:12]


@pytest.mark.django_db
def test_running_it_again_adds_nothing_and_a_larger_n_adds_only_the_missing_trusts():
    load_scale(2, size=SMALL, dates=DAY)
    counts = (Organisation.objects.count(), Action.objects.count(), MeasureValue.objects.count())

    again = load_scale(2, size=SMALL, dates=DAY)
    assert again.created == [] and again.already == 2
    assert (Organisation.objects.count(), Action.objects.count(), MeasureValue.objects.count()) == counts

    more = load_scale(3, size=SMALL, dates=DAY)
    assert more.created == [_codes(3)[2]] and more.already == 2
    assert Action.objects.count() == counts[1] + 40


@pytest.mark.django_db
def test_a_real_organisation_with_a_synthetic_ods_code_is_refused_not_mixed_in():
    from tests.factories import make_organisation

    make_organisation(name="Someone Else's Trust", ods_code=_codes(2)[1])
    with pytest.raises(ScaleDataError, match=_codes(2)[1]):
        load_scale(2, size=SMALL, dates=DAY)
    assert not Plan.objects.filter(name=PLAN_NAME).exists()


@pytest.mark.django_db
def test_the_same_seed_draws_the_same_trusts_whatever_n_is_asked_for():
    first = _fingerprint_of_a_load(2, _codes(2))
    assert _fingerprint_of_a_load(2, _codes(2)) == first
    # trust 2 is the same whether 2 or 3 trusts are loaded
    assert _fingerprint_of_a_load(3, [_codes(2)[1]]) == _fingerprint_of_a_load(2, [_codes(2)[1]])
    assert _fingerprint_of_a_load(2, _codes(2), seed=7) != first


@pytest.mark.django_db
def test_the_load_is_audited_in_summary_as_a_bulk_import_is():
    load_scale(1, size=SMALL, dates=DAY)
    trust = Organisation.objects.get(ods_code=_codes(1)[0])
    plan = Plan.objects.get(organisation=trust)
    notes = list(
        AuditLog.objects.filter(
            organisation=trust, action=AuditAction.UPDATE, object_id=str(plan.pk)
        ).values_list("note", flat=True)
    )
    assert any("40 actions" in note and "progress updates" in note for note in notes)
    # one record per measure (as a values import writes), not one per value or per action
    measure_records = AuditLog.objects.filter(organisation=trust, content_type__model="measure")
    assert measure_records.count() == 12 and "36 monthly values" in measure_records.first().note
    assert AuditLog.objects.filter(organisation=trust).count() < 100


@pytest.mark.django_db
def test_a_trusts_people_see_only_their_own_trusts_data():
    load_scale(2, size=SMALL, dates=DAY)
    first, second = (Organisation.objects.get(ods_code=ods) for ods in _codes(2))
    editor = first.memberships.get(user__username__endswith=".editor").user
    assert plans_for_user(user=editor, organisation=first).count() == 1
    assert not plans_for_user(user=editor, organisation=second).exists()
    assert not actions_for_user(user=editor, organisation=second).exists()
    assert not measures_for_user(user=editor, organisation=second).exists()
    assert measures_for_user(user=editor, organisation=first).count() == 12


@pytest.mark.django_db
def test_the_improvement_director_sees_every_trust_of_the_region_read_only():
    result = load_scale(3, size=SMALL, dates=DAY)
    director = result.director
    assert workplaces_for_user(user=director)[0].organisation == result.region
    lent = {m.organisation.ods_code for m in workplaces_for_user(user=director)[1:]}
    assert lent == set(_codes(3))
    for ods in _codes(3):
        trust = Organisation.objects.get(ods_code=ods)
        assert PortfolioEntry.objects.filter(
            oversight_body=result.region, trust=trust, left_on__isnull=True
        ).exists()
        assert plans_for_user(user=director, organisation=trust).count() == 1
        assert measures_for_user(user=director, organisation=trust).count() == 12
        with pytest.raises(PermissionDenied):
            plan_create(organisation=trust, by=director, name="Not allowed", kind=PlanKind.IMPROVEMENT)
    # a trust's own people do not see the region's other trusts
    editor = (
        Organisation.objects.get(ods_code=_codes(3)[0])
        .memberships.get(user__username__endswith=".editor")
        .user
    )
    assert not plans_for_user(
        user=editor, organisation=Organisation.objects.get(ods_code=_codes(3)[1])
    ).exists()


@pytest.mark.django_db
def test_each_trust_has_an_oversight_status_and_segment_4_trusts_are_in_the_recovery_support_programme():
    result = load_scale(12, size=ScaleSize(actions=2, measures=1, months=12, cycles=1), dates=DAY)
    segments = {}
    for ods in _codes(12):
        history = list(OversightStatus.objects.filter(trust__ods_code=ods).order_by("effective_from"))
        assert history and history[0].segment == 2 and all(s.oversight_body == result.region for s in history)
        current = history[-1]
        segments[ods] = current.segment
        if current.segment == 4:
            assert current.programme == Programme.RECOVERY_SUPPORT and current.programme_entered_on
            assert ExitCriterion.objects.filter(trust__ods_code=ods).count() == 4
        else:
            assert current.programme == Programme.NONE
    assert set(segments.values()) <= {1, 2, 3, 4} and len(set(segments.values())) >= 3


@pytest.mark.django_db
def test_some_measures_show_special_cause_on_their_charts():
    load_scale(2, size=ScaleSize(actions=5, measures=100, months=60, cycles=1), dates=DAY)
    measures = list(Measure.objects.filter(organisation__ods_code__in=_codes(2)))
    summaries = summarise(measures)
    variations = {str(s.variation) for s in summaries.values() if s.has_data}
    assert len(summaries) == 200 and any("common" not in v.lower() for v in variations)


def test_series_are_the_length_asked_for_and_never_impossible():
    import numpy as np

    rng = np.random.default_rng(1)
    proportion = {"kind": "proportion", "level": 0.9, "denominator": 50}
    for value, numerator, denominator in series(proportion, 60, rng):
        assert value is None and 0 <= numerator <= denominator
    count = {"kind": "count", "level": 3}
    assert all(v >= 0 and n is None for v, n, _ in series(count, 60, rng))
    assert len(series({"kind": "value", "level": 5, "noise": 1}, 24, rng)) == 24


@pytest.mark.django_db
def test_wellled_demo_scale_prints_the_improvement_directors_sign_in():
    out = io.StringIO()
    call_command(
        "demo",
        "--no-serve",
        "--scale",
        "2",
        "--scale-actions",
        "10",
        "--scale-measures",
        "3",
        "--scale-months",
        "12",
        stdout=out,
    )
    text = out.getvalue()
    assert "Synthetic trusts: 2 added" in text and DIRECTOR_USERNAME in text
    assert Action.objects.filter(plan__name=PLAN_NAME).count() == 20
