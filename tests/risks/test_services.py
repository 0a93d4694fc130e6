"""Writes to the register: each one audited, versioned, and keeping its history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wellled.core.models import AuditLog
from wellled.risks import services
from wellled.risks.choices import EscalationDirection, RiskStatus
from wellled.risks.models import Risk, RiskEscalation, RiskReview, RiskScore

from .conftest import make_risk

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def audited(instance, action):
    return AuditLog.objects.filter(
        object_id=str(instance.pk), action=action, content_type__model=type(instance).__name__.lower()
    ).exists()


def test_create_records_three_scores_and_an_audit_record_when_a_risk_is_added(risk):
    assert risk.current_score == 12
    kinds = sorted(RiskScore.objects.filter(risk=risk).values_list("kind", "score"))
    assert kinds == [("current", 12), ("inherent", 20), ("target", 6)]
    assert audited(risk, "create")
    assert not risk.escalated


def test_risk_escalated_at_once_when_created_at_the_threshold(org, editor):
    risk = make_risk(org, editor, current=(3, 5))
    assert risk.escalated
    assert RiskEscalation.objects.get(risk=risk).direction == EscalationDirection.ESCALATED


def test_review_rescores_and_keeps_the_movement_when_the_owner_reviews(risk, lead):
    review = services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=risk.version,
        reviewed_on=TODAY,
        narrative="Agency cover agreed.",
        likelihood=4,
        consequence=4,
    )
    risk.refresh_from_db()
    assert (review.score_before, review.score, review.movement) == (12, 16, 4)
    assert risk.current_score == 16 and risk.version == 2
    assert risk.escalated  # 16 reaches the threshold of 15
    assert RiskScore.objects.filter(risk=risk, kind="current").count() == 2
    assert audited(review, "create") and audited(risk, "update")
    rescored = AuditLog.objects.filter(object_id=str(risk.pk), action="update", content_type__model="risk")
    first = rescored.order_by("pk").first()
    assert (first.before["current_score"], first.after["current_score"]) == (12, 16)
    assert first.before["version"] == 1 and first.after["version"] == 2
    # The next review follows the band of the new score (extreme: 30 days in convention.yaml).
    assert risk.next_review_on == TODAY + datetime.timedelta(days=30)


def test_deescalation_recorded_when_a_review_brings_the_score_below_the_threshold(org, editor, lead):
    risk = make_risk(org, editor, owner=lead, current=(4, 5))
    services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=risk.version,
        reviewed_on=TODAY,
        narrative="New rota in place.",
        likelihood=2,
        consequence=5,
    )
    risk.refresh_from_db()
    assert not risk.escalated
    directions = list(RiskEscalation.objects.filter(risk=risk).values_list("direction", flat=True))
    assert directions == [EscalationDirection.ESCALATED, EscalationDirection.DE_ESCALATED]


def test_threshold_change_reflags_the_register_when_the_organisation_lowers_it(org, editor, risk):
    services.threshold_set(organisation=org, by=editor, escalation_threshold=12)
    risk.refresh_from_db()
    assert risk.escalated
    assert services.escalation_threshold(org) == 12


def test_threshold_refused_when_the_matrix_cannot_give_it(org, editor):
    with pytest.raises(ValidationError):
        services.threshold_set(organisation=org, by=editor, escalation_threshold=14)


def test_review_refused_when_someone_else_saved_first(risk, lead):
    from wellled.core.service_kit import ConcurrentEditError

    services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=1,
        reviewed_on=TODAY,
        narrative="First.",
        likelihood=3,
        consequence=4,
    )
    with pytest.raises(ConcurrentEditError):
        services.risk_review_record(
            risk=risk,
            by=lead,
            expected_version=1,
            reviewed_on=TODAY,
            narrative="Second.",
            likelihood=1,
            consequence=1,
        )
    assert RiskReview.objects.filter(risk=risk).count() == 1


def test_review_refused_when_the_lead_does_not_own_the_risk(org, editor, people):
    from tests.factories import make_person

    other_lead = make_person(org, role="lead")
    risk = make_risk(org, editor, owner=people["lead"])
    with pytest.raises(PermissionDenied):
        services.risk_review_record(
            risk=risk,
            by=other_lead,
            expected_version=1,
            reviewed_on=TODAY,
            narrative="Not mine.",
            likelihood=1,
            consequence=1,
        )


def test_review_refused_when_dated_in_the_future(risk, lead):
    with pytest.raises(ValidationError) as caught:
        services.risk_review_record(
            risk=risk,
            by=lead,
            expected_version=1,
            reviewed_on=timezone.localdate()
            + datetime.timedelta(days=1),  # read now: a run may cross midnight
            narrative="Soon.",
            likelihood=1,
            consequence=1,
        )
    assert "reviewed_on" in caught.value.message_dict


def test_reviews_are_append_only_when_someone_tries_to_change_one(risk, lead):
    review = services.risk_review_record(
        risk=risk,
        by=lead,
        expected_version=1,
        reviewed_on=TODAY,
        narrative="Done.",
        likelihood=3,
        consequence=4,
    )
    review.narrative = "Rewritten"
    with pytest.raises(PermissionError):
        review.save()
    with pytest.raises(PermissionError):
        review.delete()


def test_closing_needs_a_reason_and_takes_the_risk_off_the_corporate_register(org, editor):
    risk = make_risk(org, editor, current=(5, 5))
    with pytest.raises(ValidationError):
        services.risk_status_set(
            risk=risk, by=editor, expected_version=risk.version, status=RiskStatus.CLOSED
        )
    risk = services.risk_status_set(
        risk=risk,
        by=editor,
        expected_version=risk.version,
        status=RiskStatus.CLOSED,
        reason="Service transferred to another provider.",
    )
    assert risk.status == RiskStatus.CLOSED and not risk.escalated


def test_target_rescored_on_edit_joins_the_scoring_history(risk, editor):
    services.risk_update(risk=risk, by=editor, expected_version=risk.version, target_likelihood=1)
    assert list(RiskScore.objects.filter(risk=risk, kind="target").values_list("score", flat=True)) == [6, 3]


def test_links_refused_when_an_action_belongs_to_another_organisation(risk, editor, outsider, other_org):
    from wellled.plans.models import Action

    foreign = Action.objects.filter(plan__organisation=other_org).first()
    with pytest.raises(ValidationError):
        services.risk_links_set(risk=risk, by=editor, expected_version=risk.version, actions=[foreign])


def test_links_shown_both_ways_when_an_action_mitigates_a_risk(risk, editor, objects):
    action = objects["action"]
    services.risk_links_set(risk=risk, by=editor, expected_version=risk.version, actions=[action])
    assert list(action.risks.all()) == [risk]


def test_writes_refused_when_the_role_is_viewer(org, viewer):
    with pytest.raises(PermissionDenied):
        make_risk(org, viewer)
    assert not Risk.objects.exists()


def test_assurance_recorded_on_a_control_with_its_line_and_level(risk, editor):
    control = risk.controls.get()
    assurance = services.assurance_add(
        control=control, by=editor, source="Monthly safer staffing report", line="second", level="reasonable"
    )
    assert audited(assurance, "create")
    with pytest.raises(ValidationError):
        services.assurance_add(control=control, by=editor, source="x", line="fourth", level="reasonable")


def test_operational_risk_feeds_a_principal_risk_and_not_an_ordinary_one(risk, editor, org, objective):
    principal = make_risk(org, editor, title="Workforce principal risk")
    operational = make_risk(org, editor, title="Ward vacancies")
    with pytest.raises(ValidationError) as caught:
        services.risk_links_set(
            risk=operational, by=editor, expected_version=operational.version, parent=principal
        )
    assert "parent" in caught.value.message_dict
    principal = services.risk_baf_set(
        risk=principal, by=editor, expected_version=principal.version, principal=True, objective=objective
    )
    operational = services.risk_links_set(
        risk=operational, by=editor, expected_version=operational.version, parent=principal
    )
    assert list(principal.beneath.all()) == [operational]
    with pytest.raises(ValidationError) as caught:  # taking it off the BAF would strand the risks beneath it
        services.risk_baf_set(risk=principal, by=editor, expected_version=principal.version, principal=False)
    assert "1 operational risks feed" in str(caught.value)
