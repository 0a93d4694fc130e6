"""Writes for ward accreditation: loading a scheme file, and recording and completing a ward's audit, audited."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core import limits
from wellled.core.audit import audit_record
from wellled.core.calendar import months_add
from wellled.core.choices import AuditAction
from wellled.core.formatting import long_date
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    AS_IT_STANDS,
    fields_update,
    locked_get,
    permission_require,
    record_change,
    record_create,
    version_check,
)
from wellled.core.services import organisation_unit_create
from wellled.measures import services as measure_services
from wellled.measures.choices import Direction, Frequency, MeasureKind
from wellled.plans import services as plan_services
from wellled.plans.choices import FindingSource, FindingType
from wellled.plans.models import Action, Plan

from .choices import AUDITABLE_KINDS, PANEL_FINAL, AuditState, PanelDecision
from .models import AccreditationScheme, AuditFindingAction, WardAudit, WardMeasure
from .scheme import SAMPLE_SEPARATOR, SchemeError, audit_score, findings_of, sample_parse, scheme_parse

# An audit describes a visit that has happened; none before any record could have been kept here.
EARLIEST_AUDIT = datetime.date(2000, 1, 1)
EVIDENCE_LIMIT = 2000  # characters of evidence per standard
SHIPPED_DIR = Path(__file__).parent / "data"
COMPLETED_MESSAGE = (
    "This audit has been completed; its answers can no longer change. Start a new audit instead."
)


@transaction.atomic
def scheme_file_load(
    *, text: str, by: User | None, organisation: Organisation | None = None
) -> AccreditationScheme:
    """Load (or reload) a scheme file; a changed file under a version that audits already used is refused."""
    if organisation is not None:
        permission_require(
            user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_ACCREDITATION
        )
    try:
        scheme = scheme_parse(text)
    except SchemeError as exc:
        raise ValidationError(f"The scheme file cannot be used: {exc}") from None
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = AccreditationScheme.objects.select_for_update().filter(
        key=scheme.key, version=scheme.version, organisation=organisation
    )
    row = existing.first()
    if row is not None:
        if row.source_checksum == checksum:
            return row
        if row.audits.exists():
            raise ValidationError(
                f"Version {scheme.version} of {scheme.name} has been used by audits: give the changed file a new "
                "version number so those audits keep the scheme they were scored against."
            )
        row.name, row.source, row.source_checksum = scheme.name, text, checksum
        row.save()
        action = AuditAction.UPDATE
    else:
        row = AccreditationScheme.objects.create(
            key=scheme.key,
            version=scheme.version,
            name=scheme.name,
            organisation=organisation,
            source=text,
            source_checksum=checksum,
        )
        action = AuditAction.CREATE
    audit_record(by=by, organisation=organisation, action=action, instance=row)
    return row


def schemes_sync_shipped(*, by: User | None = None) -> list[AccreditationScheme]:
    """Load (or refresh) every accreditation scheme shipped with Wellled."""
    return [
        scheme_file_load(text=path.read_text(encoding="utf-8"), by=by)
        for path in sorted(SHIPPED_DIR.glob("*.yaml"))
    ]


def schemes_sync_shipped_after_migrate(sender, **kwargs) -> None:
    """post_migrate hook: the shipped schemes are present once the database is migrated."""
    if kwargs.get("using", "default") == "default":
        schemes_sync_shipped()


@transaction.atomic
def ward_audit_start(
    *,
    organisation: Organisation,
    unit: OrganisationUnit,
    scheme: AccreditationScheme,
    audited_on: datetime.date,
    by: User,
) -> WardAudit:
    """Open an audit of a ward or team on the day it was visited; answers are recorded, then it is completed."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.RECORD_WARD_AUDITS)
    if unit.organisation_id != organisation.pk or unit.kind not in AUDITABLE_KINDS:
        raise ValidationError({"unit": "Choose one of your organisation's wards or teams."})
    if scheme.organisation_id not in (None, organisation.pk):
        raise ValidationError({"scheme": "Choose a scheme your organisation uses."})
    if not EARLIEST_AUDIT <= audited_on <= timezone.localdate():
        raise ValidationError(
            {"audited_on": "The audit date must be today or earlier (and after 1 January 2000)."}
        )
    audit = WardAudit(organisation=organisation, unit=unit, scheme=scheme, audited_on=audited_on, auditor=by)
    return record_create(instance=audit, by=by, organisation=organisation, permission=None, clean=())


def _clean_answers(
    audit: WardAudit, answers: Mapping[str, str], evidence: Mapping[str, str]
) -> tuple[dict, dict]:
    scheme = audit.scheme.scheme
    known = {standard.code: standard for standard in scheme.standards()}
    errors: dict[str, str] = {}
    clean_answers: dict[str, str] = {}
    for code, answer in answers.items():
        answer = (answer or "").strip()
        sampled = code in known and known[code].sample is not None and sample_parse(answer) is not None
        if code not in known:
            errors[f"answer_{code}"] = f"The scheme has no standard {code}."
        elif answer and not sampled and SAMPLE_SEPARATOR in answer and known[code].sample is not None:
            errors[f"answer_{code}"] = (
                f"Standard {code}: give the records meeting it and the records checked as whole numbers, "
                "the first no more than the second (for example 8/10)."
            )
        elif answer and not sampled and scheme.answer(answer) is None:
            errors[f"answer_{code}"] = f"Standard {code}: choose one of the scheme's answers."
        elif answer:
            clean_answers[code] = answer
    clean_evidence: dict[str, str] = {}
    for code, text in evidence.items():
        text = (text or "").strip()
        if code not in known:
            errors[f"evidence_{code}"] = f"The scheme has no standard {code}."
        elif len(text) > EVIDENCE_LIMIT:
            errors[f"evidence_{code}"] = (
                f"Standard {code}: evidence can be up to {EVIDENCE_LIMIT:,} characters (it has {len(text):,})."
            )
        elif text:
            clean_evidence[code] = text
    if errors:
        raise ValidationError(errors)
    return clean_answers, clean_evidence


@transaction.atomic
def ward_audit_answers_record(
    *,
    audit: WardAudit,
    by: User,
    expected_version: int | None,
    answers: Mapping[str, str],
    evidence: Mapping[str, str],
    summary: str = "",
) -> WardAudit:
    """Save the auditor's answers and evidence so far (an audit can be recorded over more than one sitting)."""
    if audit.is_completed:
        raise ValidationError(COMPLETED_MESSAGE)
    clean_answers, clean_evidence = _clean_answers(audit, answers, evidence)
    return fields_update(
        instance=audit,
        by=by,
        organisation=audit.organisation,
        permission=Permission.RECORD_WARD_AUDITS,
        expected_version=expected_version,
        allowed={"answers", "evidence", "summary"},
        changes={"answers": clean_answers, "evidence": clean_evidence, "summary": summary.strip()},
    )


def _ward_measure(audit: WardAudit, by: User):
    """The measure carrying this ward's audit scores, made the first time the ward completes an audit."""
    link = WardMeasure.objects.filter(unit=audit.unit).select_related("measure").first()
    if link is not None:
        return link.measure
    measure = measure_services.measure_create(
        organisation=audit.organisation,
        by=by,
        permission=Permission.RECORD_WARD_AUDITS,
        name=f"Accreditation audit score: {audit.unit.name}"[:200],
        definition=(
            "The ward's overall score in each accreditation audit, as a percentage of the points available "
            "(standards answered 'not applicable' left out). One figure for the month of each audit."
        ),
        unit_of_measurement="%",
        direction=Direction.INCREASE,
        frequency=Frequency.MONTHLY,
        kind=MeasureKind.VALUE,
        unit=audit.unit,
        data_source="Ward accreditation audits in Wellled",
    )
    WardMeasure.objects.create(unit=audit.unit, measure=measure)
    return measure


@transaction.atomic
def ward_audit_complete(*, audit: WardAudit, by: User, expected_version: int | None) -> WardAudit:
    """Complete an audit: work out the level it proposes (the panel awards it), a provisional renewal date, and
    chart the score."""
    permission_require(
        user=by, organisation_id=audit.organisation_id, permission=Permission.RECORD_WARD_AUDITS
    )
    row = locked_get(WardAudit, audit.pk)
    version_check(row, expected_version)
    if row.is_completed:
        raise ValidationError(COMPLETED_MESSAGE)
    result = audit_score(row.scheme.scheme, row.answers)
    if not result.complete:
        raise ValidationError(
            f"Answer every standard before completing the audit; still to answer: {', '.join(result.unanswered)}."
        )
    changes = {
        "state": AuditState.COMPLETED,
        "level_code": result.level.code if result.level else "",
        "level_name": result.level_name,
        "percent": result.percent,
        "renew_by": months_add(row.audited_on, result.renew_after_months),
        "completed_at": timezone.now(),
    }
    completed = fields_update(
        instance=row,
        by=by,
        organisation=row.organisation,
        permission=None,
        expected_version=AS_IT_STANDS,
        allowed=set(changes),
        changes=changes,
    )
    if result.percent is not None:
        measure = _ward_measure(completed, by)
        measure_services.values_load(
            organisation=completed.organisation,
            by=by,
            permission=Permission.RECORD_WARD_AUDITS,
            rows=[
                measure_services.ValueRow(
                    measure_id=measure.pk, period=completed.audited_on, value=result.percent
                )
            ],
            source=f"Ward audit of {long_date(completed.audited_on)}",
        )
    return completed


# The panel's decision -------------------------------------------------------------------------------------------

DECIDED_MESSAGE = "The panel has already decided on this audit; a new audit brings a new proposal."


def _decision_check(row: WardAudit, changes: Mapping) -> None:
    """The audit is completed and awaits the panel; the level awarded is one the audit reached or a lower one."""
    if not row.is_completed:
        raise ValidationError("Complete the audit before the panel decides on the level it proposes.")
    if row.decision in PANEL_FINAL:
        raise ValidationError(DECIDED_MESSAGE)
    errors: dict[str, str] = {}
    decided_on = changes["decided_on"]
    if not row.audited_on <= decided_on <= timezone.localdate():
        errors["decided_on"] = (
            f"The panel's date must be between the audit ({long_date(row.audited_on)}) and today."
        )
    if not changes["decision_reason"]:
        errors["decision_reason"] = "Give the panel's reason for its decision."
    if changes["decision"] == PanelDecision.AWARDED:
        levels = [level.code for level in row.scheme.scheme.levels]
        code = changes["awarded_level_code"]
        if not row.level_code:
            errors["decision"] = "The audit reached no level, so there is none to award: decline or defer it."
        elif code not in levels or levels.index(code) < levels.index(row.level_code):
            errors["level"] = f"Award {row.level_name} (the level the audit proposes) or a lower level."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ward_audit_decide(
    *,
    audit: WardAudit,
    by: User,
    expected_version: int | None,
    decision: str,
    reason: str,
    decided_on: datetime.date,
    level_code: str = "",
) -> WardAudit:
    """Record the accreditation panel's decision on a completed audit: award the proposed level (or a lower one),
    defer it (it comes back to the panel) or decline it, with the reason; the ward's level is the one awarded."""
    if decision not in (PanelDecision.AWARDED, PanelDecision.DEFERRED, PanelDecision.DECLINED):
        raise ValidationError({"decision": "Choose award, defer or decline."})
    scheme = audit.scheme.scheme
    code = (level_code or audit.level_code) if decision == PanelDecision.AWARDED else ""
    awarded = scheme.level(code) if code else None
    changes: dict = {
        "decision": decision,
        "decision_reason": reason.strip(),
        "decided_on": decided_on,
        "decided_by": by,
        "decided_at": timezone.now(),
        "awarded_level_code": code,
        "awarded_level_name": "",
    }
    if awarded is not None:
        changes["awarded_level_name"] = awarded.name
        changes["renew_by"] = months_add(audit.audited_on, awarded.renew_after_months)
    elif decision == PanelDecision.DECLINED:
        changes["awarded_level_name"] = scheme.not_accredited_label
        changes["renew_by"] = months_add(audit.audited_on, scheme.reaudit_when_not_accredited_months)
    return fields_update(
        instance=audit,
        by=by,
        organisation=audit.organisation,
        permission=Permission.MANAGE_ACCREDITATION,
        expected_version=expected_version,
        allowed={*changes, "renew_by"},
        changes=changes,
        check=_decision_check,
    )


# Ward actions from findings ---------------------------------------------------------------------------------

# Action references are one short word (plans.models.REFERENCE_RE, at most 20 characters): "ACC" and the audit's
# number, then the standard's code.
FINDING_REFERENCE = "ACC{audit}-{standard}"


@transaction.atomic
def audit_finding_action_raise(
    *,
    audit: WardAudit,
    standard_code: str,
    plan: Plan,
    by: User,
    title: str = "",
    lead: User | None = None,
    due_date: datetime.date | None = None,
) -> Action:
    """Raise a ward action from an audit's finding: a plan finding carrying the standard, the answer and what the
    auditor saw, and an action answering it, both through the plans services (so both are audited)."""
    permission_require(user=by, organisation_id=audit.organisation_id, permission=Permission.MANAGE_PLANS)
    if plan.organisation_id != audit.organisation_id:
        raise ValidationError({"plan": "Choose one of your organisation's plans."})
    if not audit.is_completed:
        raise ValidationError("Complete the audit before raising actions from its findings.")
    found = dict(findings_of(audit.scheme.scheme, audit.answers))
    standard = next((s for s in found if s.code == standard_code), None)
    if standard is None:
        raise ValidationError({"standard": "Choose a standard this audit found not fully met."})
    taken = AuditFindingAction.objects.filter(audit=audit, standard_code=standard_code).select_related(
        "action"
    )
    if taken.exists():
        raise ValidationError(
            {
                "standard": f"Action {taken.get().action.reference} already answers {standard_code} from this audit."
            }
        )
    seen = audit.evidence.get(standard_code, "")
    text = (
        f"Ward accreditation audit of {audit.unit.name}, {long_date(audit.audited_on)}: {standard.code} "
        f"{standard.text} Found: {found[standard]}." + (f" Seen: {seen}" if seen else "")
    )[: limits.FINDING_TEXT_CHARS]
    finding = plan_services.finding_create(
        plan=plan,
        by=by,
        text=text,
        finding_type=FindingType.AREA_FOR_IMPROVEMENT,
        source=FindingSource.OTHER,
        source_date=audit.audited_on,
    )
    action = plan_services.action_create(
        plan=plan,
        by=by,
        reference=FINDING_REFERENCE.format(audit=audit.pk, standard=standard.code)[:20],
        title=(title.strip() or f"{audit.unit.name}: {standard.text}")[: limits.ACTION_TITLE_CHARS],
        lead=lead,
        due_date=due_date,
        findings=[finding],
    )
    link = AuditFindingAction.objects.create(audit=audit, standard_code=standard.code, action=action)
    audit_record(by=by, organisation=audit.organisation, action=AuditAction.CREATE, instance=link)
    return action


# Wards and teams -----------------------------------------------------------------------------------------------

WARD_FIELDS = ("name", "kind", "code", "parent")


def _ward_check(organisation: Organisation, fields: Mapping, *, ward: OrganisationUnit | None = None) -> None:
    """A ward or team of this organisation: a kind that is audited, a parent of the same organisation that is not
    itself a ward or team, a name no other unit of its kind has."""
    errors: dict[str, str] = {}
    name = (fields.get("name") or "").strip()
    kind = fields.get("kind")
    parent = fields.get("parent")
    if not name:
        errors["name"] = "Give the ward or team a name."
    if kind not in AUDITABLE_KINDS:
        errors["kind"] = "Choose ward or team."
    if parent is not None and (parent.organisation_id != organisation.pk or parent.kind in AUDITABLE_KINDS):
        errors["parent"] = "Choose one of your organisation's directorates, services or sites."
    taken = OrganisationUnit.objects.filter(organisation=organisation, kind=kind, name__iexact=name)
    if ward is not None:
        taken = taken.exclude(pk=ward.pk)
    if name and taken.exists():
        errors["name"] = f"The organisation already has a {kind} called {name}."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ward_create(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    kind: str = AUDITABLE_KINDS[0],
    code: str = "",
    parent: OrganisationUnit | None = None,
) -> OrganisationUnit:
    """Add a ward or team to the organisation's structure (audited)."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_ACCREDITATION)
    _ward_check(organisation, {"name": name, "kind": kind, "parent": parent})
    return organisation_unit_create(
        organisation=organisation, kind=kind, name=name.strip(), code=code.strip(), parent=parent, by=by
    )


@transaction.atomic
def ward_update(*, ward: OrganisationUnit, by: User, **changes) -> OrganisationUnit:
    """Rename a ward or team, change its kind, code or the directorate it sits in (audited, in its history)."""
    permission_require(
        user=by, organisation_id=ward.organisation_id, permission=Permission.MANAGE_ACCREDITATION
    )
    unknown = set(changes) - set(WARD_FIELDS)
    if unknown:
        raise ValueError(f"A ward cannot change {', '.join(sorted(unknown))} here.")
    row = locked_get(OrganisationUnit, ward.pk)
    if row.kind not in AUDITABLE_KINDS:
        raise ValidationError({"kind": "Only wards and teams are changed here."})
    _ward_check(row.organisation, {**{name: getattr(row, name) for name in WARD_FIELDS}, **changes}, ward=row)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    return record_change(row, changes, by=by, organisation=row.organisation, versioned=False)
