"""Leaving intensive support (ADR 0048): an exit criterion is met only when the improvement is sustained (a run of
"met" judgements as long as its rule asks, counted in judgements or months), the evidence measure's SPC summary is
read beside the judgement, and the exit recommendation and its decision are recorded and audited; regulatory
actions (licence undertakings, CQC warning and requirement notices, enforcement) are kept beside the status.

Written from NHS England's intensive support exit: a trust leaves against agreed exit criteria that show
sustainable improvement (shared/domain/cqc_scoring.md), on a recommendation that is then decided."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from tests.factories import make_person

from wellled.core.choices import Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import ConcurrentEditError
from wellled.measures import services as measure_services
from wellled.oversight import selectors, services
from wellled.oversight.models import DEFAULT_SUSTAINED_JUDGEMENTS, ExitRecommendation, RegulatoryAction

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def judge(criterion, director, *judgements):
    """Record judgements oldest first: (judgement, days ago)."""
    for judgement, ago in judgements:
        services.exit_criterion_judgement_record(
            criterion=criterion, by=director, judgement=judgement, judged_on=days_ago(ago), rationale="Seen."
        )


def row_of(criterion, director, region):
    rows = selectors.criterion_rows(
        selectors.body_criteria(user=director, organisation=region).filter(pk=criterion.pk)
    )
    return rows[0]


@pytest.fixture
def criterion(region, org, director, entry):
    return services.exit_criterion_create(
        oversight_body=region,
        trust=org,
        by=director,
        reference="EC1",
        title="Stable board",
        agreed_on=days_ago(400),
    )


def test_one_met_judgement_is_not_met_until_sustained_for_the_default_run(criterion, director, region):
    assert criterion.sustained_judgements == DEFAULT_SUSTAINED_JUDGEMENTS == 3
    judge(criterion, director, ("met", 90))
    state = row_of(criterion, director, region).now
    assert not state.met and state.run == 1
    assert state.text.startswith("Met, not yet sustained")
    judge(criterion, director, ("met", 60), ("met", 30))
    state = row_of(criterion, director, region).now
    assert state.met and state.run == 3 and state.since == days_ago(90)


def test_a_judgement_not_met_breaks_the_run(criterion, director, region):
    judge(criterion, director, ("met", 120), ("met", 90), ("partly_met", 60), ("met", 30), ("met", 10))
    state = row_of(criterion, director, region).now
    assert not state.met and state.run == 2 and state.since == days_ago(30)


def test_a_criterion_sustained_by_months_needs_the_run_to_span_them(region, org, director, entry):
    criterion = services.exit_criterion_create(
        oversight_body=region,
        trust=org,
        by=director,
        reference="EC2",
        title="Finances",
        agreed_on=days_ago(400),
        sustained_judgements=None,
        sustained_months=6,
    )
    judge(criterion, director, ("met", 300))
    assert not row_of(criterion, director, region).now.met  # one judgement spans no months, however old
    judge(criterion, director, ("met", 100))
    assert row_of(criterion, director, region).now.met  # 200 days met: more than six months


def test_a_criterion_must_say_how_long_it_stays_met(region, org, director, entry):
    with pytest.raises(ValidationError) as caught:
        services.exit_criterion_create(
            oversight_body=region,
            trust=org,
            by=director,
            reference="EC3",
            title="x",
            agreed_on=days_ago(5),
            sustained_judgements=None,
            sustained_months=None,
        )
    assert "sustained_judgements" in caught.value.message_dict


def test_exit_is_refused_until_every_criterion_is_sustained_then_recorded_and_decided(
    criterion, region, org, director
):
    judge(criterion, director, ("met", 60))
    with pytest.raises(ValidationError, match="EC1"):
        services.exit_recommend(
            oversight_body=region, trust=org, by=director, recommended_on=days_ago(0), reason="Ready"
        )
    judge(criterion, director, ("met", 40), ("met", 20))
    rec = services.exit_recommend(
        oversight_body=region, trust=org, by=director, recommended_on=days_ago(1), reason="All sustained"
    )
    assert (rec.decision, rec.recommended_by) == ("pending", director)
    with pytest.raises(ValidationError):  # one pending at a time
        services.exit_recommend(
            oversight_body=region, trust=org, by=director, recommended_on=days_ago(0), reason="Again"
        )
    with pytest.raises(ConcurrentEditError):
        services.exit_decide(
            recommendation=rec,
            by=director,
            expected_version=rec.version + 1,
            decision="accepted",
            decided_on=days_ago(0),
            decision_reason="Stale form",
        )
    decided = services.exit_decide(
        recommendation=rec,
        by=director,
        expected_version=rec.version,
        decision="declined",
        decided_on=days_ago(0),
        decision_reason="Wait for the winter",
    )
    assert (decided.decision, decided.decided_by, decided.decided_on) == ("declined", director, days_ago(0))
    with pytest.raises(ValidationError, match="already declined"):
        services.exit_decide(
            recommendation=decided,
            by=director,
            expected_version=decided.version,
            decision="accepted",
            decided_on=days_ago(0),
            decision_reason="Changed mind",
        )
    logged = AuditLog.objects.filter(object_id=str(rec.pk), content_type__model="exitrecommendation")
    assert sorted(logged.values_list("action", flat=True)) == ["create", "update"]


def test_a_decision_before_the_recommendation_is_refused(criterion, region, org, director):
    judge(criterion, director, ("met", 60), ("met", 40), ("met", 20))
    rec = services.exit_recommend(
        oversight_body=region, trust=org, by=director, recommended_on=days_ago(10), reason="Ready"
    )
    with pytest.raises(ValidationError) as caught:
        services.exit_decide(
            recommendation=rec,
            by=director,
            expected_version=rec.version,
            decision="accepted",
            decided_on=days_ago(11),
            decision_reason="x",
        )
    assert "decided_on" in caught.value.message_dict


def test_regulatory_action_recorded_lifted_and_audited(region, org, director, entry):
    action = services.regulatory_action_record(
        oversight_body=region,
        trust=org,
        by=director,
        kind="licence_undertakings",
        summary="Deliver the financial recovery plan",
        issued_on=days_ago(100),
        reference="U-2026-01",
    )
    assert action.in_force()
    lifted = services.regulatory_action_update(
        action=action, by=director, expected_version=action.version, lifted_on=days_ago(1)
    )
    assert not lifted.in_force() and lifted.in_force(on=days_ago(50))
    with pytest.raises(ValidationError) as caught:
        services.regulatory_action_update(
            action=lifted, by=director, expected_version=lifted.version, lifted_on=days_ago(200)
        )
    assert "lifted_on" in caught.value.message_dict
    assert (
        AuditLog.objects.filter(object_id=str(action.pk), content_type__model="regulatoryaction").count() == 2
    )


def test_trusts_and_viewers_cannot_write_oversight_records(region, org, director, entry, editor, criterion):
    viewer = make_person(region, role=Role.VIEWER, username="bodyviewer")
    for person, organisation, refused in (
        (editor, org, PermissionDenied),
        (viewer, region, PermissionDenied),
    ):
        with pytest.raises(refused):
            services.regulatory_action_record(
                oversight_body=organisation,
                trust=org,
                by=person,
                kind="warning_notice",
                summary="x",
                issued_on=days_ago(1),
            )
        with pytest.raises(refused):
            services.exit_recommend(
                oversight_body=organisation, trust=org, by=person, recommended_on=days_ago(0), reason="x"
            )
    assert not RegulatoryAction.objects.exists() and not ExitRecommendation.objects.exists()


def test_another_bodys_trust_cannot_be_written_or_read(
    other_region, other_director, org, criterion, region, director
):
    with pytest.raises(ValidationError, match="not in the portfolio"):
        services.regulatory_action_record(
            oversight_body=other_region,
            trust=org,
            by=other_director,
            kind="warning_notice",
            summary="x",
            issued_on=days_ago(1),
        )
    services.regulatory_action_record(
        oversight_body=region,
        trust=org,
        by=director,
        kind="warning_notice",
        summary="x",
        issued_on=days_ago(1),
    )
    assert not selectors.body_regulatory_actions(user=other_director, organisation=other_region).exists()


def test_the_evidence_measures_spc_summary_is_read_beside_the_judgement(
    criterion, region, org, director, editor, login
):
    measure = measure_services.measure_create(organisation=org, by=editor, name="Falls", kind="value")
    first = days_ago(500).replace(day=1)
    periods = [
        datetime.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(14)
    ]
    measure_services.values_load(
        organisation=org,
        by=editor,
        source="test",
        rows=[
            measure_services.ValueRow(measure.pk, p, value=float(50 + i % 3)) for i, p in enumerate(periods)
        ],
    )
    services.exit_criterion_evidence_add(
        criterion=criterion, by=director, kind="measure", object_id=measure.pk
    )
    row = row_of(criterion, director, region)
    summaries = selectors.evidence_measure_summaries(user=director, rows=[row])
    summary = summaries[row.evidence[0].pk]
    assert summary.points == 14 and summary.variation_text
    client = login(director)
    for page in (
        reverse("oversight-judgement-record", args=[criterion.pk]),
        reverse("oversight-trust", args=[org.pk]),
    ):
        html = client.get(page).content.decode()
        assert "Falls" in html and summary.variation_text in html, page
