"""Reads of issued board papers and their jobs, always through the signed-in person's membership."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from wellled.core.formatting import day_text
from wellled.core.models import Organisation, User
from wellled.core.selectors import get_or_404, scoped
from wellled.plans.models import Plan

from .board_paper import BoardPaper
from .compare import PaperComparison, compare_papers
from .models import IssuedPaper, IssuedPaperFile, PaperJob, PaperKind
from .snapshot import paper_from_data


class TamperedError(Exception):
    """Stored paper data no longer matches the checksum it was issued with: it must not be served."""

    def __init__(self, what: str):
        self.what = what
        super().__init__(f"{what} no longer matches the checksum recorded when it was issued.")


def _files_without_content() -> Prefetch:
    return Prefetch("files", queryset=IssuedPaperFile.objects.defer("content").order_by("id"))


def issued_papers(*, user: User, organisation: Organisation, plan: Plan) -> QuerySet[IssuedPaper]:
    """The plan's issued papers, latest position date first (without their snapshots, which can be large)."""
    papers = scoped(
        IssuedPaper.objects.filter(plan=plan), user=user, organisation=organisation, path="plan__organisation"
    )
    return (
        papers.defer("data")
        .select_related("issued_by", "cycle", "withdrawal__withdrawn_by")
        .prefetch_related(_files_without_content())
    )


def current_papers(*, user: User, organisation: Organisation, plan: Plan) -> QuerySet[IssuedPaper]:
    """The plan's issued papers that stand: withdrawn ones are left out of "latest" and comparisons."""
    return issued_papers(user=user, organisation=organisation, plan=plan).filter(withdrawal__isnull=True)


def issued_paper_get(*, user: User, organisation: Organisation, pk) -> IssuedPaper:
    """One issued paper of one of the organisation's plans, with its snapshot, or 404."""
    papers = scoped(
        IssuedPaper.objects.all(), user=user, organisation=organisation, path="plan__organisation"
    )
    return get_or_404(
        papers.select_related("plan", "issued_by", "cycle", "withdrawal__withdrawn_by").prefetch_related(
            _files_without_content()
        ),
        pk=pk,
    )


def issued_file_get(*, user: User, organisation: Organisation, pk, fmt: str) -> IssuedPaperFile:
    """One file of an issued paper, with its bytes, or 404."""
    files = scoped(
        IssuedPaperFile.objects.all(), user=user, organisation=organisation, path="paper__plan__organisation"
    )
    return get_or_404(files.select_related("paper"), paper_id=pk, format=fmt)


def verified_content(file: IssuedPaperFile) -> bytes:
    """The file's bytes, if they still have the size and checksum they were issued with."""
    content = bytes(file.content)
    if not file.intact:
        raise TamperedError(f"The {file.format.upper()} file {file.filename}")
    return content


def frozen_paper(issued: IssuedPaper) -> BoardPaper:
    """The paper as issued, read from its snapshot after checking the snapshot's checksum."""
    if not issued.data_intact:
        raise TamperedError(f"The record of the paper issued on {day_text(issued.issued_at)}")
    return paper_from_data(issued.data)


def paper_job_get(*, user: User, organisation: Organisation, pk) -> PaperJob:
    """One paper job of one of the organisation's plans, or 404."""
    jobs = scoped(PaperJob.objects.all(), user=user, organisation=organisation, path="plan__organisation")
    return get_or_404(jobs.select_related("plan", "requested_by", "paper"), pk=pk)


@dataclass(frozen=True)
class Comparison:
    """Two issued papers of a plan (earlier first) and what changed between them."""

    earlier: IssuedPaper
    later: IssuedPaper
    result: PaperComparison


def papers_compare(
    *, user: User, organisation: Organisation, plan: Plan, first=None, second=None
) -> Comparison | None:
    """Compare two of the plan's issued papers (default: the latest and the one before); None if fewer than two.

    The two are put in order (earlier position date first), whichever way round they were asked for. Withdrawn
    papers are not compared (a withdrawn one asked for by id is not found).
    """
    papers = scoped(
        IssuedPaper.objects.filter(plan=plan, withdrawal__isnull=True),
        user=user,
        organisation=organisation,
        path="plan__organisation",
    ).select_related("issued_by", "cycle")
    if first is None and second is None:
        latest = list(papers.values_list("pk", flat=True)[:2])
        if len(latest) < 2:
            return None
        second, first = latest
    chosen = sorted(
        [get_or_404(papers, pk=first), get_or_404(papers, pk=second)],
        key=lambda p: (p.as_at, p.issued_at, p.pk),
    )
    earlier, later = chosen
    return Comparison(
        earlier=earlier, later=later, result=compare_papers(frozen_paper(earlier), frozen_paper(later))
    )


# Issued integrated performance reports (papers of the organisation, not of a plan; ADR 0036) ----------------------


def issued_reports(*, user: User, organisation: Organisation) -> QuerySet[IssuedPaper]:
    """The organisation's issued performance reports, latest position first (without their snapshots)."""
    papers = scoped(IssuedPaper.objects.filter(kind=PaperKind.IPR), user=user, organisation=organisation)
    return (
        papers.defer("data")
        .select_related("issued_by", "withdrawal__withdrawn_by")
        .prefetch_related(_files_without_content())
    )


def issued_report_get(*, user: User, organisation: Organisation, pk) -> IssuedPaper:
    """One issued performance report of the organisation, with its snapshot, or 404."""
    papers = scoped(IssuedPaper.objects.filter(kind=PaperKind.IPR), user=user, organisation=organisation)
    return get_or_404(
        papers.select_related("issued_by", "withdrawal__withdrawn_by").prefetch_related(
            _files_without_content()
        ),
        pk=pk,
    )


def issued_report_file_get(*, user: User, organisation: Organisation, pk, fmt: str) -> IssuedPaperFile:
    """One file of an issued performance report, with its bytes, or 404."""
    files = scoped(
        IssuedPaperFile.objects.filter(paper__kind=PaperKind.IPR),
        user=user,
        organisation=organisation,
        path="paper__organisation",
    )
    return get_or_404(files.select_related("paper"), paper_id=pk, format=fmt)


def report_job_get(*, user: User, organisation: Organisation, pk) -> PaperJob:
    """One job issuing a performance report of the organisation, or 404."""
    jobs = scoped(PaperJob.objects.filter(kind=PaperKind.IPR), user=user, organisation=organisation)
    return get_or_404(jobs.select_related("requested_by", "paper"), pk=pk)
