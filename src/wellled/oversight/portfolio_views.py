"""The portfolio pages of an oversight body: every trust it oversees on one page, and one measure across them all.

Views stay thin: they read the address, call the portfolio builders (which refuse anyone but the body's own
members with a 404) and render."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from wellled.assessments.choices import KEY_QUESTIONS, RatingValue
from wellled.core.view_kit import SignedInRequest, scope
from wellled.measures.selectors import ASSURANCE_NAMES, VARIATION_NAMES
from wellled.spc.render import render_svg

from . import portfolio
from .choices import Programme, Segment
from .portfolio_files import CONTENT_TYPES, FORMATS, portfolio_file

# Small multiples: a chart this size shows a trust's run and limits; larger ones stop fitting three abreast.
SMALL_MULTIPLE_WIDTH = 380
SMALL_MULTIPLE_HEIGHT = 240


@require_safe
def portfolio_page(request: SignedInRequest) -> HttpResponse:
    filters = portfolio.filters_from(request.GET)
    built = portfolio.portfolio_build(filters=filters, page=request.GET.get("page", "1"), **scope(request))
    return render(
        request,
        "oversight/portfolio.jinja",
        {
            "portfolio": built,
            "filters": filters,
            "segments": Segment.choices,
            "programmes": [c for c in Programme.choices if c[0] != Programme.NONE],
            "ratings": [(r.value, r.label) for r in RatingValue],
            "sorts": portfolio.SORTS,
            "key_questions": KEY_QUESTIONS,
            "variation_names": VARIATION_NAMES,
            "assurance_names": ASSURANCE_NAMES,
            "direction_words": portfolio.DIRECTION_WORDS,
            "direction_arrows": portfolio.DIRECTION_ARROWS,
        },
    )


@require_safe
def portfolio_download(request: SignedInRequest, fmt: str) -> HttpResponse:
    """Every row matching the page's filters (all its pages), with its key measures, as csv or xlsx (as `wellled
    portfolio`)."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    built = portfolio.portfolio_build(filters=portfolio.filters_from(request.GET), **scope(request))
    headers, rows = portfolio.portfolio_table(built)
    body = built.body
    content = portfolio_file(headers, rows, fmt=fmt, title=f"{body.name} portfolio")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"{slugify(body.ods_code)}-portfolio-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def trajectories_page(request: SignedInRequest) -> HttpResponse:
    code = request.GET.get("measure", "")[:40]
    built = portfolio.trajectories_build(code=code, page=request.GET.get("page", "1"), **scope(request))
    charts = portfolio.trajectory_charts(
        built,
        draw=lambda t, result: render_svg(
            result,
            title=t.entry.trust.name,
            width=SMALL_MULTIPLE_WIDTH,
            height=SMALL_MULTIPLE_HEIGHT,
            legend=False,
            icons=False,
            y_label=t.measure.unit_label or None,
            id_prefix=f"trajectory-{t.entry.trust_id}",
        ),
        drawing=f"small multiple {SMALL_MULTIPLE_WIDTH}x{SMALL_MULTIPLE_HEIGHT}",
    )
    return render(
        request,
        "oversight/portfolio_trajectories.jinja",
        {
            "trajectories": built,
            "charts": charts,
            "direction_words": portfolio.DIRECTION_WORDS,
            "direction_arrows": portfolio.DIRECTION_ARROWS,
        },
    )
