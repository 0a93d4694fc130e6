"""Every write to the risk registers: risks and their scores, reviews, escalations, controls and assurances, links,
categories, strategic objectives and the escalation threshold. Each one checks the role, locks, checks the version
and writes its audit record in the same transaction (ADR 0006, ADR 0015)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wellled.core.access import members_allowed
from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction
from wellled.core.limits import fields_clean, limit_of, too_long
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.permissions import Permission, role_allows
from wellled.core.service_kit import (
    AS_IT_STANDS,
    ConcurrentEditError,
    ExpectedVersion,
    fields_update,
    locked_get,
    membership_role,
    people_check,
    permission_require,
    record_change,
    record_create,
    record_create_or_change,
    version_check,
)
from wellled.core.url_kit import site_url
from wellled.measures.models import Measure
from wellled.plans.models import Action, Finding

from .appetite import AssuranceReading, suggested_rating
from .choices import (
    AssuranceLevel,
    AssuranceLine,
    AssuranceOutcome,
    ControlEffectiveness,
    EscalationDirection,
    GapKind,
    RiskStatus,
    ScoreKind,
)
from .convention import convention
from .models import (
    Assurance,
    Control,
    Gap,
    Risk,
    RiskCategory,
    RiskEscalation,
    RiskPolicy,
    RiskReview,
    RiskScore,
    StrategicObjective,
    assurance_stale_days,
)

__all__ = ["ConcurrentEditError"]

Scores = tuple[int, int]

REVIEW_IN_FUTURE = "The review date cannot be in the future: give the day the risk was reviewed."
REVIEW_BEFORE_OPENED = "The review date cannot be before the risk was opened."
REVIEW_OF_CLOSED = "A closed risk is not reviewed: reopen it first."
NOT_YOURS = "Only the risk's owner or handler, or someone who manages risks, can review it."

# Fields a risk's edit page may change; the current score changes only through a review (so it has a history).
RISK_EDITABLE = (
    "title",
    "cause",
    "event",
    "effect",
    "unit",
    "category",
    "owner",
    "handler",
    "opened_on",
    "inherent_likelihood",
    "inherent_consequence",
    "target_likelihood",
    "target_consequence",
    "gaps_in_control",
    "gaps_in_assurance",
    "review_frequency_days",
    "next_review_on",
    "target_on",
    "consequence_domain",
)
BAF_FIELDS = (
    "principal",
    "objective",
    "lead_committee",
    "committee",
    "lead_executive",
    "assurance_rating",
    "assurance_rating_reason",
)
RATING_REASON_NEEDED = (
    "The weakest current assurance suggests {suggested}: say why the rating is {chosen} instead."
)


def escalation_threshold(organisation: Organisation) -> int:
    """The organisation's threshold for the corporate register, else the convention's (15)."""
    policy = RiskPolicy.objects.filter(organisation=organisation).values_list(
        "escalation_threshold", flat=True
    )
    return policy.first() or convention().escalation_threshold


def user_may_review(*, user: User, risk: Risk) -> bool:
    """True if the person may review and re-score this risk: any risk with MANAGE_RISKS, their own otherwise."""
    role = membership_role(user=user, organisation_id=risk.organisation_id)
    if role_allows(role, Permission.MANAGE_RISKS):
        return True
    return role_allows(role, Permission.REVIEW_OWN_RISK) and user.pk in (risk.owner_id, risk.handler_id)


def _manage(by: User | None, organisation_id: int) -> None:
    permission_require(user=by, organisation_id=organisation_id, permission=Permission.MANAGE_RISKS)


R = TypeVar("R", Risk, RiskCategory, StrategicObjective)


def _register_update(
    instance: R, by: User, expected_version: ExpectedVersion, allowed, changes, *, checked: bool = False
) -> R:
    """Change a risk, category or objective as someone who manages risks (`checked`: the service has already
    checked the role, or a narrower rule)."""
    return fields_update(
        instance=instance,
        by=by,
        organisation=instance.organisation,
        permission=None if checked else Permission.MANAGE_RISKS,
        expected_version=expected_version,
        allowed=allowed,
        changes=changes,
    )


def _score_check(scores: Scores, field: str) -> None:
    try:
        convention().score(int(scores[0]), int(scores[1]))
    except (TypeError, ValueError, IndexError) as exc:
        raise ValidationError({field: str(exc)}) from None


# Who may be given a risk: someone whose role lets them review the risks they own or handle (core.access).
RISK_PEOPLE = ("owner", "handler", "lead_executive")


def _same_organisation(organisation: Organisation, *, risk: Risk | None = None, **chosen) -> None:
    """Refuse a unit, category, person or linked object of another organisation (a tampered form), and an owner,
    handler or lead executive who cannot act there (a viewer, a leaver, an invitee yet to accept); whoever the risk
    already names may stay."""
    checks = {
        "unit": lambda v: v.organisation_id == organisation.pk,
        "category": lambda v: v.organisation_id == organisation.pk,
        "objective": lambda v: v.organisation_id == organisation.pk,
        "committee": lambda v: v.organisation_id == organisation.pk,
    }
    errors = {}
    for name, value in chosen.items():
        if value is not None and name in checks and not checks[name](value):
            errors[name] = "Choose one of this organisation's own."
    if errors:
        raise ValidationError(errors)
    people_check(
        organisation_id=organisation.pk,
        permissions=[Permission.REVIEW_OWN_RISK],
        instance=risk,
        **{k: v for k, v in chosen.items() if k in RISK_PEOPLE},
    )


def _links_check(organisation: Organisation, actions, measures, findings) -> None:
    errors = {}
    for name, model, path, chosen in (
        ("actions", Action, "plan__organisation", actions),
        ("measures", Measure, "organisation", measures),
        ("findings", Finding, "plan__organisation", findings),
    ):
        ids = {getattr(item, "pk", item) for item in chosen}
        if ids and model.objects.filter(pk__in=ids, **{path: organisation}).count() != len(ids):
            errors[name] = f"Choose {name} of this organisation only."
    if errors:
        raise ValidationError(errors)


def _score_record(
    risk: Risk, kind: str, scores: Scores, *, by: User | None, at: datetime.datetime, reason: str = ""
):
    likelihood, consequence = scores
    return RiskScore.objects.create(
        risk=risk,
        kind=kind,
        likelihood=likelihood,
        consequence=consequence,
        score=likelihood * consequence,
        recorded_by=by if by is not None and by.pk else None,
        recorded_at=at,
        reason=reason[:300],
    )


def _escalation_apply(
    risk: Risk, *, by: User | None, threshold: int, at: datetime.datetime
) -> RiskEscalation | None:
    """Flag the risk for the corporate register when its current score reaches the threshold (and it is not closed),
    or take the flag off; either way the change is recorded. Returns the record, or None when nothing changed."""
    wanted = risk.status != RiskStatus.CLOSED and convention().escalates(risk.current_score, threshold)
    if wanted == risk.escalated:
        return None
    risk.escalated = wanted
    risk.save(update_fields=["escalated"])
    record = RiskEscalation.objects.create(
        risk=risk,
        direction=EscalationDirection.ESCALATED if wanted else EscalationDirection.DE_ESCALATED,
        score=risk.current_score,
        threshold=threshold,
        created_by=by if by is not None and by.pk else None,
        created_at=at,
    )
    audit_record(
        by=by,
        organisation=risk.organisation,
        action=AuditAction.CREATE,
        instance=record,
        note=f"{risk.reference} {record.get_direction_display().lower()} (score {risk.current_score}, "
        f"threshold {threshold})",
    )
    return record


def _next_reference(organisation: Organisation) -> str:
    """The next free 'R<number>' reference of the organisation's register."""
    taken = set(Risk.objects.filter(organisation=organisation).values_list("reference", flat=True))
    number = len(taken) + 1
    while f"R{number}" in taken:
        number += 1
    return f"R{number}"


# Risks -------------------------------------------------------------------------------------------------------


@transaction.atomic
def risk_create(
    *,
    organisation: Organisation,
    by: User | None,
    title: str,
    inherent: Scores,
    current: Scores,
    target: Scores,
    reference: str = "",
    cause: str = "",
    event: str = "",
    effect: str = "",
    unit: OrganisationUnit | None = None,
    category: RiskCategory | None = None,
    owner: User | None = None,
    handler: User | None = None,
    opened_on: datetime.date | None = None,
    gaps_in_control: str = "",
    gaps_in_assurance: str = "",
    review_frequency_days: int = 0,
    next_review_on: datetime.date | None = None,
    status: str = RiskStatus.OPEN,
    status_reason: str = "",
    controls: Sequence[str] = (),
    actions: Iterable = (),
    measures: Iterable = (),
    findings: Iterable = (),
    parent: Risk | None = None,
    target_on: datetime.date | None = None,
    consequence_domain: str = "",
    at: datetime.datetime | None = None,
) -> Risk:
    """Add a risk to the register with its inherent, current and target scores (the first of its history); a
    current score at or above the threshold puts it on the corporate register at once."""
    _manage(by, organisation.pk)
    for name, scores in (("inherent", inherent), ("current", current), ("target", target)):
        _score_check(scores, f"{name}_likelihood")
    _same_organisation(organisation, unit=unit, category=category, owner=owner, handler=handler)
    actions, measures, findings = list(actions), list(measures), list(findings)
    _links_check(organisation, actions, measures, findings)
    at = at or timezone.now()
    opened_on = opened_on or timezone.localdate(at)
    current_score = current[0] * current[1]
    risk = Risk(
        organisation=organisation,
        reference=(reference or "").strip() or _next_reference(organisation),
        title=title.strip(),
        cause=cause,
        event=event,
        effect=effect,
        unit=unit,
        category=category,
        owner=owner,
        handler=handler,
        opened_on=opened_on,
        inherent_likelihood=inherent[0],
        inherent_consequence=inherent[1],
        current_likelihood=current[0],
        current_consequence=current[1],
        current_score=current_score,
        target_likelihood=target[0],
        target_consequence=target[1],
        gaps_in_control=gaps_in_control,
        gaps_in_assurance=gaps_in_assurance,
        review_frequency_days=review_frequency_days,
        next_review_on=next_review_on or opened_on,
        status=status,
        status_reason=status_reason,
        parent=parent,
        target_on=target_on,
        consequence_domain=consequence_domain,
    )
    if next_review_on is None:
        risk.next_review_on = opened_on + datetime.timedelta(days=risk.frequency_days)
    risk.full_clean(validate_constraints=False)
    if Risk.objects.filter(organisation=organisation, reference=risk.reference).exists():
        raise ValidationError({"reference": f"The register already has a risk {risk.reference}."})
    new_controls = [Control(risk=risk, description=text, order=order) for order, text in enumerate(controls)]
    for number, control in enumerate(new_controls, start=1):
        try:
            fields_clean(control, ["description"])
        except ValidationError as exc:
            raise ValidationError({"controls": [f"Control {number}: {m}" for m in exc.messages]}) from None
    risk.save()
    for control in new_controls:
        control.save()
    for name, related in (("actions", actions), ("measures", measures), ("findings", findings)):
        if related:
            getattr(risk, name).set(related)
    for kind, scores in (
        (ScoreKind.INHERENT, inherent),
        (ScoreKind.CURRENT, current),
        (ScoreKind.TARGET, target),
    ):
        _score_record(risk, kind, scores, by=by, at=at, reason="First scored")
    audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=risk)
    _escalation_apply(risk, by=by, threshold=escalation_threshold(organisation), at=at)
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, by: User, expected_version: ExpectedVersion, **changes) -> Risk:
    """Change a risk's description, people, dates or its inherent and target scores (each new score is kept in its
    history); the current score changes only through a review."""
    organisation = risk.organisation
    _manage(by, organisation.pk)
    _same_organisation(
        organisation,
        risk=risk,
        **{k: v for k, v in changes.items() if k in ("unit", "category", "owner", "handler")},
    )
    for kind in ("inherent", "target"):
        if f"{kind}_likelihood" in changes or f"{kind}_consequence" in changes:
            scores = (
                changes.get(f"{kind}_likelihood", getattr(risk, f"{kind}_likelihood")),
                changes.get(f"{kind}_consequence", getattr(risk, f"{kind}_consequence")),
            )
            _score_check(scores, f"{kind}_likelihood")
    before = {kind: risk.scores(kind) for kind in ("inherent", "target")}
    row = _register_update(risk, by, expected_version, RISK_EDITABLE, changes, checked=True)
    at = timezone.now()
    for kind in ("inherent", "target"):
        if row.scores(kind) != before[kind]:
            _score_record(row, kind, row.scores(kind), by=by, at=at, reason="Scored again on the risk's page")
    return row


@transaction.atomic
def risk_review_record(
    *,
    risk: Risk,
    by: User,
    expected_version: ExpectedVersion,
    reviewed_on: datetime.date,
    narrative: str,
    likelihood: int,
    consequence: int,
    next_review_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> RiskReview:
    """Record a dated review of a risk with its current score (the same or a new one): the review is kept for good,
    a new score joins the history, the next review date moves on and the escalation flag follows the score."""
    if not user_may_review(user=by, risk=risk):
        raise PermissionDenied(NOT_YOURS)
    at = at or timezone.now()
    row = locked_get(Risk, risk.pk)
    version_check(row, expected_version)
    errors = {}
    if row.status == RiskStatus.CLOSED:
        errors["__all__"] = REVIEW_OF_CLOSED
    if reviewed_on > timezone.localdate(at):
        errors["reviewed_on"] = REVIEW_IN_FUTURE
    elif reviewed_on < row.opened_on:
        errors["reviewed_on"] = REVIEW_BEFORE_OPENED
    if not (narrative or "").strip():
        errors["narrative"] = (
            "Say what the review found: the controls, the actions and why the score is what it is."
        )
    try:
        convention().score(int(likelihood), int(consequence))
    except (TypeError, ValueError) as exc:
        errors["likelihood"] = str(exc)
    if next_review_on is not None and next_review_on <= reviewed_on:
        errors["next_review_on"] = "The next review must be after this one."
    if not errors.get("narrative"):
        too_long_message = too_long((narrative or "").strip(), limit_of(RiskReview, "narrative"))
        if too_long_message:
            errors["narrative"] = too_long_message
    if errors:
        raise ValidationError(errors)
    score = likelihood * consequence
    if next_review_on is None:
        interval = row.review_frequency_days or convention().review_days[convention().band(score).key]
        next_review_on = reviewed_on + datetime.timedelta(days=interval)
    review = RiskReview.objects.create(
        risk=row,
        reviewed_on=reviewed_on,
        narrative=narrative.strip(),
        likelihood_before=row.current_likelihood,
        consequence_before=row.current_consequence,
        likelihood=likelihood,
        consequence=consequence,
        next_review_on=next_review_on,
        created_by=by,
        created_at=at,
    )
    changed = (likelihood, consequence) != row.scores("current")
    if changed:
        _score_record(
            row, ScoreKind.CURRENT, (likelihood, consequence), by=by, at=at, reason=f"Review on {reviewed_on}"
        )
    audit_record(by=by, organisation=row.organisation, action=AuditAction.CREATE, instance=review)
    reviewed = {
        "current_likelihood": likelihood,
        "current_consequence": consequence,
        "current_score": score,
        "next_review_on": next_review_on,
    }
    record_change(row, reviewed, by=by, organisation=row.organisation)
    _escalation_apply(row, by=by, threshold=escalation_threshold(row.organisation), at=at)
    return review


@transaction.atomic
def risk_status_set(
    *, risk: Risk, by: User, expected_version: ExpectedVersion, status: str, reason: str = ""
) -> Risk:
    """Open, tolerate or close a risk, with the reason; a closed risk leaves the corporate register."""
    if status not in RiskStatus.values:
        raise ValidationError({"status": "Choose open, tolerated or closed."})
    row = _register_update(
        risk,
        by,
        expected_version,
        ("status", "status_reason"),
        {"status": status, "status_reason": reason.strip()},
    )
    _escalation_apply(row, by=by, threshold=escalation_threshold(row.organisation), at=timezone.now())
    return row


@transaction.atomic
def risk_links_set(
    *,
    risk: Risk,
    by: User,
    expected_version: ExpectedVersion,
    actions=(),
    measures=(),
    findings=(),
    parent: Risk | None = None,
) -> Risk:
    """The actions that mitigate the risk, the measures that act as its key risk indicators, the findings it
    arises from (each of the same organisation), and the principal risk on the BAF it feeds."""
    _manage(by, risk.organisation_id)
    actions, measures, findings = list(actions), list(measures), list(findings)
    _links_check(risk.organisation, actions, measures, findings)
    return _register_update(
        risk,
        by,
        expected_version,
        ("actions", "measures", "findings", "parent"),
        {"actions": actions, "measures": measures, "findings": findings, "parent": parent},
        checked=True,
    )


@transaction.atomic
def risk_baf_set(*, risk: Risk, by: User, expected_version: ExpectedVersion, **changes) -> Risk:
    """Put a risk on the board assurance framework (or take it off): objective, lead committee and executive,
    assurance rating."""
    _manage(by, risk.organisation_id)
    _same_organisation(
        risk.organisation,
        risk=risk,
        **{k: v for k, v in changes.items() if k in ("objective", "lead_executive", "committee")},
    )
    if changes.get("principal") is False and risk.beneath.exists():
        raise ValidationError(
            {
                "principal": f"{risk.beneath.count()} operational risks feed this principal risk: link them to another "
                "one (or to none) first."
            }
        )
    if "assurance_rating" in changes and changes["assurance_rating"] not in ("", *AssuranceLevel.values):
        raise ValidationError({"assurance_rating": "Choose a level of assurance."})
    if "assurance_rating_reason" in changes:
        changes["assurance_rating_reason"] = (changes["assurance_rating_reason"] or "").strip()
    # A new rating other than the one the weakest current assurance suggests needs its reason (the audit keeps both).
    chosen = changes.get("assurance_rating", risk.assurance_rating)
    reason = changes.get("assurance_rating_reason", risk.assurance_rating_reason)
    suggested = risk_suggested_rating(risk) if chosen != risk.assurance_rating and not reason else ""
    if chosen and suggested and chosen != suggested:
        raise ValidationError(
            {
                "assurance_rating_reason": RATING_REASON_NEEDED.format(
                    suggested=AssuranceLevel(suggested).label.lower(),
                    chosen=AssuranceLevel(chosen).label.lower(),
                )
            }
        )
    return _register_update(risk, by, expected_version, BAF_FIELDS, changes, checked=True)


def risk_suggested_rating(risk: Risk, on: datetime.date | None = None) -> str:
    """The overall assurance rating the risk's weakest current assurance suggests today ('' when none is current)."""
    readings = [
        AssuranceReading(a.level, a.outcome, a.reported_on)
        for a in Assurance.objects.filter(control__risk=risk).only("level", "outcome", "reported_on")
    ]
    return suggested_rating(
        readings, on=on or timezone.localdate(), stale_days=assurance_stale_days(risk.organisation)
    )


# Controls and assurances ---------------------------------------------------------------------------------------


def _effectiveness_check(effectiveness: str) -> None:
    if effectiveness not in ControlEffectiveness.values:
        raise ValidationError(
            {"effectiveness": "Choose effective, partially effective, ineffective or not yet assessed."}
        )


@transaction.atomic
def control_add(
    *, risk: Risk, by: User, description: str, effectiveness: str = ControlEffectiveness.NOT_ASSESSED
) -> Control:
    """A control in place on the risk, with how effective it is judged to be."""
    _manage(by, risk.organisation_id)
    if not description.strip():
        raise ValidationError({"description": "Describe the control."})
    _effectiveness_check(effectiveness)
    order = (risk.controls.aggregate(m=Max("order"))["m"] or 0) + 1
    control = Control(risk=risk, description=description.strip(), order=order, effectiveness=effectiveness)
    return record_create(
        instance=control, by=by, organisation=risk.organisation, permission=None, clean=["description"]
    )


@transaction.atomic
def control_update(*, control: Control, by: User, expected_version: ExpectedVersion, **changes) -> Control:
    """Reword a control, rate its effectiveness or change its place among the risk's controls (the earlier wording
    and rating stay in its history)."""
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
        if not changes["description"]:
            raise ValidationError({"description": "Describe the control."})
    if "effectiveness" in changes:
        _effectiveness_check(changes["effectiveness"])
    return fields_update(
        instance=control,
        by=by,
        organisation=control.risk.organisation,
        permission=Permission.MANAGE_RISKS,
        expected_version=expected_version,
        allowed=("description", "order", "effectiveness"),
        changes=changes,
    )


@transaction.atomic
def assurance_add(
    *,
    control: Control,
    by: User,
    source: str,
    line: str,
    level: str,
    outcome: str = "",
    reported_on: datetime.date | None = None,
) -> Assurance:
    """A source of assurance on a control: which line gives it, how much comfort it gives, whether it is positive
    or negative, and when it was reported (what says whether it is still current)."""
    organisation = control.risk.organisation
    _manage(by, organisation.pk)
    errors = {}
    if not source.strip():
        errors["source"] = "Name the source of assurance (a report, an audit, a committee)."
    if line not in AssuranceLine.values:
        errors["line"] = "Choose the first, second or third line."
    if level not in AssuranceLevel.values:
        errors["level"] = "Choose the level of assurance."
    if outcome not in ("", *AssuranceOutcome.values):
        errors["outcome"] = (
            "Say whether the assurance is positive (the control works) or negative (it does not)."
        )
    if reported_on is not None and reported_on > timezone.localdate():
        errors["reported_on"] = "The date reported cannot be in the future."
    if errors:
        raise ValidationError(errors)
    assurance = Assurance(
        control=control,
        source=source.strip(),
        line=line,
        level=level,
        outcome=outcome,
        reported_on=reported_on,
    )
    return record_create(
        instance=assurance, by=by, organisation=organisation, permission=None, clean=["source"]
    )


# Categories, objectives, policy ----------------------------------------------------------------------------------


@transaction.atomic
def category_create(
    *, organisation: Organisation, by: User | None, name: str, appetite: str, tolerance: int
) -> RiskCategory:
    """A category of risk with the board's appetite and the highest current score it tolerates."""
    category = RiskCategory(
        organisation=organisation, name=name.strip(), appetite=appetite, tolerance=tolerance
    )
    return record_create(
        instance=category, by=by, organisation=organisation, permission=Permission.MANAGE_RISKS
    )


@transaction.atomic
def objective_create(
    *,
    organisation: Organisation,
    by: User | None,
    code: str,
    title: str,
    order: int = 0,
    appetite: str = "",
    tolerance: int | None = None,
) -> StrategicObjective:
    """A strategic objective the BAF's principal risks are grouped under, with the board's appetite and tolerance
    for risk to it (empty: each risk's category's)."""
    objective = StrategicObjective(
        organisation=organisation,
        code=code.strip(),
        title=title.strip(),
        order=order,
        appetite=appetite,
        tolerance=tolerance,
    )
    return record_create(
        instance=objective, by=by, organisation=organisation, permission=Permission.MANAGE_RISKS
    )


@transaction.atomic
def threshold_set(*, organisation: Organisation, by: User, escalation_threshold: int) -> RiskPolicy:
    """Set the score at which risks go to the corporate register, and re-flag every risk by it."""
    _manage(by, organisation.pk)
    policy, created = RiskPolicy.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"escalation_threshold": escalation_threshold}
    )
    before = None if created else snapshot(policy)
    policy.escalation_threshold = escalation_threshold
    policy.full_clean()
    fields = None if created else ["escalation_threshold"]  # a new policy keeps its first version
    record_create_or_change(policy, by=by, organisation=organisation, before=before, fields=fields)
    at = timezone.now()
    for risk in (
        Risk.objects.select_for_update().filter(organisation=organisation).select_related("organisation")
    ):
        _escalation_apply(risk, by=by, threshold=escalation_threshold, at=at)
    return policy


@transaction.atomic
def category_update(
    *, category: RiskCategory, by: User, expected_version: ExpectedVersion, **changes
) -> RiskCategory:
    """Rename a category or change the board's appetite and tolerance for it."""
    return _register_update(category, by, expected_version, ("name", "appetite", "tolerance"), changes)


@transaction.atomic
def objective_update(
    *, objective: StrategicObjective, by: User, expected_version: ExpectedVersion, **changes
) -> StrategicObjective:
    """Reword a strategic objective, change its code or place, or the board's appetite and tolerance for it."""
    return _register_update(
        objective, by, expected_version, ("code", "title", "order", "appetite", "tolerance"), changes
    )


@transaction.atomic
def assurance_age_set(*, organisation: Organisation, by: User, days: int | None) -> RiskPolicy:
    """Set the age in days after which an assurance is stale (None: ASSURANCE_STALE_DAYS)."""
    _manage(by, organisation.pk)
    policy, created = RiskPolicy.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"escalation_threshold": escalation_threshold(organisation)}
    )
    if not created and policy.assurance_stale_days == days:
        return policy
    before = None if created else snapshot(policy)
    policy.assurance_stale_days = days
    policy.full_clean()
    return record_create_or_change(
        policy, by=by, organisation=organisation, before=before, fields=["assurance_stale_days"]
    )


@transaction.atomic
def risk_policy_set(
    *, organisation: Organisation, by: User, escalation_threshold: int, assurance_stale_days: int | None
) -> RiskPolicy:
    """The risk settings page's rules together: the escalation threshold and the age at which assurance is stale."""
    threshold_set(organisation=organisation, by=by, escalation_threshold=escalation_threshold)
    return assurance_age_set(organisation=organisation, by=by, days=assurance_stale_days)


# Gaps ---------------------------------------------------------------------------------------------------------


def _gap_check(
    risk: Risk, kind: str, description: str, control: Control | None, action: Action | None
) -> None:
    errors = {}
    if kind not in GapKind.values:
        errors["kind"] = "Choose a gap in control or a gap in assurance."
    if not (description or "").strip():
        errors["description"] = "Describe the gap."
    if control is not None and control.risk_id != risk.pk:
        errors["control"] = "Choose one of this risk's own controls."
    if (
        action is not None
        and not Action.objects.filter(pk=action.pk, plan__organisation=risk.organisation).exists()
    ):
        errors["action"] = "Choose an action of this organisation's plans."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def gap_add(
    *,
    risk: Risk,
    by: User,
    kind: str,
    description: str,
    control: Control | None = None,
    action: Action | None = None,
) -> Gap:
    """A gap in control or in assurance on a risk, tied to the control it undermines and the action closing it."""
    _manage(by, risk.organisation_id)
    _gap_check(risk, kind, description, control, action)
    gap = Gap(risk=risk, kind=kind, description=description.strip(), control=control, action=action)
    return record_create(
        instance=gap, by=by, organisation=risk.organisation, permission=None, clean=["description"]
    )


@transaction.atomic
def gap_update(*, gap: Gap, by: User, expected_version: ExpectedVersion, **changes) -> Gap:
    """Reword a gap, or tie it to another control or action (each of the same risk and organisation)."""
    _manage(by, gap.risk.organisation_id)
    _gap_check(
        gap.risk,
        changes.get("kind", gap.kind),
        changes.get("description", gap.description),
        changes.get("control", gap.control),
        changes.get("action", gap.action),
    )
    if "description" in changes:
        changes["description"] = changes["description"].strip()
    return fields_update(
        instance=gap,
        by=by,
        organisation=gap.risk.organisation,
        permission=None,
        expected_version=expected_version,
        allowed=("kind", "description", "control", "action"),
        changes=changes,
    )


REMINDER_SUBJECT = "Risk reviews overdue: {count}"


@transaction.atomic
def review_reminders_send(*, organisation: Organisation, by: User | None, on: datetime.date) -> int:
    """E-mail each owner (or, with no owner who can act, the handler; never a leaver or a viewer) the risks whose
    review is overdue on a day; each reminder is kept and audited. Returns how many people were written to."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from .models import ReviewReminder

    _manage(by, organisation.pk)
    overdue = (
        Risk.objects.filter(organisation=organisation, next_review_on__lt=on)
        .exclude(status=RiskStatus.CLOSED)
        .select_related("owner", "handler")
        .order_by("next_review_on", "reference")
    )
    by_person: dict[User, list[Risk]] = {}
    addresses: dict[User, str] = {}
    # Never a leaver or someone whose role no longer lets them review: the handler instead, if they can.
    able = set(
        members_allowed(
            organisation_id=organisation.pk, permissions=[Permission.REVIEW_OWN_RISK]
        ).values_list("pk", flat=True)
    )
    for risk in overdue:
        person = next((p for p in (risk.owner, risk.handler) if p is not None and p.pk in able), None)
        if person is not None and person.email:
            by_person.setdefault(person, []).append(risk)
            addresses[person] = person.email
    now = timezone.now()
    for person, risks in by_person.items():
        body = render_to_string(
            "risks/email/review_reminder.txt.jinja",
            {"person": person, "risks": risks, "organisation": organisation, "site_url": site_url()},
        )
        send_mail(REMINDER_SUBJECT.format(count=len(risks)), body, None, [addresses[person]])
        reminder = ReviewReminder.objects.create(
            organisation=organisation, recipient=person, risk_count=len(risks), sent_by=by, sent_at=now
        )
        audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=reminder)
    return len(by_person)


@transaction.atomic
def risks_hand_on(*, records: Iterable[Risk], person: User, to: User, by: User) -> int:
    """Give `to` every part the person has in each risk (owner, handler, lead executive), through risk_update and
    risk_baf_set, so each change is versioned and audited (a leaver's risks, core.holdings). Returns how many."""
    count = 0
    for risk in records:
        risk = Risk.objects.get(pk=risk.pk)
        people = {f: to for f in ("owner", "handler") if getattr(risk, f"{f}_id") == person.pk}
        if people:
            risk = risk_update(risk=risk, by=by, expected_version=AS_IT_STANDS, **people)
        if risk.lead_executive_id == person.pk:
            risk_baf_set(risk=risk, by=by, expected_version=AS_IT_STANDS, lead_executive=to)
        count += 1
    return count
