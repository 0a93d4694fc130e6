"""Writes for information requests: register, withdraw, answer once (frozen) and share the answer with every
request that asked the same thing, each in a transaction with its audit record (ADR 0041)."""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import PROVIDER_KINDS, AuditAction
from wellled.core.formatting import day_text, long_date
from wellled.core.models import Organisation, User
from wellled.core.selectors import membership_get
from wellled.core.service_kit import (
    ExpectedVersion,
    fields_update,
    locked_get,
    permission_require,
    record_change,
    record_create,
    record_withdraw,
)
from wellled.core.stored_files import FileStoreUnreachable, upload_store
from wellled.reports.models import IssuedPaperFile
from wellled.reports.papers.kind import PaperRequest
from wellled.reports.papers.pipeline import issue
from wellled.reports.papers.store import paper_withdraw

from .fingerprint import fingerprint, parameters_canonical
from .models import (
    DOCUMENT_MAX_BYTES,
    NARRATIVE_CHARS,
    Answer,
    Delivery,
    DeliveryMethod,
    InformationRequest,
    RequestKind,
    RequestStatus,
    WrittenAnswer,
)
from .paper_kind import ANSWER, write_permission
from .selectors import written_pending

logger = logging.getLogger(__name__)

SUBJECT_OUTSIDE = "Choose a trust of your portfolio: {trust} is not in it today."
SUBJECT_NOT_OWN = "A trust answers requests about itself only: choose {trust}."
NO_BODY = "Enter the body that asked, or choose it if it uses Wellled."
BOTH_BODIES = "Choose the body in Wellled or enter one outside it, not both."
NO_EMAIL = "Enter the e-mail address the answer is sent to."
DUE_BEFORE_RECEIVED = "The due date cannot be before the day the request was received."
RECEIVED_AHEAD = "The day the request was received cannot be in the future."
NOT_OPEN = "This request is {status}: only an open request can be answered or withdrawn."
NOT_EDITABLE = "This request is {status}: a request can be changed only until it is answered or withdrawn."
# What a request's owner may change until it is answered; what answers it (kind and parameters) is not among them:
# withdraw the request and register it again, so an answer is never shared for a question it did not answer.
REQUEST_DETAILS = frozenset(
    {
        "asked_by_organisation",
        "asked_by_name",
        "asked_by_email",
        "their_reference",
        "question",
        "received_on",
        "due_on",
    }
)
NOT_THE_SAME = "That answer was produced for a different question (another trust, kind or parameters)."
ANSWER_WITHDRAWN = "That answer was withdrawn, so it is not offered again: produce a new one."
MAIL_FAILED = (
    "The answer could not be e-mailed to {body} ({address}): the mail server did not accept it ({reason}). "
    "The request stays open; share the answer again from its page when the mail server is working."
)
MAIL_SUBJECT = "{trust}: {what} (your reference {reference})"
NOTHING_WRITTEN = "Write the answer, or attach the document that answers it (a PDF or Word file)."
DOCUMENT_TOO_BIG = "The document is larger than {limit} MB: attach a smaller file, or split it."
DOCUMENT_NOT_PDF_OR_WORD = "Attach a PDF (.pdf) or Word (.docx) file."
DOCUMENT_BESIDE_PAPER = (
    "The issued paper asked for travels with this answer as its PDF: attach a Word file instead."
)
# (format, file name ending, first bytes): a PDF starts "%PDF-"; a .docx is a zip archive (ISO/IEC 29500).
DOCUMENT_SIGNATURES = (("pdf", ".pdf", b"%PDF-"), ("docx", ".docx", b"PK\x03\x04"))


def subject_check(*, organisation: Organisation, subject: Organisation, by: User) -> None:
    """A trust answers for itself; an oversight body for a trust of its portfolio today (ADR 0038)."""
    if organisation.is_oversight_body:
        held = organisation.portfolio_entries.standing().filter(trust=subject).exists()
        if not held or subject.kind not in PROVIDER_KINDS:
            raise ValidationError({"subject": SUBJECT_OUTSIDE.format(trust=subject.name)})
    elif subject.pk != organisation.pk:
        raise ValidationError({"subject": SUBJECT_NOT_OWN.format(trust=organisation.name)})
    if membership_get(user=by, organisation=subject) is None:  # the answer is read through the person's scope
        raise ValidationError({"subject": SUBJECT_OUTSIDE.format(trust=subject.name)})


def _body_check(
    asked_by_organisation: Organisation | None,
    asked_by_name: str,
    asked_by_email: str,
    organisation: Organisation,
) -> None:
    if asked_by_organisation is None and not asked_by_name.strip():
        raise ValidationError({"asked_by_name": NO_BODY})
    if asked_by_organisation is not None and asked_by_name.strip():
        raise ValidationError({"asked_by_name": BOTH_BODIES})
    if asked_by_organisation is None and not asked_by_email.strip():
        raise ValidationError({"asked_by_email": NO_EMAIL})
    if asked_by_organisation is not None and asked_by_organisation.pk == organisation.pk:
        raise ValidationError(
            {"asked_by_organisation": "Choose the body that asked, not your own organisation."}
        )


@transaction.atomic
def request_register(
    *,
    organisation: Organisation,
    by: User,
    subject: Organisation,
    question: str,
    received_on: datetime.date,
    due_on: datetime.date,
    kind: str,
    parameters: dict[str, Any],
    asked_by_organisation: Organisation | None = None,
    asked_by_name: str = "",
    asked_by_email: str = "",
    their_reference: str = "",
) -> InformationRequest:
    """Register a request in the organisation's register, mapped to what Wellled holds that answers it."""
    permission_require(user=by, organisation_id=organisation.pk, permission=write_permission(organisation))
    subject_check(organisation=organisation, subject=subject, by=by)
    _body_check(asked_by_organisation, asked_by_name, asked_by_email, organisation)
    _dates_check(received_on, due_on)
    canonical = parameters_canonical(kind, parameters)
    _parameters_check(by=by, subject=subject, kind=kind, canonical=canonical)
    request = InformationRequest(
        organisation=organisation,
        subject=subject,
        asked_by_organisation=asked_by_organisation,
        asked_by_name=asked_by_name.strip(),
        asked_by_email=asked_by_email.strip() if asked_by_organisation is None else "",
        their_reference=their_reference.strip(),
        question=question.strip(),
        received_on=received_on,
        due_on=due_on,
        kind=kind,
        parameters=canonical,
        fingerprint=fingerprint(subject_id=subject.pk, kind=kind, parameters=canonical),
        created_by=by,
    )
    return record_create(
        instance=request,
        by=by,
        organisation=organisation,
        permission=None,  # write_permission, checked above
        note=f"Information request from {request.body_name} registered",
    )


def _dates_check(received_on: datetime.date, due_on: datetime.date) -> None:
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": RECEIVED_AHEAD})
    if due_on < received_on:
        raise ValidationError({"due_on": DUE_BEFORE_RECEIVED})


def request_update(
    *, request: InformationRequest, by: User, expected_version: ExpectedVersion, **changes: Any
) -> InformationRequest:
    """Change who asked, what or by when, while the request is open: by the register's own writers, at the version
    they read, each change audited (its History page shows every one)."""
    changes = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
    if changes.get("asked_by_organisation") is not None:
        changes["asked_by_email"] = ""  # an answer to a body in Wellled is shared there, never e-mailed

    def check(row: InformationRequest, asked: Any) -> None:
        if row.status != RequestStatus.OPEN:
            raise ValidationError(NOT_EDITABLE.format(status=row.get_status_display().lower()))
        after = {name: asked.get(name, getattr(row, name)) for name in REQUEST_DETAILS}
        _body_check(
            after["asked_by_organisation"], after["asked_by_name"], after["asked_by_email"], row.organisation
        )
        _dates_check(after["received_on"], after["due_on"])

    return fields_update(
        instance=request,
        by=by,
        organisation=request.organisation,
        permission=write_permission(request.organisation),
        expected_version=expected_version,
        allowed=REQUEST_DETAILS,
        changes=changes,
        check=check,
        note="Information request changed",
    )


def _parameters_check(*, by: User, subject: Organisation, kind: str, canonical: dict[str, Any]) -> None:
    """The plan or paper named is the subject trust's own, as the person sees it (refused in words otherwise)."""
    from .answer import parameters_described

    parameters_described(user=by, subject=subject, kind=kind, parameters=canonical)


def request_withdraw(
    *, request: InformationRequest, by: User, expected_version: int | str | None
) -> InformationRequest:
    """Withdraw an open request (the body no longer needs it): kept in the register, no longer counted as due."""

    def still_open(row: InformationRequest, changes: Any) -> None:
        if row.status != RequestStatus.OPEN:
            raise ValidationError(NOT_OPEN.format(status=row.get_status_display().lower()))

    return record_withdraw(
        instance=request,
        by=by,
        organisation=request.organisation,
        permission=write_permission(request.organisation),
        expected_version=expected_version,
        changes={"status": RequestStatus.WITHDRAWN},
        note="Information request withdrawn",
        check=still_open,
    )


# Answering -------------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What answering did: the answer, the requests it was given to, and the e-mails that failed (in words)."""

    answer: Answer
    delivered: list[Delivery] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _document_read(document: UploadedFile, kind: str) -> tuple[str, str, bytes]:
    """(format, file name, bytes) of a document given with an answer: a PDF or a Word (.docx) file, by its name
    and its first bytes, no larger than DOCUMENT_MAX_BYTES."""
    name = get_valid_filename(Path(document.name or "document").name)[:200]
    content = document.read(DOCUMENT_MAX_BYTES + 1)
    if len(content) > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {"document": DOCUMENT_TOO_BIG.format(limit=DOCUMENT_MAX_BYTES // (1024 * 1024))}
        )
    fmt = next(
        (
            fmt
            for fmt, extension, signature in DOCUMENT_SIGNATURES
            if name.lower().endswith(extension) and content.startswith(signature)
        ),
        None,
    )
    if fmt is None:
        raise ValidationError({"document": DOCUMENT_NOT_PDF_OR_WORD})
    if fmt == "pdf" and kind == RequestKind.PAPER:
        raise ValidationError({"document": DOCUMENT_BESIDE_PAPER})
    return fmt, name, content


@transaction.atomic
def written_answer_record(
    *, request: InformationRequest, by: User, narrative: str, document: UploadedFile | None
) -> WrittenAnswer | None:
    """Keep what was written for the request and the document given (through Django's storage, with its SHA-256),
    audited; with neither, what was written earlier and not yet given."""
    narrative = narrative.strip()
    if len(narrative) > NARRATIVE_CHARS:
        raise ValidationError(
            {
                "narrative": f"A written answer can be up to {NARRATIVE_CHARS:,} characters (it has {len(narrative):,})."
            }
        )
    if not narrative and document is None:
        return written_pending(request=request)
    written = WrittenAnswer(request=request, narrative=narrative, written_by=by)
    if document is not None:
        fmt, name, content = _document_read(document, request.kind)
        written.document_name, written.document_format = name, fmt
        try:
            stored = upload_store(into=written.document, name=name, content=content)
        except FileStoreUnreachable as exc:
            raise ValidationError({"document": str(exc)}) from exc
        written.document_size, written.document_sha256 = stored.size, stored.sha256
    written.save()
    audit_record(
        by=by,
        organisation=request.organisation,
        action=AuditAction.CREATE,
        instance=written,
        after={**snapshot(written), "document": written.document.name},  # the file by its stored name
        note="Written answer kept"
        + (f" with {written.document_name}, SHA-256 {written.document_sha256}" if document else ""),
    )
    return written


def answer_produce(
    *,
    request: InformationRequest,
    by: User,
    narrative: str = "",
    document: UploadedFile | None = None,
    progress: Any = None,
) -> Outcome:
    """Answer a request once: build the answer from the data, after what was written for it and with any document
    given (a request of kind 'written' needs one or the other), freeze it (an issued paper of kind `answer`), and
    share it with every open request in the register that asks the same thing. `progress` hears each step (the
    background job's, information.jobs)."""
    organisation = request.organisation
    permission = write_permission(organisation)
    permission_require(user=by, organisation_id=organisation.pk, permission=permission)
    request = InformationRequest.objects.select_related("organisation", "subject").get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(NOT_OPEN.format(status=request.get_status_display().lower()))
    subject_check(organisation=organisation, subject=request.subject, by=by)
    written = written_answer_record(request=request, by=by, narrative=narrative, document=document)
    if request.kind == RequestKind.WRITTEN and written is None:
        raise ValidationError({"narrative": NOTHING_WRITTEN})
    made: dict[str, Answer] = {}

    def answer_store(issued, paper) -> None:  # in the transaction that stores the paper
        made["answer"] = Answer.objects.create(
            organisation=organisation,
            subject=request.subject,
            kind=request.kind,
            parameters=request.parameters,
            fingerprint=request.fingerprint,
            paper=issued,
            produced_for=request,
            produced_by=by,
            produced_at=paper.generated_at,
            written=written,
        )
        audit_record(
            by=by,
            organisation=organisation,
            action=AuditAction.CREATE,
            instance=made["answer"],
            note=f"Answer frozen: {paper.asked_for}",
        )

    issue(
        ANSWER.key,
        PaperRequest(organisation=organisation, by=by, as_at=None, subject=request),
        on_stored=answer_store,
        progress=progress,
    )
    answer = made["answer"]
    outcome = Outcome(answer=answer)
    for same in same_open_requests(request=request):
        _deliver(request=same, answer=answer, by=by, outcome=outcome)
    return outcome


def same_open_requests(*, request: InformationRequest) -> list[InformationRequest]:
    """The open requests in the same register asking the same thing, this one first, then by due date."""
    same = InformationRequest.objects.filter(
        organisation_id=request.organisation_id, fingerprint=request.fingerprint, status=RequestStatus.OPEN
    ).select_related("asked_by_organisation", "subject", "organisation")
    return sorted(same, key=lambda r: (r.pk != request.pk, r.due_on, r.pk))


def answer_share(*, request: InformationRequest, answer: Answer, by: User) -> Outcome:
    """Reuse an earlier answer for a request that asks the same thing: one click, nothing built again."""
    permission_require(
        user=by, organisation_id=request.organisation_id, permission=write_permission(request.organisation)
    )
    if answer.organisation_id != request.organisation_id or answer.fingerprint != request.fingerprint:
        raise ValidationError(NOT_THE_SAME)
    if answer.paper.withdrawn is not None:
        raise ValidationError(ANSWER_WITHDRAWN)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(NOT_OPEN.format(status=request.get_status_display().lower()))
    outcome = Outcome(answer=answer)
    _deliver(request=request, answer=answer, by=by, outcome=outcome)
    return outcome


def answer_withdraw(*, answer: Answer, by: User, reason: str):
    """Withdraw an answer with a reason (the paper's withdrawal, ADR 0034): kept as given, never offered again."""
    permission_require(
        user=by, organisation_id=answer.organisation_id, permission=write_permission(answer.organisation)
    )
    return paper_withdraw(paper=answer.paper, by=by, reason=reason)


def _deliver(*, request: InformationRequest, answer: Answer, by: User, outcome: Outcome) -> None:
    """Give the answer to one request: shared in Wellled with a body that uses it, else e-mailed with its files.
    The e-mail is sent before the request is marked answered, so a refused e-mail leaves it open."""
    reused = answer.produced_for_id != request.pk
    failure = ""
    if request.asked_by_organisation_id is None:
        try:
            _email(request=request, answer=answer)
        except (smtplib.SMTPException, OSError) as exc:  # no mail server, refused, timed out: say so
            logger.warning("Answer e-mail to %s failed: %s", request.asked_by_email, exc)
            failure = (str(exc) or type(exc).__name__)[:200]
            outcome.failures.append(
                MAIL_FAILED.format(body=request.body_name, address=request.asked_by_email, reason=failure)
            )
    with transaction.atomic():
        row = locked_get(InformationRequest, request.pk)
        if row.status != RequestStatus.OPEN:
            return  # answered meanwhile (two people at once): the first answer stands
        delivery = Delivery.objects.create(
            request=row,
            answer=answer,
            method=DeliveryMethod.SHARED if row.asked_by_organisation_id else DeliveryMethod.EMAIL,
            shared_with_id=row.asked_by_organisation_id,
            sent_to=row.asked_by_email if not row.asked_by_organisation_id else "",
            succeeded=not failure,
            failure=failure,
            reused=reused,
            delivered_by=by,
        )
        audit_record(
            by=by,
            organisation=row.organisation,
            action=AuditAction.CREATE,
            instance=delivery,
            note=f"Answer {'not sent' if failure else 'given'} to {row.body_name}: {delivery}",
        )
        if failure:
            return
        answered = {
            "status": RequestStatus.ANSWERED,
            "answer": answer,
            "answered_at": delivery.delivered_at,
            "answered_by_reuse": reused,
        }
        note = f"Information request answered{' by reusing an earlier answer' if reused else ''}"
        record_change(row, answered, by=by, organisation=row.organisation, note=note)
    outcome.delivered.append(delivery)


def _email(*, request: InformationRequest, answer: Answer) -> None:
    """Send the answer's files to the body's address, through Django's configured mail backend."""
    paper = answer.paper
    body = (
        f"Dear colleague,\n\n"
        f"In answer to your request{f' {request.their_reference}' if request.their_reference else ''} received on "
        f"{day_text(request.received_on)}, attached is the information held in Wellled: "
        f"{paper.title}, position as at {long_date(paper.as_at)}.\n\n"
        f"The files were produced on {long_date(paper.issued_at)} and are kept unchanged; their SHA-256 checksums "
        f"are recorded by {request.organisation.name}.\n\n{request.organisation.name}\n"
    )
    message = EmailMessage(
        subject=MAIL_SUBJECT.format(
            trust=request.subject.name, what=paper.title, reference=request.their_reference or "none"
        )[:250],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[request.asked_by_email],
    )
    for file in IssuedPaperFile.objects.filter(paper=paper).order_by("id"):
        message.attach(file.filename, bytes(file.content), file.content_type.split(";")[0])
    message.send(fail_silently=False)
