"""The integrated performance report's pages: the report on screen, its files, and commentary for a measure."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from wellled.core.permissions import Permission, require
from wellled.core.view_kit import SignedInRequest, form_page, role, scope
from wellled.measures import services as measure_services
from wellled.measures.selectors import measure_get
from wellled.spc.render import render_svg

from .board_paper import as_at_problem
from .forms_ipr import CommentaryForm
from .ipr import ipr_build, render_ipr_docx, render_ipr_pdf

RENDERERS = {
    "pdf": (render_ipr_pdf, "application/pdf"),
    "docx": (render_ipr_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def _as_at(request: SignedInRequest) -> tuple[datetime.date, str]:
    """The report's date from ?as_at= (default today), and what is wrong with it ('' if nothing)."""
    text = request.GET.get("as_at", "")
    if not text:
        return timezone.localdate(), ""
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        return timezone.localdate(), "Enter the date as YYYY-MM-DD, for example 2026-11-30."
    problem = as_at_problem(day)
    return (timezone.localdate(), problem) if problem else (day, "")


def ipr_page(request: SignedInRequest) -> HttpResponse:
    as_at, problem = _as_at(request)
    report = ipr_build(as_at=as_at, **scope(request))
    charts = {
        m.measure_id: render_svg(
            m.result, title=m.name, y_label=m.unit_label or None, id_prefix=f"ipr-{m.measure_id}"
        )
        for m in report.measures
        if m.result is not None
    }
    return render(
        request,
        "reports/ipr.jinja",
        {"report": report, "charts": charts, "problem": problem},
        status=400 if problem else 200,
    )


def ipr_download(request: SignedInRequest, fmt: str) -> HttpResponse:
    if fmt not in RENDERERS:
        raise Http404("No such format.")
    as_at, problem = _as_at(request)
    if problem:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    renderer, content_type = RENDERERS[fmt]
    report = ipr_build(as_at=as_at, **scope(request))
    response = HttpResponse(renderer(report), content_type=content_type)
    name = slugify(f"{report.organisation_name} integrated performance report {as_at.isoformat()}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def commentary_write(request: SignedInRequest, pk: int) -> HttpResponse:
    measure = measure_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    form = CommentaryForm(request.POST or None, initial={"period": timezone.localdate().replace(day=1)})
    return form_page(
        request,
        form,
        template="reports/ipr_commentary.jinja",
        save=lambda data: measure_services.commentary_write(measure=measure, by=request.user, **data),
        success_url=reverse("ipr") + f"#measure-{measure.pk}",
        message=f"Commentary on {measure.name} saved for the report.",
        context={"measure": measure},
    )
