"""Writes of oversight records, each checking the role and the portfolio and writing its audit record.

The oversight body's records (status, exit criteria, judgements, evidence, notes) are written by its people with
MANAGE_OVERSIGHT (administrators and governance editors of the body), only about a trust in its portfolio today.
Improvement board meetings are the trust's (ADR 0039): written by the trust's administrators and governance
editors, whose actions go into the trust's plans through the plans services like any other action."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from wellled.core.access import is_current_member
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    ROLE_REFUSED,
    EditRule,
    permission_require,
    record_create,
    record_delete,
)
from wellled.plans import services as plan_services
from wellled.plans.choices import DatePrecision
from wellled.plans.models import Action, Plan

from .choices import EvidenceKind, ExitDecision, MeetingStatus, Programme
from .models import (
    DEFAULT_SUSTAINED_JUDGEMENTS,
    ExitCriterion,
    ExitCriterionEvidence,
    ExitCriterionJudgement,
    ExitRecommendation,
    ImprovementBoardMeeting,
    MeetingAction,
    MeetingAgendaItem,
    OversightNote,
    OversightStatus,
    RegulatoryAction,
    default_edition,
)
from .selectors import criterion_rows, evidence_object_label

CRITERION_FIELDS = frozenset(
    {
        "reference",
        "title",
        "description",
        "agreed_on",
        "order",
        "sustained_judgements",
        "sustained_months",
    }
)
REGULATORY_ACTION_FIELDS = frozenset({"kind", "reference", "summary", "issued_on", "lifted_on"})
MEETING_FIELDS = frozenset({"held_on", "chair", "attendees", "status", "minutes"})
FUTURE_REFUSED = "The date cannot be in the future."


def oversight_require(*, by: User | None, oversight_body: Organisation, trust: Organisation) -> None:
    """Refuse unless the person may manage oversight in the body and the trust is in its portfolio today."""
    if not oversight_body.is_oversight_body:
        raise PermissionDenied("Only an oversight body or an integrated care board keeps oversight records.")
    permission_require(user=by, organisation_id=oversight_body.pk, permission=Permission.MANAGE_OVERSIGHT)
    if not oversight_body.portfolio_entries.standing().filter(trust=trust).exists():
        raise ValidationError(
            f"{trust.name} is not in the portfolio of {oversight_body.name} today, so its oversight records "
            "cannot be changed."
        )


def _not_in_future(day: datetime.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: FUTURE_REFUSED})


def _next_order(siblings: QuerySet) -> int:
    """The place after the last of the siblings (criteria of one trust, items of one agenda): 1 for the first."""
    return (siblings.aggregate(last=Max("order"))["last"] or 0) + 1


# Oversight status -----------------------------------------------------------------------------------------------


@transaction.atomic
def oversight_status_record(
    *,
    oversight_body: Organisation,
    trust: Organisation,
    by: User,
    effective_from: datetime.date,
    segment: int,
    edition: str | None = None,
    average_score: Decimal | float | str | None = None,
    rank: int | None = None,
    ranked_among: int | None = None,
    financial_override: bool = False,
    programme: str = Programme.NONE,
    programme_entered_on: datetime.date | None = None,
    programme_exited_on: datetime.date | None = None,
    improvement_director: User | None = None,
    buddy_organisation: str = "",
    improvement_funding: Decimal | int | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> OversightStatus:
    """Record the trust's oversight position from a date, under a framework edition (the current one unless named)
    with its average metric score and rank where the edition scores; earlier positions stay as history."""
    oversight_require(by=by, oversight_body=oversight_body, trust=trust)
    _not_in_future(programme_entered_on, "programme_entered_on")
    _not_in_future(programme_exited_on, "programme_exited_on")
    if improvement_director is not None and not is_current_member(
        user=improvement_director, organisation_id=oversight_body.pk
    ):
        raise ValidationError(
            {
                "improvement_director": f"Choose a current member of {oversight_body.name} as improvement director."
            }
        )
    status = OversightStatus(
        oversight_body=oversight_body,
        trust=trust,
        effective_from=effective_from,
        edition=edition or default_edition(),
        segment=segment,
        average_score=Decimal(str(average_score)) if average_score not in (None, "") else None,
        rank=rank,
        ranked_among=ranked_among,
        financial_override=financial_override,
        programme=programme,
        programme_entered_on=programme_entered_on,
        programme_exited_on=programme_exited_on,
        improvement_director=improvement_director,
        buddy_organisation=buddy_organisation.strip(),
        improvement_funding=improvement_funding,
        note=note.strip(),
        recorded_by=by,
        recorded_at=at or timezone.now(),
    )
    return record_create(instance=status, by=by, organisation=oversight_body, permission=None)


# Exit criteria --------------------------------------------------------------------------------------------------


def _reference_free(criterion: ExitCriterion, reference: str) -> None:
    taken = ExitCriterion.objects.filter(
        oversight_body_id=criterion.oversight_body_id,
        trust_id=criterion.trust_id,
        reference__iexact=reference,
    ).exclude(pk=criterion.pk)
    if taken.exists():
        raise ValidationError({"reference": f"Another exit criterion for this trust is already {reference}."})


@transaction.atomic
def exit_criterion_create(
    *,
    oversight_body: Organisation,
    trust: Organisation,
    by: User,
    reference: str,
    title: str,
    agreed_on: datetime.date,
    description: str = "",
    order: int | None = None,
    sustained_judgements: int | None = DEFAULT_SUSTAINED_JUDGEMENTS,
    sustained_months: int | None = None,
) -> ExitCriterion:
    """Add an exit criterion agreed with the trust for leaving intensive support."""
    oversight_require(by=by, oversight_body=oversight_body, trust=trust)
    _not_in_future(agreed_on, "agreed_on")
    if order is None:
        order = _next_order(ExitCriterion.objects.filter(oversight_body=oversight_body, trust=trust))
    criterion = ExitCriterion(
        oversight_body=oversight_body,
        trust=trust,
        reference=reference.strip(),
        title=title.strip(),
        description=description.strip(),
        agreed_on=agreed_on,
        order=order,
        sustained_judgements=sustained_judgements,
        sustained_months=sustained_months,
    )
    _reference_free(criterion, criterion.reference)
    return record_create(instance=criterion, by=by, organisation=oversight_body, permission=None)


def _criterion_rules(row: ExitCriterion, changes: Mapping[str, Any]) -> None:
    if "reference" in changes:
        _reference_free(row, str(changes["reference"]).strip())


# Permission None: oversight_require has checked the body's portfolio first (the edits below do the same).
CRITERION_EDIT = EditRule(None, CRITERION_FIELDS, _criterion_rules)


def exit_criterion_update(
    *, criterion: ExitCriterion, by: User, expected_version: int | str | None, **fields: Any
) -> ExitCriterion:
    """Reword or re-date an exit criterion (refused if someone saved it since the form was opened)."""
    oversight_require(by=by, oversight_body=criterion.oversight_body, trust=criterion.trust)
    _not_in_future(fields.get("agreed_on"), "agreed_on")
    return CRITERION_EDIT.apply(
        criterion,
        by=by,
        organisation=criterion.oversight_body,
        expected_version=expected_version,
        changes=fields,
    )


@transaction.atomic
def exit_criterion_judgement_record(
    *,
    criterion: ExitCriterion,
    by: User,
    judgement: str,
    judged_on: datetime.date,
    rationale: str,
    at: datetime.datetime | None = None,
) -> ExitCriterionJudgement:
    """Judge whether an exit criterion is met on a day, with the reasons; earlier judgements stay as history."""
    oversight_require(by=by, oversight_body=criterion.oversight_body, trust=criterion.trust)
    _not_in_future(judged_on, "judged_on")
    if judged_on < criterion.agreed_on:
        raise ValidationError({"judged_on": "A criterion cannot be judged before the day it was agreed."})
    if not rationale.strip():
        raise ValidationError({"rationale": "Give the reasons for the judgement."})
    row = ExitCriterionJudgement(
        criterion=criterion,
        judgement=judgement,
        judged_on=judged_on,
        rationale=rationale.strip(),
        judged_by=by,
        recorded_at=at or timezone.now(),
    )
    return record_create(instance=row, by=by, organisation=criterion.oversight_body, permission=None)


@transaction.atomic
def exit_criterion_evidence_add(
    *, criterion: ExitCriterion, by: User, kind: str, object_id: int
) -> ExitCriterionEvidence:
    """Offer one of the trust's records (an action, a measure, an assessment, an issued paper) as evidence: it
    must be the trust's and visible to the person through its own app."""
    oversight_require(by=by, oversight_body=criterion.oversight_body, trust=criterion.trust)
    if kind not in EvidenceKind.values:
        raise ValidationError({"evidence": "Choose what kind of record the evidence is."})
    try:
        label = evidence_object_label(user=by, trust=criterion.trust, kind=kind, object_id=object_id)
    except Http404:
        raise ValidationError(
            {"evidence": f"Choose one of {criterion.trust.name}'s own records that you can see."}
        ) from None
    if ExitCriterionEvidence.objects.filter(criterion=criterion, kind=kind, object_id=object_id).exists():
        raise ValidationError({"evidence": f"{label} is already evidence for {criterion.reference}."})
    evidence = ExitCriterionEvidence(
        criterion=criterion, kind=kind, object_id=object_id, label=label, added_by=by
    )
    return record_create(instance=evidence, by=by, organisation=criterion.oversight_body, permission=None)


@transaction.atomic
def exit_criterion_evidence_remove(*, evidence: ExitCriterionEvidence, by: User) -> None:
    """Take a record off an exit criterion's evidence (the record itself is untouched)."""
    criterion = evidence.criterion
    oversight_require(by=by, oversight_body=criterion.oversight_body, trust=criterion.trust)
    record_delete(evidence, by=by, organisation=criterion.oversight_body)


# Regulatory actions ---------------------------------------------------------------------------------------------


@transaction.atomic
def regulatory_action_record(
    *,
    oversight_body: Organisation,
    trust: Organisation,
    by: User,
    kind: str,
    summary: str,
    issued_on: datetime.date,
    reference: str = "",
    lifted_on: datetime.date | None = None,
) -> RegulatoryAction:
    """Record a regulator's formal action against the trust (licence undertakings, a CQC notice, enforcement)."""
    oversight_require(by=by, oversight_body=oversight_body, trust=trust)
    _not_in_future(issued_on, "issued_on")
    _not_in_future(lifted_on, "lifted_on")
    if not summary.strip():
        raise ValidationError({"summary": "Say what the action requires of the trust."})
    action = RegulatoryAction(
        oversight_body=oversight_body,
        trust=trust,
        kind=kind,
        reference=reference.strip(),
        summary=summary.strip(),
        issued_on=issued_on,
        lifted_on=lifted_on,
        recorded_by=by,
    )
    return record_create(instance=action, by=by, organisation=oversight_body, permission=None)


REGULATORY_ACTION_EDIT = EditRule(None, REGULATORY_ACTION_FIELDS)


def regulatory_action_update(
    *, action: RegulatoryAction, by: User, expected_version: int | str | None, **fields: Any
) -> RegulatoryAction:
    """Correct a regulatory action or record the day it was lifted (refused if someone saved it since)."""
    oversight_require(by=by, oversight_body=action.oversight_body, trust=action.trust)
    _not_in_future(fields.get("issued_on"), "issued_on")
    _not_in_future(fields.get("lifted_on"), "lifted_on")
    if "summary" in fields and not str(fields["summary"]).strip():
        raise ValidationError({"summary": "Say what the action requires of the trust."})
    return REGULATORY_ACTION_EDIT.apply(
        action, by=by, organisation=action.oversight_body, expected_version=expected_version, changes=fields
    )


# Exit from intensive support: recommendation and decision -------------------------------------------------------


@transaction.atomic
def exit_recommend(
    *, oversight_body: Organisation, trust: Organisation, by: User, recommended_on: datetime.date, reason: str
) -> ExitRecommendation:
    """Recommend that the trust leave intensive support: only when every exit criterion is met and sustained
    under its own rule, and no earlier recommendation awaits a decision."""
    oversight_require(by=by, oversight_body=oversight_body, trust=trust)
    _not_in_future(recommended_on, "recommended_on")
    if not reason.strip():
        raise ValidationError({"reason": "Give the reasons for recommending exit."})
    if ExitRecommendation.objects.filter(
        oversight_body=oversight_body, trust=trust, decision=ExitDecision.PENDING
    ).exists():
        raise ValidationError(
            {"recommended_on": "A recommendation for this trust already awaits a decision: decide it first."}
        )
    rows = criterion_rows(ExitCriterion.objects.filter(oversight_body=oversight_body, trust=trust))
    if not rows:
        raise ValidationError({"reason": "No exit criteria have been agreed with this trust."})
    short = [row.criterion.reference for row in rows if not row.sustained(on=recommended_on).met]
    if short:
        raise ValidationError(
            {"reason": f"Not every exit criterion is met and sustained yet: {', '.join(short)}."}
        )
    recommendation = ExitRecommendation(
        oversight_body=oversight_body,
        trust=trust,
        recommended_on=recommended_on,
        recommended_by=by,
        reason=reason.strip(),
    )
    return record_create(instance=recommendation, by=by, organisation=oversight_body, permission=None)


def _decision_rules(row: ExitRecommendation, changes: Mapping[str, Any]) -> None:
    if row.decision != ExitDecision.PENDING:
        raise ValidationError(
            {"decision": f"This recommendation was already {row.get_decision_display().lower()}."}
        )
    if changes["decided_on"] < row.recommended_on:
        raise ValidationError({"decided_on": "A decision cannot come before the recommendation."})


EXIT_DECISION = EditRule(
    None, frozenset({"decision", "decided_on", "decided_by", "decision_reason"}), _decision_rules
)


def exit_decide(
    *,
    recommendation: ExitRecommendation,
    by: User,
    expected_version: int | str | None,
    decision: str,
    decided_on: datetime.date,
    decision_reason: str,
) -> ExitRecommendation:
    """Accept or decline a recommendation to exit, with the reasons; a decision once made stands."""
    oversight_require(by=by, oversight_body=recommendation.oversight_body, trust=recommendation.trust)
    _not_in_future(decided_on, "decided_on")
    if decision not in (ExitDecision.ACCEPTED, ExitDecision.DECLINED):
        raise ValidationError({"decision": "Choose accepted or declined."})
    if not decision_reason.strip():
        raise ValidationError({"decision_reason": "Give the reasons for the decision."})
    return EXIT_DECISION.apply(
        recommendation,
        by=by,
        organisation=recommendation.oversight_body,
        expected_version=expected_version,
        changes={
            "decision": decision,
            "decided_on": decided_on,
            "decided_by": by,
            "decision_reason": decision_reason.strip(),
        },
    )


# Notes ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def oversight_note_add(
    *, oversight_body: Organisation, trust: Organisation, by: User, noted_on: datetime.date, text: str
) -> OversightNote:
    """Keep a note about a trust, private to the oversight body."""
    oversight_require(by=by, oversight_body=oversight_body, trust=trust)
    _not_in_future(noted_on, "noted_on")
    if not text.strip():
        raise ValidationError({"text": "Enter the note."})
    note = OversightNote(
        oversight_body=oversight_body, trust=trust, noted_on=noted_on, text=text.strip(), written_by=by
    )
    return record_create(instance=note, by=by, organisation=oversight_body, permission=None)


# Improvement board meetings (the trust's) ---------------------------------------------------------------------


def _meeting_require(*, by: User | None, organisation: Organisation) -> None:
    """The trust's administrators and governance editors; an oversight body keeps no meetings of its own."""
    if by is None:
        raise PermissionDenied(ROLE_REFUSED)
    if organisation.is_oversight_body:
        raise PermissionDenied("Improvement board meetings are kept by the trust, not by its oversight body.")
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_PLANS)


@transaction.atomic
def meeting_create(
    *,
    organisation: Organisation,
    by: User,
    held_on: datetime.date,
    chair: str = "",
    attendees: str = "",
    status: str = MeetingStatus.PLANNED,
    minutes: str = "",
) -> ImprovementBoardMeeting:
    """Add an improvement board meeting to the trust's record."""
    _meeting_require(by=by, organisation=organisation)
    if status == MeetingStatus.HELD:
        _not_in_future(held_on, "held_on")
    meeting = ImprovementBoardMeeting(
        organisation=organisation,
        held_on=held_on,
        chair=chair.strip(),
        attendees=attendees.strip(),
        status=status,
        minutes=minutes.strip(),
        created_by=by,
    )
    return record_create(instance=meeting, by=by, organisation=organisation, permission=None)


def _meeting_rules(row: ImprovementBoardMeeting, changes: Mapping[str, Any]) -> None:
    if changes.get("status", row.status) == MeetingStatus.HELD:
        _not_in_future(changes.get("held_on", row.held_on), "held_on")


MEETING_EDIT = EditRule(Permission.MANAGE_PLANS, MEETING_FIELDS, _meeting_rules)


def meeting_update(
    *, meeting: ImprovementBoardMeeting, by: User, expected_version: int | str | None, **fields: Any
) -> ImprovementBoardMeeting:
    """Change a meeting's date, chair, attendees, status or minutes (optimistic locking)."""
    return MEETING_EDIT.apply(meeting, by=by, expected_version=expected_version, changes=fields)


@transaction.atomic
def agenda_item_add(
    *, meeting: ImprovementBoardMeeting, by: User, title: str, notes: str = ""
) -> MeetingAgendaItem:
    """Add an item to a meeting's agenda, at the end."""
    _meeting_require(by=by, organisation=meeting.organisation)
    order = _next_order(meeting.agenda_items.all())
    item = MeetingAgendaItem(meeting=meeting, order=order, title=title.strip(), notes=notes.strip())
    return record_create(instance=item, by=by, organisation=meeting.organisation, permission=None)


@transaction.atomic
def meeting_action_raise(
    *,
    meeting: ImprovementBoardMeeting,
    by: User,
    plan: Plan,
    reference: str,
    title: str,
    lead: User | None = None,
    due_date: datetime.date | None = None,
    due_precision: str = DatePrecision.MONTH,
) -> Action:
    """Raise an action at a meeting: an ordinary action in one of the trust's plans (updated and reported there),
    which the meeting lists with its delivery status."""
    _meeting_require(by=by, organisation=meeting.organisation)
    if plan.organisation_id != meeting.organisation_id:
        raise ValidationError({"plan": "Choose one of your own organisation's plans."})
    action = plan_services.action_create(
        plan=plan,
        by=by,
        reference=reference,
        title=title,
        lead=lead,
        due_date=due_date,
        due_precision=due_precision,
    )
    record_create(
        instance=MeetingAction(meeting=meeting, action=action, raised_by=by),
        by=by,
        organisation=meeting.organisation,
        permission=None,  # the meeting's rule, checked above
        clean=[],
        note=f"Action {action.reference} raised at the {meeting}.",
    )
    return action
