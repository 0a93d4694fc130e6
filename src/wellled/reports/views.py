"""Board paper pages: the paper in the app, and its downloads. Any member of the organisation may read them."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from wellled.core.permissions import Permission, require
from wellled.core.selectors import word_template_get
from wellled.core.view_kit import SignedInRequest, role
from wellled.plans.models import Plan
from wellled.plans.selectors import plan_cycles, plan_get

from .board_paper import BoardPaper, as_at_problem, board_paper_build
from .formats import FORMATS, PaperNotProduced, filename
from .formats import render as render_format


def _as_at(request: HttpRequest) -> tuple[datetime.date | None, str]:
    """The as-at date asked for (?as_at=YYYY-MM-DD), and an error message if it is not a date."""
    raw = request.GET.get("as_at", "").strip()
    if not raw:
        return None, ""
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return None, "Enter the date as year, month and day, for example 2026-11-30."
    problem = as_at_problem(day)
    return (None, problem) if problem else (day, "")


def _paper(request: SignedInRequest, pk: int, as_at: datetime.date | None) -> tuple[BoardPaper, Plan]:
    require(role(request), Permission.VIEW)
    plan = plan_get(user=request.user, organisation=request.organisation, pk=pk)
    paper = board_paper_build(user=request.user, organisation=request.organisation, plan=plan, as_at=as_at)
    return paper, plan


@require_GET
def board_paper(request: SignedInRequest, pk: int) -> HttpResponse:
    """The paper as a page of the app, with its downloads and a choice of as-at date."""
    as_at, error = _as_at(request)
    paper, plan = _paper(request, pk, as_at)
    cycles = list(plan_cycles(user=request.user, organisation=request.organisation, plan=plan))
    query = f"?as_at={paper.as_at.isoformat()}"
    downloads = [
        (f, reverse("board-paper-download", args=[plan.pk, f.key]) + query) for f in FORMATS.values()
    ]
    return render(
        request,
        "reports/board_paper_page.jinja",
        {
            "paper": paper,
            "plan": plan,
            "cycles": cycles,
            "downloads": downloads,
            "as_at_error": error,
            "page_title": f"Board paper: {plan.name}",
        },
        status=400 if error else 200,
    )


@require_GET
def board_paper_download(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """The paper as a file: pdf, docx, xlsx, csv or html."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    as_at, error = _as_at(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    paper, _ = _paper(request, pk, as_at)
    template = None
    if fmt == "docx":
        word_template = word_template_get(user=request.user, organisation=request.organisation)
        template = bytes(word_template.content) if word_template else None
    try:
        content = render_format(paper, fmt, template=template)
    except PaperNotProduced as exc:
        return render(
            request,
            "reports/paper_not_produced.jinja",
            {"plan_pk": pk, "reason": str(exc), "page_title": "The board paper could not be produced"},
            status=422,
        )
    response = HttpResponse(content, content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(paper, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
