"""Every read of Freedom to Speak Up cases: only a guardian of the case's organisation reaches one (ADR 0054).

Anyone else (an administrator, a governance editor, an oversight body, an API token) is told "not found", as if the
case did not exist; a champion reads only the journal entries they recorded; the case key reads only its messages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from wellled.core.access import speak_up_role
from wellled.core.choices import SpeakUpRole
from wellled.core.models import Organisation, User

from .choices import KEY_HOLDER_KINDS, Element
from .models import Case, CaseReading, ConfidentialityBreak, Contact, GuardianReport
from .periods import Quarter
from .sealing import key_digest, opened, opened_json

NOT_FOUND = "No such case."


def is_guardian(*, user: User | None, organisation: Organisation | None) -> bool:
    """True if the person is, now, a guardian of the organisation."""
    if organisation is None:
        return False
    return speak_up_role(user=user, organisation_id=organisation.pk) == SpeakUpRole.GUARDIAN


def is_champion(*, user: User | None, organisation: Organisation | None) -> bool:
    if organisation is None:
        return False
    return speak_up_role(user=user, organisation_id=organisation.pk) == SpeakUpRole.CHAMPION


def guardian_require(*, user: User | None, organisation: Organisation | None) -> None:
    """Not found for anyone but a guardian: the cases' existence is itself not shown."""
    if not is_guardian(user=user, organisation=organisation):
        raise Http404(NOT_FOUND)


def cases_for_user(
    *,
    user: User | None,
    organisation: Organisation | None,
    quarter: Quarter | None = None,
    status: str = "",
) -> list[Case]:
    """The organisation's cases, for its guardians only (not found for anyone else), newest first; narrowed to a
    financial quarter (by date received) and to "open" or "closed" if asked."""
    guardian_require(user=user, organisation=organisation)
    cases = Case.objects.filter(organisation=organisation)
    if quarter is not None:
        cases = cases.filter(received_on__gte=quarter.first_day, received_on__lte=quarter.last_day)
    if status == "open":
        cases = cases.filter(closed_on=None)
    elif status == "closed":
        cases = cases.exclude(closed_on=None)
    return list(cases)


def case_get(*, user: User | None, organisation: Organisation | None, pk: int) -> Case:
    """One case of the organisation, for its guardians only; not found for anyone else or another trust's case."""
    guardian_require(user=user, organisation=organisation)
    found = Case.objects.filter(organisation=organisation, pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


@dataclass(frozen=True)
class JournalEntry:
    on: datetime.date
    kind: str
    text: str
    recorded_by: str


@dataclass(frozen=True)
class ActionEntry:
    taken_on: datetime.date
    description: str
    taken_by: str


@dataclass(frozen=True)
class Reading:
    reader: str
    read_at: datetime.datetime


@dataclass(frozen=True)
class BreakEntry:
    by: str
    at: datetime.datetime
    reason: str
    told: str


@dataclass(frozen=True)
class CasePage:
    """A case opened for its guardian: the sealed text read back, its journal, actions, readers and breaks."""

    case: Case
    name: str
    contact_details: str
    characteristics: dict[str, str]
    concern: str
    consent_to: str
    outcome: str
    learning: str
    feedback_comment: str
    element_names: list[str]
    journal: list[JournalEntry]
    actions: list[ActionEntry]
    readings: list[Reading]
    breaks: list[BreakEntry]


def _who(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else "The worker"


def case_page(*, user: User | None, organisation: Organisation | None, pk: int) -> CasePage:
    """Everything about one case, for a guardian (recording the reading is the caller's: services.case_read)."""
    case = case_get(user=user, organisation=organisation, pk=pk)
    identity = opened_json(case.identity_sealed)
    contacts = Contact.objects.filter(case=case).select_related("recorded_by")
    readings = CaseReading.objects.filter(case=case).select_related("reader")
    breaks = ConfidentialityBreak.objects.filter(case=case).select_related("by")
    return CasePage(
        case=case,
        name=identity.get("name", ""),
        contact_details=identity.get("contact", ""),
        characteristics=opened_json(case.characteristics_sealed),
        concern=opened(case.concern_sealed),
        consent_to=opened(case.consent_to_sealed),
        outcome=opened(case.outcome_sealed),
        learning=opened(case.learning_sealed),
        feedback_comment=opened(case.feedback_comment_sealed),
        element_names=[Element(code).label for code in case.elements if code in Element.values],
        journal=[
            JournalEntry(c.on, c.get_kind_display(), opened(c.note_sealed), _who(c.recorded_by))
            for c in contacts
        ],
        actions=[
            ActionEntry(a.taken_on, opened(a.description_sealed), opened(a.taken_by_sealed))
            for a in case.actions.all()
        ],
        readings=[Reading(_who(r.reader), r.read_at) for r in readings],
        breaks=[BreakEntry(_who(b.by), b.at, opened(b.reason_sealed), opened(b.told_sealed)) for b in breaks],
    )


@dataclass(frozen=True)
class ChampionContact:
    reference: str
    on: datetime.date
    kind: str
    text: str


def contacts_for_champion(*, user: User | None, organisation: Organisation | None) -> list[ChampionContact]:
    """The journal entries a champion recorded, and nothing else of the cases they belong to."""
    if user is None or not is_champion(user=user, organisation=organisation):
        raise Http404(NOT_FOUND)
    contacts = Contact.objects.filter(case__organisation=organisation, recorded_by=user).select_related(
        "case"
    )
    return [
        ChampionContact(c.case.reference, c.on, c.get_kind_display(), opened(c.note_sealed))
        for c in contacts.order_by("-on", "-pk")
    ]


def case_for_key(*, organisation: Organisation, key: str) -> Case | None:
    """The case a case key opens on the anonymous route (its own organisation's, not erased), or None."""
    if not key.strip():
        return None
    return Case.objects.filter(organisation=organisation, key_digest=key_digest(key), erased_on=None).first()


def key_holder_messages(case: Case) -> list[JournalEntry]:
    """What the holder of a case key reads: their own messages and the guardian's replies, nothing else."""
    contacts = Contact.objects.filter(case=case, kind__in=KEY_HOLDER_KINDS)
    return [JournalEntry(c.on, c.get_kind_display(), opened(c.note_sealed), "") for c in contacts]


def _issued_file(
    *, user: User, organisation: Organisation, pk: int, fmt: str, kind: str, missing: str
) -> Any:
    """One file of a paper of this kind issued by the organisation (suppressed: any member may read it), or not
    found, in the words `missing`."""
    from wellled.core.selectors import scoped
    from wellled.reports.models import IssuedPaperFile

    files = scoped(
        IssuedPaperFile.objects.all(), user=user, organisation=organisation, path="paper__organisation"
    )
    found = files.filter(paper_id=pk, paper__kind=kind, format=fmt).select_related("paper").first()
    if found is None:
        raise Http404(missing)
    return found


def issued_return_file(*, user: User, organisation: Organisation, pk: int, fmt: str) -> Any:
    """One file of an issued return of the organisation (the suppressed copy any member may read), or not found."""
    return _issued_file(
        user=user, organisation=organisation, pk=pk, fmt=fmt, kind="ftsu_ret", missing="No such return."
    )


def guardian_reports_for_user(
    *, user: User | None, organisation: Organisation | None
) -> list[GuardianReport]:
    """The guardian's reports to the board (their words before they are issued), for the trust's guardians only."""
    guardian_require(user=user, organisation=organisation)
    return list(GuardianReport.objects.filter(organisation=organisation).select_related("plan"))


def guardian_report_get(*, user: User | None, organisation: Organisation | None, pk: int) -> GuardianReport:
    """One guardian's report of the organisation, for its guardians only; not found for anyone else."""
    guardian_require(user=user, organisation=organisation)
    found = GuardianReport.objects.filter(organisation=organisation, pk=pk).select_related("plan").first()
    if found is None:
        raise Http404("No such report.")
    return found


def issued_board_report_file(*, user: User, organisation: Organisation, pk: int, fmt: str) -> Any:
    """One file of an issued board report of the organisation (suppressed: any member may read it), or not found."""
    return _issued_file(
        user=user, organisation=organisation, pk=pk, fmt=fmt, kind="ftsu_board", missing="No such report."
    )


def issued_board_reports(*, user: User, organisation: Organisation) -> list[Any]:
    """The organisation's issued board reports, newest first (every member may read them)."""
    from wellled.core.selectors import scoped
    from wellled.reports.models import IssuedPaper

    papers = scoped(IssuedPaper.objects.all(), user=user, organisation=organisation)
    found = papers.filter(kind="ftsu_board").select_related("withdrawal").prefetch_related("files")
    return list(found.defer("data").order_by("-issued_at"))
