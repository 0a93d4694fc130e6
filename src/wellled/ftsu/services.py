"""Every write of Freedom to Speak Up cases (ADR 0054): a guardian's, a champion's first contact, or the worker's
on the anonymous route. Each is audited in its transaction, saying that a case changed and which fields, never
what they hold; every reading is kept; breaking confidentiality is its own action with a reason."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.access import current_memberships
from wellled.core.audit import audit_record
from wellled.core.choices import AuditAction, SpeakUpRole
from wellled.core.limits import SPEAK_UP_TEXT_CHARS
from wellled.core.models import Membership, Organisation, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    ExpectedVersion,
    fields_update,
    locked_get,
    permission_require,
    record_create,
    version_bump,
    version_check,
)

from .choices import (
    CHARACTERISTICS,
    Consent,
    ContactKind,
    Detriment,
    Element,
    Feedback,
    Openness,
    Route,
    WorkerGroup,
)
from .models import (
    Case,
    CaseAction,
    CaseReading,
    ConfidentialityBreak,
    Contact,
    GuardianReport,
    NationalFigures,
    RouteUse,
)
from .national import national_check, national_read
from .periods import Quarter
from .sealing import address_digest, case_key_new, key_digest, sealed, sealed_json
from .selectors import guardian_require, is_champion, is_guardian

ROUTE_BUSY = "Too many uses of this page from your connection just now: please try again in an hour."
ROUTE_WINDOW = datetime.timedelta(hours=1)


def _audit(case: Case, *, by: User | None, action: str, changed: Iterable[str], note: str = "") -> None:
    """The audit record of a case: that it changed and which fields, never their content (ADR 0054)."""
    audit_record(
        by=by,
        organisation=case.organisation,
        action=action,
        instance=case,
        before=None,
        after={"reference": case.reference, "changed": sorted(set(changed))},
        note=note,
    )


def _text(errors: dict[str, str], field: str, value: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = "Enter this: it cannot be left blank."
    elif len(value) > SPEAK_UP_TEXT_CHARS:
        errors[field] = f"Shorten this to {SPEAK_UP_TEXT_CHARS:,} characters (it has {len(value):,})."
    return value


def _choice(errors: dict[str, str], field: str, value: str, choices: Any, *, blank: bool = False) -> str:
    if (blank and not value) or value in choices.values:
        return value
    errors[field] = f"Choose one of: {', '.join(str(label) for label in choices.labels)}."
    return value


def _elements(errors: dict[str, str], values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    if any(code not in Element.values for code in chosen):
        errors["elements"] = "Choose only from the elements listed."
    return [code for code in Element.values if code in chosen]


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# Roles ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def speak_up_role_set(*, organisation: Organisation, person: User, role: str, by: User | None) -> Membership:
    """Make a current member a guardian or a champion, or neither: the organisation's to decide (its administrators),
    audited on the membership so everyone with the audit log sees who holds the role."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_ORGANISATION)
    if role not in SpeakUpRole.values:
        raise ValidationError({"speak_up_role": "Choose guardian, champion or none."})
    membership = current_memberships(user=person, organisation=organisation).select_for_update().first()
    if membership is None:
        raise ValidationError({"person": "Only a current member of the organisation can hold this role."})
    before = {"speak_up_role": membership.speak_up_role}
    membership.speak_up_role = role
    version_bump(membership, ["speak_up_role"])
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.UPDATE,
        instance=membership,
        before=before,
        after={"speak_up_role": role},
        note="Freedom to Speak Up role set",
    )
    return membership


# Recording a case -------------------------------------------------------------------------------------------------


def _reference(organisation: Organisation, received_on: datetime.date) -> str:
    year = received_on.year if received_on.month >= 4 else received_on.year - 1
    taken = Case.objects.filter(organisation=organisation, reference__startswith=f"FTSU-{year}-").count()
    return f"FTSU-{year}-{taken + 1:04d}"


@transaction.atomic
def case_create(
    *,
    organisation: Organisation,
    by: User | None,
    received_on: datetime.date,
    route: str,
    openness: str,
    concern: str,
    worker_group: str = WorkerGroup.NOT_KNOWN,
    area: str = "",
    elements: Iterable[str] = (),
    detriment: str = Detriment.NOT_KNOWN,
    name: str = "",
    contact_details: str = "",
    characteristics: Mapping[str, str] | None = None,
) -> Case:
    """Record a concern: by a guardian, or by a champion (whose first contact is the case's first journal entry,
    the only part of it they will see again). An anonymous case keeps no name or contact details."""
    guardian = is_guardian(user=by, organisation=organisation)
    champion = is_champion(user=by, organisation=organisation)
    if not (guardian or champion):
        raise PermissionDenied("Only a Freedom to Speak Up guardian or champion records concerns.")
    errors: dict[str, str] = {}
    _choice(errors, "route", route, Route)
    _choice(errors, "openness", openness, Openness)
    _choice(errors, "worker_group", worker_group, WorkerGroup)
    _choice(errors, "detriment", detriment, Detriment)
    concern = _text(errors, "concern", concern, required=True)
    name = _text(errors, "name", name)
    contact_details = _text(errors, "contact_details", contact_details)
    chosen = _elements(errors, elements)
    if openness == Openness.ANONYMOUS and (name or contact_details):
        errors["name"] = "An anonymous concern keeps no name or contact details: leave them blank."
    kept = {k: v for k, v in (characteristics or {}).items() if k in CHARACTERISTICS and v}
    if len(area) > 100:
        errors["area"] = "Shorten the site or directorate to 100 characters."
    if received_on > timezone.localdate():
        errors["received_on"] = "The date received cannot be in the future."
    _raise(errors)
    case = Case.objects.create(
        organisation=organisation,
        reference=_reference(organisation, received_on),
        received_on=received_on,
        route=Route.CHAMPION if champion and not guardian else route,
        openness=openness,
        worker_group=worker_group,
        area=area.strip(),
        elements=chosen,
        detriment=detriment,
        identity_sealed=sealed_json({"name": name, "contact": contact_details}),
        characteristics_sealed=sealed_json(kept),
        concern_sealed=sealed(concern),
        recorded_by=by,
    )
    if champion and not guardian:
        Contact.objects.create(
            case=case, on=received_on, kind=ContactKind.MEETING, note_sealed=sealed(concern), recorded_by=by
        )
    _audit(case, by=by, action=AuditAction.CREATE, changed=["case"])
    return case


# What a guardian changes: plain categories, and the text fields sealed before they are stored.
CATEGORY_FIELDS = frozenset(
    {"received_on", "route", "openness", "worker_group", "area", "detriment", "elements"}
)
SEALED_FIELDS = {
    "concern": "concern_sealed",
    "outcome": "outcome_sealed",
    "learning": "learning_sealed",
    "feedback_comment": "feedback_comment_sealed",
}


@transaction.atomic
def case_update(
    *, case: Case, by: User | None, expected_version: ExpectedVersion, changes: Mapping[str, Any]
) -> Case:
    """Change a case's categories or its text (sealed), under optimistic locking."""
    guardian_require(user=by, organisation=case.organisation)
    unknown = set(changes) - CATEGORY_FIELDS - set(SEALED_FIELDS) - {"name", "contact_details"}
    if unknown:
        raise ValueError(f"A case cannot change {', '.join(sorted(unknown))} here.")
    row = locked_get(Case, case.pk)
    version_check(row, expected_version)
    errors: dict[str, str] = {}
    for field, value in changes.items():
        if field == "elements":
            row.elements = _elements(errors, value)
        elif field in SEALED_FIELDS:
            setattr(
                row, SEALED_FIELDS[field], sealed(_text(errors, field, value, required=field == "concern"))
            )
        elif field in CATEGORY_FIELDS:
            setattr(row, field, value)
    for field, choices in (("route", Route), ("openness", Openness), ("worker_group", WorkerGroup)):
        _choice(errors, field, getattr(row, field), choices)
    if "name" in changes or "contact_details" in changes:
        name = _text(errors, "name", changes.get("name", ""))
        contact = _text(errors, "contact_details", changes.get("contact_details", ""))
        row.identity_sealed = sealed_json({"name": name, "contact": contact})
    if row.openness == Openness.ANONYMOUS and row.identity_sealed:
        errors["name"] = "An anonymous concern keeps no name or contact details: leave them blank."
    _raise(errors)
    row.version += 1
    row.save()
    _audit(row, by=by, action=AuditAction.UPDATE, changed=changes)
    return row


@transaction.atomic
def consent_set(
    *,
    case: Case,
    by: User | None,
    expected_version: ExpectedVersion,
    consent: str,
    to: str,
    on: datetime.date,
) -> Case:
    """Record the person's consent to share their identity: none, with named people, or with a role, and when."""
    guardian_require(user=by, organisation=case.organisation)
    row = locked_get(Case, case.pk)
    version_check(row, expected_version)
    errors: dict[str, str] = {}
    _choice(errors, "consent", consent, Consent)
    to = _text(errors, "to", to, required=consent != Consent.NONE)
    _raise(errors)
    row.consent, row.consent_to_sealed, row.consent_on = consent, sealed(to), on
    version_bump(row, ["consent", "consent_to_sealed", "consent_on"])
    _audit(row, by=by, action=AuditAction.UPDATE, changed=["consent"])
    return row


@transaction.atomic
def contact_add(*, case: Case, by: User | None, on: datetime.date, kind: str, text: str) -> Contact:
    """Add a dated entry to a case's journal (a reply to the worker is what the case key reads)."""
    guardian_require(user=by, organisation=case.organisation)
    errors: dict[str, str] = {}
    _choice(errors, "kind", kind, ContactKind)
    text = _text(errors, "text", text, required=True)
    if kind == ContactKind.FROM_WORKER:
        errors["kind"] = "Messages from the worker come only through the anonymous route."
    _raise(errors)
    contact = Contact.objects.create(case=case, on=on, kind=kind, note_sealed=sealed(text), recorded_by=by)
    _audit(case, by=by, action=AuditAction.UPDATE, changed=["journal"])
    return contact


@transaction.atomic
def action_add(
    *, case: Case, by: User | None, taken_on: datetime.date, description: str, taken_by: str
) -> CaseAction:
    """Record something done about the concern and who did it."""
    guardian_require(user=by, organisation=case.organisation)
    errors: dict[str, str] = {}
    description = _text(errors, "description", description, required=True)
    taken_by = _text(errors, "taken_by", taken_by)
    _raise(errors)
    action = CaseAction.objects.create(
        case=case, taken_on=taken_on, description_sealed=sealed(description), taken_by_sealed=sealed(taken_by)
    )
    _audit(case, by=by, action=AuditAction.UPDATE, changed=["actions"])
    return action


@transaction.atomic
def case_close(
    *,
    case: Case,
    by: User | None,
    expected_version: ExpectedVersion,
    closed_on: datetime.date,
    outcome: str,
    learning: str = "",
    feedback: str = Feedback.NO_RESPONSE,
    feedback_comment: str = "",
) -> Case:
    """Close a case with its outcome, learning and the feedback asked at closure."""
    guardian_require(user=by, organisation=case.organisation)
    row = locked_get(Case, case.pk)
    version_check(row, expected_version)
    errors: dict[str, str] = {}
    outcome = _text(errors, "outcome", outcome, required=True)
    learning = _text(errors, "learning", learning)
    feedback_comment = _text(errors, "feedback_comment", feedback_comment)
    _choice(errors, "feedback", feedback, Feedback)
    if row.closed_on is not None:
        errors["closed_on"] = "This case is already closed."
    elif closed_on < row.received_on:
        errors["closed_on"] = "A case cannot close before the date it was received."
    _raise(errors)
    row.closed_on, row.feedback = closed_on, feedback
    row.outcome_sealed, row.learning_sealed = sealed(outcome), sealed(learning)
    row.feedback_comment_sealed = sealed(feedback_comment)
    row.version += 1
    row.save()
    _audit(row, by=by, action=AuditAction.UPDATE, changed=["closed_on", "outcome", "learning", "feedback"])
    return row


@transaction.atomic
def case_read(*, case: Case, by: User) -> CaseReading:
    """Keep that the person opened the case (every view of a case is kept, ADR 0054)."""
    guardian_require(user=by, organisation=case.organisation)
    return CaseReading.objects.create(case=case, reader=by)


@transaction.atomic
def confidentiality_break(*, case: Case, by: User | None, reason: str, told: str) -> ConfidentialityBreak:
    """Break confidentiality on a case (an immediate risk of harm): its own audited action, with a reason and who
    was told, both sealed with the case."""
    guardian_require(user=by, organisation=case.organisation)
    assert by is not None  # a guardian is a person  # noqa: S101
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, required=True)
    told = _text(errors, "told", told, required=True)
    _raise(errors)
    record = ConfidentialityBreak.objects.create(
        case=case, by=by, reason_sealed=sealed(reason), told_sealed=sealed(told)
    )
    _audit(case, by=by, action=AuditAction.UPDATE, changed=["confidentiality"], note="Confidentiality broken")
    return record


# The anonymous online route ---------------------------------------------------------------------------------------


def _route_use(*, address: str, kind: str, limit: int) -> None:
    """Count one use of the route from the address (kept hashed), refusing past the limit within the hour."""
    now = timezone.now()
    RouteUse.objects.filter(at__lt=now - ROUTE_WINDOW).delete()
    digest = address_digest(address)
    if RouteUse.objects.filter(address_digest=digest, kind=kind).count() >= limit:
        raise PermissionDenied(ROUTE_BUSY)
    RouteUse.objects.create(address_digest=digest, kind=kind)


@transaction.atomic
def concern_raise_anonymously(
    *,
    organisation: Organisation,
    concern: str,
    elements: Iterable[str] = (),
    worker_group: str = WorkerGroup.NOT_KNOWN,
    address: str,
) -> tuple[Case, str]:
    """A worker raises a concern with no account: an anonymous case, and its case key, returned once and kept only
    as a hash. Rate-limited per address (kept hashed)."""
    _route_use(address=address, kind="raise", limit=settings.WELLLED_FTSU_ROUTE_CONCERNS_PER_HOUR)
    errors: dict[str, str] = {}
    concern = _text(errors, "concern", concern, required=True)
    chosen = _elements(errors, elements)
    _choice(errors, "worker_group", worker_group, WorkerGroup)
    _raise(errors)
    key = case_key_new()
    today = timezone.localdate()
    case = Case.objects.create(
        organisation=organisation,
        reference=_reference(organisation, today),
        received_on=today,
        route=Route.ONLINE,
        openness=Openness.ANONYMOUS,
        worker_group=worker_group,
        elements=chosen,
        concern_sealed=sealed(concern),
        key_digest=key_digest(key),
    )
    Contact.objects.create(case=case, on=today, kind=ContactKind.FROM_WORKER, note_sealed=sealed(concern))
    _audit(case, by=None, action=AuditAction.CREATE, changed=["case"], note="Raised on the anonymous route")
    return case, key


def route_read_allow(*, address: str) -> None:
    """Count one attempt to open a case with a key; refused past the hourly limit (guessing is slowed further)."""
    with transaction.atomic():
        _route_use(address=address, kind="read", limit=settings.WELLLED_FTSU_ROUTE_READS_PER_HOUR)


@transaction.atomic
def worker_message_add(*, case: Case, text: str) -> Contact:
    """The key holder adds a message to their case (the caller found the case by its key)."""
    errors: dict[str, str] = {}
    text = _text(errors, "text", text, required=True)
    _raise(errors)
    if case.erased_on is not None or case.closed_on is not None:
        raise ValidationError({"text": "This case is closed: raise a new concern if you need to."})
    contact = Contact.objects.create(
        case=case, on=timezone.localdate(), kind=ContactKind.FROM_WORKER, note_sealed=sealed(text)
    )
    _audit(
        case, by=None, action=AuditAction.UPDATE, changed=["journal"], note="Message on the anonymous route"
    )
    return contact


# Retention -------------------------------------------------------------------------------------------------------


def _erase(case: Case) -> None:
    """Keep only the categories the counts need; every identifying and free-text field, the journal and the actions
    go, and the case key stops working."""
    Contact.objects.filter(case=case).delete()
    CaseAction.objects.filter(case=case).delete()
    for field in (
        "identity_sealed",
        "characteristics_sealed",
        "concern_sealed",
        "consent_to_sealed",
        "outcome_sealed",
        "learning_sealed",
        "feedback_comment_sealed",
        "key_digest",
        "area",
    ):
        setattr(case, field, "")
    case.erased_on = timezone.localdate()
    case.version += 1
    case.save()


@transaction.atomic
def case_erase(*, case: Case, by: User | None, reason: str) -> Case:
    """A guardian erases a closed case before the retention period ends, when policy requires; audited."""
    guardian_require(user=by, organisation=case.organisation)
    row = locked_get(Case, case.pk)
    if row.closed_on is None:
        raise ValidationError({"reason": "Close the case before erasing it."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is erased early."})
    _erase(row)
    _audit(row, by=by, action=AuditAction.UPDATE, changed=["erased"], note="Erased early by the guardian")
    return row


def retention_cutoff(today: datetime.date, years: int) -> datetime.date:
    """Cases closed on or before this day have passed the retention period."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@transaction.atomic
def cases_erase_expired(*, today: datetime.date | None = None, years: int | None = None) -> int:
    """The scheduled retention job: erase every case closed longer ago than the retention period, in every
    organisation, keeping the counts; each erasure audited. Returns how many were erased."""
    today = today or timezone.localdate()
    years = settings.WELLLED_FTSU_RETENTION_YEARS if years is None else years
    due = Case.objects.select_for_update().filter(
        erased_on=None, closed_on__lte=retention_cutoff(today, years)
    )
    erased = 0
    for case in due.select_related("organisation"):
        _erase(case)
        _audit(
            case,
            by=None,
            action=AuditAction.UPDATE,
            changed=["erased"],
            note="Erased: retention period ended",
        )
        erased += 1
    return erased


# The return issued -------------------------------------------------------------------------------------------------


def return_issue(*, organisation: Organisation, quarter: Quarter, by: User) -> Any:
    """A guardian issues the quarter's return as a frozen paper: the suppressed copy, which every member may read."""
    from wellled.reports.papers.kind import PaperRequest
    from wellled.reports.papers.pipeline import issue

    from .paper_kind import RETURN_KEY

    guardian_require(user=by, organisation=organisation)
    return issue(RETURN_KEY, PaperRequest(organisation=organisation, by=by, as_at=None, subject=quarter))


# The guardian's report to the board (ADR 0059) ---------------------------------------------------------------------

REPORT_FIELDS = (
    "period_from",
    "period_to",
    "themes",
    "learning",
    "actions",
    "guardian_hours",
    "guardian_wte",
    "champions",
    "executive_lead",
    "non_executive_lead",
    "plan",
)


def _report_check(organisation: Organisation, values: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    start, end = values.get("period_from"), values.get("period_to")
    if start and end and end < start:
        errors["period_to"] = "The period must end on or after the day it starts."
    plan = values.get("plan")
    if plan is not None and plan.organisation_id != organisation.pk:
        errors["plan"] = "Choose one of this organisation's plans."
    _raise(errors)


@transaction.atomic
def guardian_report_create(*, organisation: Organisation, by: User, **values: Any) -> GuardianReport:
    """A guardian starts the report to the board for a period: the words for the board, resourcing and leads."""
    guardian_require(user=by, organisation=organisation)
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"A guardian's report has no {', '.join(sorted(unknown))}.")
    _report_check(organisation, values)
    report = GuardianReport(organisation=organisation, **values)
    return record_create(
        instance=report, by=by, organisation=organisation, permission=None
    )  # guardian_require


@transaction.atomic
def guardian_report_update(
    *, report: GuardianReport, by: User, expected_version: ExpectedVersion, **changes: Any
) -> GuardianReport:
    """A guardian changes the report's words or figures; a stale copy is refused."""
    guardian_require(user=by, organisation=report.organisation)
    _report_check(report.organisation, {**{f: getattr(report, f) for f in REPORT_FIELDS}, **changes})
    return fields_update(
        instance=report,
        by=by,
        organisation=report.organisation,
        permission=None,
        expected_version=expected_version,
        allowed=REPORT_FIELDS,
        changes=changes,
    )


def board_report_issue(*, report: GuardianReport, by: User) -> Any:
    """A guardian issues the board report for the period as a frozen paper (PDF and Word): suppressed counts only."""
    from wellled.reports.papers.kind import PaperRequest
    from wellled.reports.papers.pipeline import issue

    guardian_require(user=by, organisation=report.organisation)
    return issue(
        "ftsu_board", PaperRequest(organisation=report.organisation, by=by, as_at=None, subject=report)
    )


# National figures --------------------------------------------------------------------------------------------------


@transaction.atomic
def national_figures_load(
    *, path: Any = None, data: Mapping[str, Any] | None = None, by: User | None = None
) -> NationalFigures:
    """Load (or replace) a financial year's national figures from their data file (or its content); audited."""
    data = national_read(path) if data is None else national_check(dict(data), "the national figures given")
    row = NationalFigures.objects.filter(year=data["year"]).first()
    before = None if row is None else {"figures": row.figures, "illustrative": row.illustrative}
    row = row or NationalFigures(year=data["year"])
    for name in ("title", "source", "illustrative", "figures"):
        setattr(row, name, data[name])
    row.save()
    audit_record(
        by=by,
        organisation=None,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        instance=row,
        before=before,
        note=f"National speak-up figures {row.year} loaded",
    )
    return row


# Learning into the plan and the risks -------------------------------------------------------------------------------


@transaction.atomic
def learning_action_raise(
    *,
    plan: Any,
    by: User,
    reference: str,
    title: str,
    due_date: datetime.date | None = None,
) -> Any:
    """A guardian raises an improvement action from what speaking up taught: only the words typed, on the chosen
    plan, through the plans service; nothing ties the action to a case (ADR 0059)."""
    from wellled.plans.services import action_create

    guardian_require(user=by, organisation=plan.organisation)
    return action_create(plan=plan, by=by, reference=reference, title=title, due_date=due_date)


@transaction.atomic
def theme_to_risk(*, risk: Any, by: User, description: str, action: Any = None) -> Any:
    """A guardian points a theme at a risk: a gap in assurance on it in the guardian's words (risks service),
    optionally tied to the plan action that closes it; nothing ties it to a case."""
    from wellled.risks.choices import GapKind
    from wellled.risks.services import gap_add

    guardian_require(user=by, organisation=risk.organisation)
    return gap_add(risk=risk, by=by, kind=GapKind.ASSURANCE, description=description, action=action)
