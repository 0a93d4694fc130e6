"""The integrated performance report's pages: the report on screen, its files, and commentary for a measure; then
issuing it (a background job), the issued reports, each one as issued with its files, and withdrawing one."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from wellled.core.formatting import counted, day_text, long_date
from wellled.core.permissions import Permission, require
from wellled.core.view_kit import SignedInRequest, errors_apply, form_page, role, scope
from wellled.measures import services as measure_services
from wellled.measures.selectors import measure_get, owning_committees
from wellled.spc.render import render_svg

from . import selectors, services
from .board_paper import as_at_problem
from .draft_views import draft_download, draft_url
from .formats import FORMATS
from .forms_ipr import CommentaryForm, IssueReportForm, WithdrawReportForm
from .ipr import IPR, ipr_build, last_complete_period
from .ipr import kind as ipr_kind
from .ipr.kind import IPR_ISSUE_PERMISSION, IPR_KIND, frozen_report, ipr_job_start
from .paper_views import issued_file_response, job_page, query_date, withdraw_page
from .papers.pipeline import as_at_check
from .selectors import TamperedError

logger = logging.getLogger(__name__)

UNCOMMENTED = (
    "{count} {verb} no commentary. Write it first, or tick the box to issue the report without it "
    "(the report says no commentary has been written)."
)


def _as_at(request: SignedInRequest) -> tuple[datetime.date, str]:
    """The report's date from ?as_at= (default: the last complete period), and what is wrong with it ('' if
    nothing)."""
    text = request.GET.get("as_at", "")
    default = last_complete_period(**scope(request))
    if not text:
        return default, ""
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        return default, "Enter the date as YYYY-MM-DD, for example 2026-11-30."
    problem = as_at_problem(day)
    return (default, problem) if problem else (day, "")


def _charts(report: IPR) -> dict[int, str]:
    """Each measure's chart as SVG, drawn from the report's own chart data."""
    return {
        m.measure_id: render_svg(
            m.result, title=m.name, y_label=m.unit_label or None, id_prefix=f"ipr-{m.measure_id}"
        )
        for m in report.measures
        if m.result is not None
    }


def ipr_page(request: SignedInRequest) -> HttpResponse:
    as_at, problem = _as_at(request)
    report = ipr_build(as_at=as_at, **scope(request))
    return render(
        request,
        "reports/ipr.jinja",
        {
            "report": report,
            "charts": _charts(report),
            "problem": problem,
            "frozen": False,
            "drafts": [
                (fmt, draft_url(IPR_KIND.key, fmt, as_at=as_at.isoformat())) for fmt in IPR_KIND.formats
            ],
        },
        status=400 if problem else 200,
    )


def ipr_download(request: SignedInRequest, fmt: str) -> HttpResponse:
    """The report as a file: a draft, marked so on every page, through the one draft path of every paper kind."""
    return draft_download(request, IPR_KIND.key, fmt, request.GET)


def commentary_write(request: SignedInRequest, pk: int) -> HttpResponse:
    measure = measure_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    # The month the report is drafted for by default: commentary on it shows in that report.
    month = last_complete_period(**scope(request)).replace(day=1)
    form = CommentaryForm(request.POST or None, initial={"period": month})
    return form_page(
        request,
        form,
        template="reports/ipr_commentary.jinja",
        save=lambda data: measure_services.commentary_write(measure=measure, by=request.user, **data),
        success_url=reverse("ipr") + f"#measure-{measure.pk}",
        message=f"Commentary on {measure.name} saved for the report.",
        context={"measure": measure},
    )


# Issued reports (frozen, like board papers; ADR 0036) ----------------------------------------------------------


def _tampered(request: SignedInRequest, error: TamperedError) -> HttpResponse:
    """Refuse to show or serve a report whose record or file no longer matches its checksum."""
    logger.error("Refused tampered performance report data: %s (requested by %s).", error, request.user.pk)
    return render(
        request,
        "reports/papers/paper_tampered.jinja",
        {"error": error, "plan": None, "page_title": "This report cannot be shown"},
        status=409,
    )


def ipr_issue(request: SignedInRequest) -> HttpResponse:
    """Ask for the report to be issued as at a date (frozen for good); the work runs in the background. Exceptions
    with no commentary are listed first, and issuing them so needs a tick (issue 27)."""
    require(role(request), IPR_ISSUE_PERMISSION)
    initial = request.GET.get("as_at", "")[:10] or last_complete_period(**scope(request)).isoformat()
    form = IssueReportForm(
        request.POST or None, initial={"as_at": initial}, committees=owning_committees(**scope(request))
    )
    valid = request.method == "POST" and form.is_valid()
    as_at = form.cleaned_data.get("as_at") if form.is_bound and not form.errors else query_date(initial)
    uncommented = ipr_build(as_at=as_at, **scope(request)).uncommented if as_at else ()
    if valid:
        try:
            as_at_check(form.cleaned_data["as_at"], field="as_at")  # a date not reached is said first
        except ValidationError as exc:
            errors_apply(form, exc)
            valid = False
    if valid and uncommented and not form.cleaned_data["without_commentary"]:
        form.add_error(
            "without_commentary",
            UNCOMMENTED.format(
                count=counted(len(uncommented), "exception"), verb="has" if len(uncommented) == 1 else "have"
            ),
        )
    elif valid and form.cleaned_data["committee"] is not None:  # a committee's measures are issued at once
        try:
            issued = ipr_kind.ipr_issue(
                organisation=request.organisation,
                as_at=form.cleaned_data["as_at"],
                by=request.user,
                committee=form.cleaned_data["committee"],
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            return redirect("ipr-paper", pk=issued.pk)
    elif valid:
        try:
            job = ipr_job_start(
                organisation=request.organisation, as_at=form.cleaned_data["as_at"], by=request.user
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            return redirect("ipr-job", pk=job.pk)
    issued_before = (
        list(selectors.issued_reports(**scope(request)).filter(as_at=as_at, withdrawal__isnull=True))
        if as_at
        else []
    )
    return render(
        request,
        "reports/ipr_issue.jinja",
        {
            "form": form,
            "as_at": as_at,
            "issued_before": issued_before,
            "uncommented": uncommented,
            "page_title": "Issue the performance report",
        },
        status=400 if form.errors else 200,
    )


@require_GET
def ipr_job(request: SignedInRequest, pk: int) -> HttpResponse:
    """How far issuing has got; the page asks again every second (HTMX) until the job finishes. A poll that
    carries the token of what it already shows gets 204 until that changes, so each step is announced once."""
    services.paper_jobs_abandoned_fail()  # a job whose worker died shows as failed now
    job = selectors.report_job_get(pk=pk, **scope(request))
    return job_page(
        request,
        job,
        page="reports/ipr_job.jinja",
        progress="reports/ipr_job_progress.jinja",
        page_title="Issuing the performance report",
    )


@require_GET
def ipr_papers(request: SignedInRequest) -> HttpResponse:
    """The organisation's issued performance reports: as-at date, who issued it, exceptions, downloads."""
    return render(
        request,
        "reports/ipr_papers.jinja",
        {
            "papers": list(selectors.issued_reports(**scope(request))),
            "formats": FORMATS,
            "page_title": "Issued performance reports",
        },
    )


@require_GET
def ipr_paper(request: SignedInRequest, pk: int) -> HttpResponse:
    """One issued report exactly as issued: its record, its files with their checksums, and the report itself."""
    issued = selectors.issued_report_get(pk=pk, **scope(request))
    if not issued.data_intact:
        return _tampered(
            request, TamperedError(f"The record of the report issued on {day_text(issued.issued_at)}")
        )
    report = frozen_report(issued)
    return render(
        request,
        "reports/ipr_paper.jinja",
        {
            "issued": issued,
            "report": report,
            "charts": _charts(report),
            "frozen": True,
            "files": list(issued.files.all()),
            "formats": FORMATS,
            "page_title": f"Issued performance report as at {long_date(issued.as_at)}",
        },
    )


@require_GET
def ipr_paper_file(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """One file of an issued report, byte for byte as issued: its checksum is verified before it is served."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    file = selectors.issued_report_file_get(pk=pk, fmt=fmt, **scope(request))
    try:
        content = selectors.verified_content(file)
    except TamperedError as error:
        return _tampered(request, error)
    return issued_file_response(file, content)


def ipr_paper_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    """Withdraw an issued report with a reason; it is kept as issued, marked withdrawn, and audited (ADR 0034)."""
    issued = selectors.issued_report_get(pk=pk, **scope(request))
    require(role(request), IPR_ISSUE_PERMISSION)
    return withdraw_page(
        request,
        issued,
        WithdrawReportForm(request.POST or None),
        template="reports/ipr_withdraw.jinja",
        done="The report is withdrawn. It is kept as issued, marked withdrawn, with your reason.",
        success_url=reverse("ipr-paper", args=[issued.pk]),
        context={"page_title": "Withdraw the performance report"},
    )
