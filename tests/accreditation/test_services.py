"""Recording and completing a ward audit: the level from the scheme, the renewal date, the score charted, audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.accreditation.conftest import all_met

from wellled.accreditation import services
from wellled.accreditation.models import WardAudit, WardMeasure
from wellled.core.calendar import months_add
from wellled.core.models import AuditLog
from wellled.core.service_kit import ConcurrentEditError
from wellled.measures.models import MeasureValue


def test_the_shipped_scheme_is_loaded_after_migrate(scheme):
    assert scheme.scheme.name == "Ward and team accreditation"
    assert scheme.organisation is None


def test_a_matron_completes_an_audit_and_the_level_and_renewal_follow_the_scheme(
    draft, lead, scheme, audit_day
):
    recorded = services.ward_audit_answers_record(
        audit=draft,
        by=lead,
        expected_version=draft.version,
        answers=all_met(scheme, SAFE1="partly_met"),
        evidence={"SAFE1": "Two of ten sets of notes had the assessment after eight hours."},
    )
    done = services.ward_audit_complete(audit=recorded, by=lead, expected_version=recorded.version)
    assert (done.level_code, done.level_name) == ("bronze", "Bronze")
    assert done.percent == pytest.approx(97.222, abs=0.001)
    assert done.renew_by == months_add(audit_day, 9)
    assert done.evidence["SAFE1"].startswith("Two of ten")
    records = AuditLog.objects.filter(content_type__model="wardaudit", object_id=str(done.pk), actor=lead)
    assert records.count() == 3  # started, answered, completed


def test_a_completed_audit_charts_its_score_on_the_wards_measure(draft, lead, scheme, audit_day):
    draft = services.ward_audit_answers_record(
        audit=draft, by=lead, expected_version=draft.version, answers=all_met(scheme), evidence={}
    )
    services.ward_audit_complete(audit=draft, by=lead, expected_version=draft.version)
    link = WardMeasure.objects.get(unit=draft.unit)
    value = MeasureValue.objects.get(measure=link.measure)
    assert value.value == 100
    assert value.period == audit_day.replace(day=1)
    assert value.updated_by == lead


def test_an_audit_with_a_standard_unanswered_cannot_be_completed(draft, lead, scheme):
    answers = all_met(scheme)
    answers.pop("ENV3")
    draft = services.ward_audit_answers_record(
        audit=draft, by=lead, expected_version=draft.version, answers=answers, evidence={}
    )
    with pytest.raises(ValidationError, match="still to answer: ENV3"):
        services.ward_audit_complete(audit=draft, by=lead, expected_version=draft.version)
    assert WardAudit.objects.get(pk=draft.pk).state == "draft"


def test_a_completed_audit_is_frozen(draft, lead, scheme):
    draft = services.ward_audit_answers_record(
        audit=draft, by=lead, expected_version=draft.version, answers=all_met(scheme), evidence={}
    )
    done = services.ward_audit_complete(audit=draft, by=lead, expected_version=draft.version)
    with pytest.raises(ValidationError, match="completed"):
        services.ward_audit_answers_record(
            audit=done,
            by=lead,
            expected_version=done.version,
            answers=all_met(scheme, SAFE1="not_met"),
            evidence={},
        )


def test_two_auditors_saving_at_once_do_not_overwrite_each_other(draft, lead, editor, scheme):
    opened_at = draft.version
    services.ward_audit_answers_record(
        audit=draft, by=lead, expected_version=opened_at, answers={"SAFE1": "met"}, evidence={}
    )
    with pytest.raises(ConcurrentEditError):
        services.ward_audit_answers_record(
            audit=draft, by=editor, expected_version=opened_at, answers={"SAFE1": "not_met"}, evidence={}
        )
    assert WardAudit.objects.get(pk=draft.pk).answers == {"SAFE1": "met"}


def test_an_answer_the_scheme_does_not_have_is_refused_by_standard(draft, lead):
    with pytest.raises(ValidationError) as caught:
        services.ward_audit_answers_record(
            audit=draft, by=lead, expected_version=draft.version, answers={"SAFE2": "yes"}, evidence={}
        )
    assert caught.value.message_dict == {
        "answer_SAFE2": ["Standard SAFE2: choose one of the scheme's answers."]
    }


def test_evidence_over_the_limit_is_refused_naming_the_standard(draft, lead):
    with pytest.raises(ValidationError) as caught:
        services.ward_audit_answers_record(
            audit=draft, by=lead, expected_version=draft.version, answers={}, evidence={"CARE1": "x" * 2001}
        )
    assert "Standard CARE1: evidence can be up to 2,000 characters (it has 2,001)" in str(caught.value)


def test_a_viewer_cannot_record_an_audit(org, wards, scheme, viewer, audit_day):
    with pytest.raises(PermissionDenied):
        services.ward_audit_start(
            organisation=org, unit=wards[0], scheme=scheme, audited_on=audit_day, by=viewer
        )


def test_audits_are_of_a_ward_or_team_of_ones_own_organisation_on_a_past_day(
    org, other_org, wards, scheme, lead, audit_day
):
    from wellled.core.choices import UnitKind
    from wellled.core.services import organisation_unit_create

    elsewhere = organisation_unit_create(organisation=other_org, kind=UnitKind.WARD, name="Elm", by=None)
    site = organisation_unit_create(organisation=org, kind=UnitKind.SITE, name="Main site", by=None)
    for unit in (elsewhere, site):
        with pytest.raises(ValidationError, match="wards or teams"):
            services.ward_audit_start(
                organisation=org, unit=unit, scheme=scheme, audited_on=audit_day, by=lead
            )
    tomorrow = audit_day + datetime.timedelta(days=10)
    with pytest.raises(ValidationError, match="today or earlier"):
        services.ward_audit_start(
            organisation=org, unit=wards[0], scheme=scheme, audited_on=tomorrow, by=lead
        )


def test_a_changed_scheme_file_under_a_version_already_used_is_refused(draft, scheme):
    changed = scheme.source.replace("overall_at_least: 90", "overall_at_least: 95")
    with pytest.raises(ValidationError, match="give the changed file a new version number"):
        services.scheme_file_load(text=changed, by=None)
    bumped = changed.replace('version: "2026.2"', 'version: "2026.3"')
    assert services.scheme_file_load(text=bumped, by=None).scheme.levels[0].overall_at_least == 95


def test_a_broken_scheme_file_is_refused_with_its_line(db):
    with pytest.raises(ValidationError, match="line 2: 'scheme' is missing 'version'"):
        services.scheme_file_load(text="scheme:\n  key: x\n  name: Y\nanswers: []\n", by=None)


@pytest.fixture
def completed(draft, lead, scheme):
    """An audit answered in full with LEAD3 partly met (88.9%): it proposes Silver."""
    saved = services.ward_audit_answers_record(
        audit=draft,
        by=lead,
        expected_version=draft.version,
        answers=all_met(scheme, LEAD3="partly_met"),
        evidence={},
    )
    return services.ward_audit_complete(audit=saved, by=lead, expected_version=saved.version)


def decide(audit, by, **fields):
    fields = {
        "decision": "awarded",
        "reason": "Evidence seen at panel.",
        "decided_on": audit.audited_on,
    } | fields
    return services.ward_audit_decide(audit=audit, by=by, expected_version=audit.version, **fields)


def test_completing_an_audit_proposes_a_level_and_the_panel_awards_it(completed, editor, org):
    """Trusts award accreditation at a panel, not on the audit's arithmetic: completion proposes, the panel's
    decision (who, when, why) gives the ward its level and its renewal date (issue 26)."""
    from wellled.accreditation.selectors import ward_overview

    assert (completed.level_code, completed.decision) == ("silver", "pending")

    def row():
        rows = ward_overview(user=editor, organisation=org, today=completed.audited_on)
        return next(r for r in rows if r.unit == completed.unit)

    assert row().level_name == "Awaiting the panel"
    awarded = decide(completed, editor)
    assert (awarded.decision, awarded.awarded_level_name, awarded.decided_by) == ("awarded", "Silver", editor)
    assert awarded.renew_by == months_add(awarded.audited_on, 12)
    assert (row().level_name, row().level_code) == ("Silver", "silver")
    logged = AuditLog.objects.filter(content_type__model="wardaudit", object_id=str(awarded.pk), actor=editor)
    assert logged.get().after["decision"] == "awarded"
    with pytest.raises(ValidationError, match="already decided"):
        decide(awarded, editor, decision="declined")


def test_the_panel_may_award_lower_never_higher_and_defer_then_decline(completed, editor, org):
    with pytest.raises(ValidationError) as caught:
        decide(completed, editor, level_code="gold")
    assert caught.value.message_dict["level"] == [
        "Award Silver (the level the audit proposes) or a lower level."
    ]
    with pytest.raises(ValidationError) as caught:
        decide(completed, editor, reason="  ", decided_on=completed.audited_on - datetime.timedelta(days=1))
    assert set(caught.value.message_dict) == {"decision_reason", "decided_on"}
    deferred = decide(completed, editor, decision="deferred", reason="Wants the appraisal records seen.")
    assert deferred.awaits_panel and deferred.renew_by == completed.renew_by
    declined = decide(deferred, editor, decision="declined", reason="Appraisals not evidenced.")
    assert (declined.awarded_level_name, declined.renew_by) == (
        "Not yet accredited",
        months_add(declined.audited_on, 3),
    )


def test_only_a_manager_of_accreditation_in_the_trust_decides_and_only_on_a_completed_audit(
    completed, lead, editor, viewer, outsider
):
    for person in (lead, viewer, outsider):  # the auditor does not award her own audit's level
        with pytest.raises(PermissionDenied):
            decide(completed, person)
    draft = services.ward_audit_start(
        organisation=completed.organisation,
        unit=completed.unit,
        scheme=completed.scheme,
        audited_on=completed.audited_on,
        by=lead,
    )
    with pytest.raises(ValidationError, match="Complete the audit"):
        decide(draft, editor)


def test_a_ward_action_is_raised_only_from_a_finding_by_a_plan_manager_of_the_trust(
    completed, editor, lead, plan
):
    with pytest.raises(PermissionDenied):
        services.audit_finding_action_raise(audit=completed, standard_code="LEAD3", plan=plan, by=lead)
    with pytest.raises(ValidationError) as caught:
        services.audit_finding_action_raise(audit=completed, standard_code="LEAD1", plan=plan, by=editor)
    assert caught.value.message_dict == {"standard": ["Choose a standard this audit found not fully met."]}
    action = services.audit_finding_action_raise(
        audit=completed, standard_code="LEAD3", plan=plan, by=editor, title="Book the missing appraisals"
    )
    assert (action.title, action.plan) == ("Book the missing appraisals", plan)
    assert "Found: Partly met." in action.findings.get().text
    assert AuditLog.objects.filter(content_type__model="auditfindingaction", actor=editor).count() == 1


def test_a_ward_action_is_never_raised_on_another_trusts_plan(completed, editor, outsider):
    from wellled.plans.models import Plan

    theirs = Plan.objects.get(organisation=outsider.memberships.get().organisation)
    with pytest.raises(ValidationError, match="your organisation's plans"):
        services.audit_finding_action_raise(audit=completed, standard_code="LEAD3", plan=theirs, by=editor)
