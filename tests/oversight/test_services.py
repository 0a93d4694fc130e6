"""Oversight services: each write is audited, refused without MANAGE_OVERSIGHT in the body or once the trust is
out of the portfolio, and judgements and statuses are kept as history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.factories import make_person

from wellled.core.choices import Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import ConcurrentEditError
from wellled.core.services import portfolio_trust_remove
from wellled.oversight import selectors, services
from wellled.oversight.models import ExitCriterionJudgement, MeetingAction

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def test_status_recorded_is_audited_and_the_latest_effective_one_is_current(region, org, director, entry):
    first = services.oversight_status_record(
        oversight_body=region, trust=org, by=director, effective_from=days_ago(600), segment=3
    )
    second = services.oversight_status_record(
        oversight_body=region,
        trust=org,
        by=director,
        effective_from=days_ago(500),
        segment=4,
        programme="recovery_support",
        programme_entered_on=days_ago(500),
    )
    planned = services.oversight_status_record(
        oversight_body=region, trust=org, by=director, effective_from=days_ago(-30), segment=3
    )
    statuses = selectors.body_statuses(user=director, organisation=region, trust=org)
    assert [s.pk for s in statuses] == [planned.pk, second.pk, first.pk]
    assert selectors.current_status(statuses) == second
    assert selectors.body_current_statuses(user=director, organisation=region) == {org.pk: second}
    assert AuditLog.objects.filter(organisation=region, object_id=str(second.pk), action="create").exists()


def test_status_refused_with_a_message_when_the_programme_has_no_entry_date(region, org, director, entry):
    with pytest.raises(ValidationError) as caught:
        services.oversight_status_record(
            oversight_body=region,
            trust=org,
            by=director,
            effective_from=days_ago(1),
            segment=4,
            programme="recovery_support",
        )
    assert "programme_entered_on" in caught.value.message_dict


def test_improvement_director_must_belong_to_the_body(region, org, director, entry, editor):
    with pytest.raises(ValidationError) as caught:
        services.oversight_status_record(
            oversight_body=region,
            trust=org,
            by=director,
            effective_from=days_ago(1),
            segment=2,
            improvement_director=editor,
        )
    assert "improvement_director" in caught.value.message_dict


def test_every_write_refused_when_the_trust_is_not_in_the_portfolio(region, org, director):
    with pytest.raises(ValidationError, match="not in the portfolio"):
        services.oversight_status_record(
            oversight_body=region, trust=org, by=director, effective_from=days_ago(1), segment=2
        )


def test_every_write_refused_once_the_trust_left_the_portfolio(region, org, director, records, entry):
    portfolio_trust_remove(entry=entry, by=None, left_on=timezone.localdate())
    with pytest.raises(ValidationError, match="not in the portfolio"):
        services.exit_criterion_judgement_record(
            criterion=records["criterion"],
            by=director,
            judgement="met",
            judged_on=days_ago(0),
            rationale="Done.",
        )
    with pytest.raises(ValidationError, match="not in the portfolio"):
        services.oversight_note_add(
            oversight_body=region, trust=org, by=director, noted_on=days_ago(0), text="x"
        )


def test_a_viewer_of_the_body_and_a_trust_editor_cannot_write(region, org, region_viewer, editor, entry):
    for person in (region_viewer, editor):
        with pytest.raises(PermissionDenied):
            services.exit_criterion_create(
                oversight_body=region, trust=org, by=person, reference="EC9", title="x", agreed_on=days_ago(1)
            )


def test_judgement_is_append_only_and_the_newest_is_latest(records, director):
    criterion = records["criterion"]
    services.exit_criterion_judgement_record(
        criterion=criterion,
        by=director,
        judgement="met",
        judged_on=days_ago(1),
        rationale="All posts filled.",
    )
    (row,) = selectors.criterion_rows(
        selectors.body_criteria(user=director, organisation=criterion.oversight_body)
    )
    assert row.latest.judgement == "met"
    assert [j.judgement for j in row.judgements] == ["met", "partly_met"]
    with pytest.raises(PermissionError):
        records["judgement"].save()  # AppendOnly: a judgement is never changed
    assert ExitCriterionJudgement.objects.count() == 2


@pytest.mark.parametrize(
    ("judged_on", "rationale", "field"),
    [(1, "Reasons", "judged_on"), (-1, "  ", "rationale"), (-400, "Reasons", "judged_on")],
)
def test_judgement_refused_when_dated_in_the_future_before_agreement_or_without_reasons(
    records, director, judged_on, rationale, field
):
    with pytest.raises(ValidationError) as caught:
        services.exit_criterion_judgement_record(
            criterion=records["criterion"],
            by=director,
            judgement="met",
            judged_on=timezone.localdate() + datetime.timedelta(days=judged_on),
            rationale=rationale,
        )
    assert field in caught.value.message_dict


def test_criterion_update_refuses_a_stale_version_and_a_taken_reference(records, region, org, director):
    criterion = records["criterion"]
    services.exit_criterion_create(
        oversight_body=region,
        trust=org,
        by=director,
        reference="EC2",
        title="Finances",
        agreed_on=days_ago(10),
    )
    updated = services.exit_criterion_update(
        criterion=criterion, by=director, expected_version=1, title="A stable, substantive board"
    )
    assert updated.version == 2
    with pytest.raises(ConcurrentEditError):
        services.exit_criterion_update(criterion=criterion, by=director, expected_version=1, title="Stale")
    with pytest.raises(ValidationError) as caught:
        services.exit_criterion_update(criterion=criterion, by=director, expected_version=2, reference="ec2")
    assert "reference" in caught.value.message_dict


def test_evidence_must_be_the_trusts_own_record(records, director, outsider, other_org):
    from wellled.plans.models import Action

    elsewhere = Action.objects.filter(plan__organisation=other_org).first()
    with pytest.raises(ValidationError) as caught:
        services.exit_criterion_evidence_add(
            criterion=records["criterion"], by=director, kind="action", object_id=elsewhere.pk
        )
    assert "evidence" in caught.value.message_dict
    with pytest.raises(ValidationError, match="already evidence"):
        services.exit_criterion_evidence_add(
            criterion=records["criterion"], by=director, kind="action", object_id=records["action"].pk
        )


def test_evidence_removed_is_audited(records, director, region):
    evidence = records["evidence"]
    pk = evidence.pk
    services.exit_criterion_evidence_remove(evidence=evidence, by=director)
    assert not records["criterion"].evidence.exists()
    assert AuditLog.objects.filter(organisation=region, action="delete", object_id=str(pk)).exists()


def test_meeting_action_raised_is_an_ordinary_action_in_the_chosen_plan(org, editor, plan, lead):
    meeting = services.meeting_create(
        organisation=org, by=editor, held_on=days_ago(3), status="held", chair="Chair"
    )
    services.agenda_item_add(meeting=meeting, by=editor, title="Exit criteria progress")
    action = services.meeting_action_raise(
        meeting=meeting,
        by=editor,
        plan=plan,
        reference="IB1",
        title="Refresh the board development plan",
        lead=lead,
    )
    assert action.plan == plan and action.lead == lead
    assert MeetingAction.objects.get(meeting=meeting).action == action
    (row,) = selectors.meeting_rows(selectors.meetings_for_user(user=editor, organisation=org))
    assert [a.action.reference for a in row.actions] == ["IB1"]
    assert [i.title for i in row.agenda] == ["Exit criteria progress"]


def test_meeting_refused_to_a_lead_an_oversight_person_and_in_another_trusts_plan(
    org, editor, lead, director, entry, outsider, other_org
):
    from wellled.plans.models import Plan

    for person in (lead, director):
        with pytest.raises(PermissionDenied):
            services.meeting_create(organisation=org, by=person, held_on=days_ago(1))
    meeting = services.meeting_create(organisation=org, by=editor, held_on=days_ago(1))
    with pytest.raises(ValidationError) as caught:
        services.meeting_action_raise(
            meeting=meeting,
            by=editor,
            plan=Plan.objects.get(organisation=other_org),
            reference="X1",
            title="x",
        )
    assert "plan" in caught.value.message_dict


def test_held_meeting_cannot_be_dated_in_the_future_and_edits_are_locked(org, editor):
    with pytest.raises(ValidationError):
        services.meeting_create(organisation=org, by=editor, held_on=days_ago(-5), status="held")
    meeting = services.meeting_create(organisation=org, by=editor, held_on=days_ago(-5))
    services.meeting_update(meeting=meeting, by=editor, expected_version=1, minutes="Agreed the agenda.")
    with pytest.raises(ConcurrentEditError):
        services.meeting_update(meeting=meeting, by=editor, expected_version=1, chair="Someone")


def test_a_region_administrator_may_write_too(region, org, entry):
    admin = make_person(region, role=Role.ADMINISTRATOR)
    note = services.oversight_note_add(
        oversight_body=region, trust=org, by=admin, noted_on=days_ago(0), text="Call"
    )
    assert note.written_by == admin
