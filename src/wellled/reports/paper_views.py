"""Issued board papers: issuing one (a background job with its progress), the past papers, their files, and a
comparison of any two. Members read; those who run the reporting cycles issue. Issued papers have no edit page.
"""

from __future__ import annotations

import base64
import datetime
import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from wellled.core.permissions import Permission, require
from wellled.core.view_kit import SignedInRequest, errors_apply, role, scope
from wellled.plans.selectors import open_cycle, plan_cycles, plan_get

from . import selectors, services
from .formats import FORMATS
from .forms import IssueForm, WithdrawForm
from .models import IssuedPaper, IssuedPaperFile, JobState
from .selectors import TamperedError

logger = logging.getLogger(__name__)

# After this long still queued, the progress page says the background worker may not be running.
QUEUED_TOO_LONG = datetime.timedelta(seconds=30)


def _tampered(request: SignedInRequest, error: TamperedError, plan) -> HttpResponse:
    """Refuse to show or serve data that has changed since it was issued; the administrators must look."""
    logger.error("Refused tampered board paper data: %s (requested by %s).", error, request.user.pk)
    return render(
        request,
        "reports/papers/paper_tampered.jinja",
        {"error": error, "plan": plan, "page_title": "This paper cannot be shown"},
        status=409,
    )


@require_GET
def paper_list(request: SignedInRequest, pk: int) -> HttpResponse:
    """The plan's issued papers: as-at date, who issued it and when, status counts, downloads."""
    plan = plan_get(pk=pk, **scope(request))
    require(role(request), Permission.VIEW)
    papers = list(selectors.issued_papers(plan=plan, **scope(request)))
    return render(
        request,
        "reports/papers/paper_list.jinja",
        {
            "plan": plan,
            "papers": papers,
            "formats": FORMATS,
            "page_title": f"Past board papers: {plan.name}",
        },
    )


def paper_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    """Ask for a paper to be issued (frozen for good); the work runs in the background."""
    plan = plan_get(pk=pk, **scope(request))
    require(role(request), services.ISSUE_PERMISSION)
    cycles = list(plan_cycles(plan=plan, **scope(request)))
    current = open_cycle(plan=plan)
    initial = request.GET.get("as_at") or (current.position_as_at.isoformat() if current else "")
    form = IssueForm(request.POST or None, initial={"as_at": initial})
    if request.method == "POST" and form.is_valid():
        try:
            job = services.paper_job_start(
                plan=plan, cycle_or_as_at=form.cleaned_data["as_at"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("as_at", " ".join(exc.messages))
        else:
            return redirect("paper-job", pk=job.pk)
    as_at = form.cleaned_data.get("as_at") if form.is_bound and not form.errors else query_date(initial)
    return render(
        request,
        "reports/papers/paper_issue.jinja",
        {
            "plan": plan,
            "form": form,
            "cycles": cycles,
            "as_at": as_at,
            "cycle": next((c for c in cycles if as_at and c.position_as_at == as_at), None),
            "issued_before": list(selectors.issued_papers(plan=plan, **scope(request)).filter(as_at=as_at))
            if as_at
            else [],
            "page_title": f"Issue the board paper: {plan.name}",
        },
        status=400 if form.errors else 200,
    )


def query_date(text: str) -> datetime.date | None:
    """A day given in a query string (ISO), or None when it is missing or not a day."""
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require_GET
def paper_job(request: SignedInRequest, pk: int) -> HttpResponse:
    """How far issuing has got; the page asks again every second (HTMX) until the job finishes.

    A poll that carries the token of what it already shows gets 204 (nothing to swap) until that changes, so
    screen readers announce each step once.
    """
    services.paper_jobs_abandoned_fail()  # a job whose worker died shows as failed now, not in ten minutes
    job = selectors.paper_job_get(pk=pk, **scope(request))
    require(role(request), Permission.VIEW)
    return job_page(
        request,
        job,
        page="reports/papers/paper_job.jinja",
        progress="reports/papers/_job_progress.jinja",
        plan=job.plan,
        page_title=f"Issuing the board paper: {job.plan}",
    )


def job_page(request: SignedInRequest, job: Any, *, page: str, progress: str, **context: Any) -> HttpResponse:
    """An issuing job's page (`page`) or, to an HTMX poll, its progress (`progress`): 204 while the poll's `seen`
    token is what it already shows; a job queued too long shows as stalled."""
    stalled = job.state == JobState.QUEUED and job.created_at < timezone.now() - QUEUED_TOO_LONG
    token = job.progress_token + ("-stalled" if stalled else "")
    context = {"job": job, "JobState": JobState, "stalled": stalled, "token": token, **context}
    if request.htmx:
        if request.GET.get("seen") == token:
            return HttpResponse(status=204)
        return render(request, progress, context)
    return render(request, page, context)


@require_GET
def paper_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One issued paper: its record, its files with their checksums, and the paper as it was issued."""
    issued = selectors.issued_paper_get(pk=pk, **scope(request))
    require(role(request), Permission.VIEW)
    try:
        paper = selectors.frozen_paper(issued)
    except TamperedError as error:
        return _tampered(request, error, issued.plan)
    return render(
        request,
        "reports/papers/paper_detail.jinja",
        {
            "issued": issued,
            "plan": issued.plan,
            "paper": paper,
            "files": list(issued.files.all()),
            "formats": FORMATS,
            "page_title": f"Issued board paper: {paper.plan_name}, {paper.as_at_text}",
        },
    )


def withdraw_page(
    request: SignedInRequest,
    issued: IssuedPaper,
    form: forms.Form,
    *,
    template: str,
    done: str,
    success_url: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The page that withdraws an issued paper of any kind with a reason: it is kept as issued, marked withdrawn
    and audited (ADR 0034); a refused reason is shown on the form with a 400."""
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_withdraw(paper=issued, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, done)
            return redirect(success_url)
    page = {**context, "issued": issued, "form": form}
    return render(request, template, page, status=400 if form.errors else 200)


def paper_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    """Withdraw an issued board paper with a reason."""
    issued = selectors.issued_paper_get(pk=pk, **scope(request))
    require(role(request), services.ISSUE_PERMISSION)
    return withdraw_page(
        request,
        issued,
        WithdrawForm(request.POST or None),
        template="reports/papers/paper_withdraw.jinja",
        done="The paper is withdrawn. It is kept, marked withdrawn, with your reason.",
        success_url=reverse("paper-detail", args=[issued.pk]),
        context={"plan": issued.plan, "page_title": f"Withdraw the board paper: {issued.title}"},
    )


def issued_file_response(file: IssuedPaperFile, content: bytes) -> HttpResponse:
    """An issued paper's file as a download, its content already verified against its checksum; the checksum
    recorded at issue goes in Repr-Digest (RFC 9530), so a client can check what it received."""
    response = HttpResponse(content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(file.sha256)).decode('ascii')}:"
    return response


@require_GET
def paper_file(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """One file of an issued paper, byte for byte as issued: its checksum is verified before it is served."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    file = selectors.issued_file_get(pk=pk, fmt=fmt, **scope(request))
    require(role(request), Permission.VIEW)
    try:
        content = selectors.verified_content(file)
    except TamperedError as error:
        return _tampered(request, error, file.paper.plan)
    return issued_file_response(file, content)


@require_GET
def paper_compare(request: SignedInRequest, pk: int) -> HttpResponse:
    """What changed between two issued papers (default: the latest and the one before)."""
    plan = plan_get(pk=pk, **scope(request))
    require(role(request), Permission.VIEW)
    papers = list(selectors.current_papers(plan=plan, **scope(request)))
    first, second = request.GET.get("before") or None, request.GET.get("after") or None
    if first is None or second is None:  # both named, or the default pair
        first = second = None
    try:
        comparison = selectors.papers_compare(plan=plan, first=first, second=second, **scope(request))
    except TamperedError as error:
        return _tampered(request, error, plan)
    return render(
        request,
        "reports/papers/paper_compare.jinja",
        {
            "plan": plan,
            "papers": papers,
            "comparison": comparison,
            "page_title": f"Compare board papers: {plan.name}",
        },
    )
