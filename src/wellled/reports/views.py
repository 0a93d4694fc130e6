"""Board paper pages: the paper in the app, and its downloads. Any member of the organisation may read them."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from wellled.core.permissions import Permission, require
from wellled.core.view_kit import SignedInRequest, role
from wellled.plans.models import Plan
from wellled.plans.selectors import plan_cycles, plan_get

from .board_kind import BOARD
from .board_paper import BoardPaper, as_at_problem, board_paper_build
from .draft_views import draft_download
from .formats import FORMATS


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
    """The paper as a file (pdf, docx, xlsx, csv or html): a draft, marked so on every page, through the one draft
    path of every paper kind (reports.papers.draft); issuing is what keeps a paper for good."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    parameters = request.GET.copy()
    parameters["plan"] = str(pk)
    return draft_download(request, BOARD.key, fmt, parameters)
