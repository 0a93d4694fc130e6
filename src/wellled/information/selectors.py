"""Reads for information requests, limited to what the person may see: a register to its organisation's people,
an answer shared with a body to that body's people (ADR 0041)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wellled.committees.selectors import records as committee_records
from wellled.core.choices import OVERSIGHT_KINDS, PROVIDER_KINDS
from wellled.core.models import Organisation, PortfolioEntry, User
from wellled.core.selectors import get_or_404, membership_get, scoped
from wellled.measures.selectors import measures_for_user
from wellled.plans.selectors import plans_for_user
from wellled.reports.models import IssuedPaperFile, PaperJob, PaperWithdrawal

from .answer import parameters_described, subject_papers
from .models import Answer, Delivery, DeliveryMethod, InformationRequest, RequestStatus, WrittenAnswer


def requests_for_register(
    *, user: User, organisation: Organisation, status: str = ""
) -> QuerySet[InformationRequest]:
    """The organisation's register: open requests first by due date, then the rest, newest due first."""
    requests = scoped(InformationRequest.objects.all(), user=user, organisation=organisation).select_related(
        "subject", "asked_by_organisation", "answer__paper"
    )
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    return requests.order_by("status", "due_on", "id")


def request_get(*, user: User, organisation: Organisation, pk) -> InformationRequest:
    """One request of the organisation's register, or 404."""
    return get_or_404(requests_for_register(user=user, organisation=organisation), pk=pk)


@dataclass(frozen=True)
class Figures:
    """How the register stands: how many requests were answered, how many of those by reusing an answer."""

    open: int
    overdue: int
    answered: int
    by_reuse: int
    answers_produced: int


def register_figures(*, user: User, organisation: Organisation) -> Figures:
    """The register's counts, in two queries."""
    today = timezone.localdate()
    counts = scoped(InformationRequest.objects.all(), user=user, organisation=organisation).aggregate(
        open=Count("id", filter=Q(status=RequestStatus.OPEN)),
        overdue=Count("id", filter=Q(status=RequestStatus.OPEN, due_on__lt=today)),
        answered=Count("id", filter=Q(status=RequestStatus.ANSWERED)),
        by_reuse=Count("id", filter=Q(status=RequestStatus.ANSWERED, answered_by_reuse=True)),
    )
    produced = scoped(Answer.objects.all(), user=user, organisation=organisation).count()
    return Figures(answers_produced=produced, **counts)


@dataclass(frozen=True)
class RequestPage:
    """A request with what it asks in words, the others asking the same thing, the answer that may be reused."""

    request: InformationRequest
    asked_for: str
    same_open: list[InformationRequest]
    reusable: Answer | None
    reusable_for: str  # the bodies the reusable answer was given to, in words
    deliveries: list[Delivery]
    answer_files: list[IssuedPaperFile]
    answer_withdrawn: PaperWithdrawal | None = None


def request_page(*, user: User, organisation: Organisation, pk) -> RequestPage:
    """Everything the request's page shows."""
    request = request_get(user=user, organisation=organisation, pk=pk)
    same = requests_for_register(user=user, organisation=organisation).filter(
        fingerprint=request.fingerprint, status=RequestStatus.OPEN
    )
    reusable = None
    if request.status == RequestStatus.OPEN:
        reusable = (
            answers(user=user, organisation=organisation)
            .filter(fingerprint=request.fingerprint, paper__withdrawal__isnull=True)
            .first()
        )
    reusable_for = ""
    if reusable is not None:
        given = (
            Delivery.objects.filter(answer=reusable, succeeded=True)
            .select_related("request__asked_by_organisation")
            .order_by("delivered_at", "id")
        )
        reusable_for = ", ".join(dict.fromkeys(d.request.body_name for d in given)) or "no one yet"
    try:
        asked_for = parameters_described(
            user=user, subject=request.subject, kind=request.kind, parameters=request.parameters
        )
    except ValidationError:  # the plan or paper is no longer visible: say what was recorded instead
        asked_for = f"{request.get_kind_display()} ({request.parameters})"
    return RequestPage(
        request=request,
        asked_for=asked_for,
        same_open=[r for r in same if r.pk != request.pk],
        reusable=reusable,
        reusable_for=reusable_for,
        deliveries=list(
            scoped(Delivery.objects.all(), user=user, organisation=organisation, path="request__organisation")
            .filter(request=request)
            .select_related("shared_with", "delivered_by", "answer")
        ),
        answer_files=list(
            IssuedPaperFile.objects.filter(paper__information_answer=request.answer_id)
            .defer("content")
            .order_by("id")
        )
        if request.answer_id
        else [],
        answer_withdrawn=PaperWithdrawal.objects.filter(paper__information_answer=request.answer_id).first()
        if request.answer_id
        else None,
    )


def answers(*, user: User, organisation: Organisation) -> QuerySet[Answer]:
    """The answers the organisation produced, newest first."""
    return scoped(Answer.objects.all(), user=user, organisation=organisation).select_related(
        "paper", "produced_for__asked_by_organisation", "subject", "written"
    )


def answer_get(*, user: User, organisation: Organisation, pk) -> Answer:
    return get_or_404(answers(user=user, organisation=organisation), pk=pk)


def answer_file_get(*, user: User, organisation: Organisation, pk, fmt: str) -> IssuedPaperFile:
    """One file of an answer the organisation produced, with its bytes, or 404."""
    files = scoped(
        IssuedPaperFile.objects.all(), user=user, organisation=organisation, path="paper__organisation"
    ).filter(paper__information_answer__isnull=False)
    return get_or_404(files.select_related("paper"), paper__information_answer=pk, format=fmt)


def shared_with_us(*, user: User, organisation: Organisation) -> QuerySet[Delivery]:
    """The answers other organisations shared with this one in Wellled, newest first: only its own people see them."""
    return (
        scoped(Delivery.objects.all(), user=user, organisation=organisation, path="shared_with")
        .filter(method=DeliveryMethod.SHARED, succeeded=True)
        .select_related("request__organisation", "request__subject", "answer__paper")
    )


def shared_file_get(*, user: User, organisation: Organisation, pk, fmt: str) -> IssuedPaperFile:
    """One file of an answer shared with this organisation, or 404 (an answer not shared with it is none)."""
    delivery = get_or_404(shared_with_us(user=user, organisation=organisation), pk=pk)
    return get_or_404(
        IssuedPaperFile.objects.select_related("paper"), paper_id=delivery.answer.paper_id, format=fmt
    )


def shared_files(*, deliveries: list[Delivery]) -> dict[int, list[IssuedPaperFile]]:
    """The files (without their bytes) of each shared answer, by the answer's paper id, in one query."""
    files: dict[int, list[IssuedPaperFile]] = {d.answer.paper_id: [] for d in deliveries}
    for file in IssuedPaperFile.objects.filter(paper_id__in=list(files)).defer("content").order_by("id"):
        files[file.paper_id].append(file)
    return files


# Choices for the form ----------------------------------------------------------------------------------------


def subjects_for_register(*, user: User, organisation: Organisation) -> list[Organisation]:
    """The trusts a register's requests may be about: a trust itself; an oversight body's portfolio today."""
    if membership_get(user=user, organisation=organisation) is None:
        return []
    if organisation.kind in PROVIDER_KINDS:
        return [organisation]
    if not organisation.is_oversight_body:
        return []
    entries = PortfolioEntry.objects.standing().filter(oversight_body=organisation).select_related("trust")
    return sorted({e.trust for e in entries}, key=lambda trust: trust.name)


def bodies_in_wellled(*, user: User, organisation: Organisation) -> QuerySet[Organisation]:
    """Organisations that may ask (oversight bodies and ICBs using Wellled), other than this one."""
    if membership_get(user=user, organisation=organisation) is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(kind__in=OVERSIGHT_KINDS).exclude(pk=organisation.pk).order_by("name")


def parameter_choices(*, user: User, subject: Organisation) -> dict[str, QuerySet]:
    """The subject trust's plans, measures, issued papers and committee records, as the person sees them."""
    return {
        "plans": plans_for_user(user=user, organisation=subject).order_by("name"),
        "measures": measures_for_user(user=user, organisation=subject).order_by("name"),
        "papers": subject_papers(user=user, subject=subject),
        # A committee's records: the trust's own people only (empty for an oversight body's lent seat).
        "committees": committee_records.answerable_committees(user=user, organisation=subject),
        "meetings": committee_records.answerable_meetings(user=user, organisation=subject).select_related(
            "committee"
        ),
        "reports": committee_records.report_choices(user=user, organisation=subject),
    }


def written_pending(*, request: InformationRequest) -> WrittenAnswer | None:
    """What was last written for this (already scoped) request and not yet carried by an answer: what answering
    it now gives."""
    return request.written_answers.filter(carried_by__isnull=True).order_by("-written_at", "-id").first()


def answer_job_get(*, request: InformationRequest):
    """The latest job asked to produce the request's answer (the request already read in scope), or None."""
    if request.answer_job_id is None:
        return None
    return PaperJob.objects.select_related("requested_by").filter(pk=request.answer_job_id).first()
