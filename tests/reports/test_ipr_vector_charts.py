"""The issued report's charts: drawn once each, vector shapes in the PDF (no picture), one PNG each in Word, and
the converter refuses SVG it does not know rather than print half a chart (ADR 0053)."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, Group, String
from tests.reports.test_ipr_issued import make_ipr_measures

from wellled.measures import services as measure_services
from wellled.reports.ipr.kind import frozen_report, ipr_issue
from wellled.reports.papers import vector
from wellled.reports.papers.vector import ChartFonts, ChartNotDrawn, svg_drawing
from wellled.spc import render as spc_render

pytestmark = pytest.mark.django_db
FONTS = ChartFonts(regular="Helvetica", bold="Helvetica-Bold")
# PDF content-stream operators that draw paths (ISO 32000-1, 8.5.2 and 8.5.3): move, line, rectangle, curve, stroke.
PATH_OPERATORS = (b"m", b"l", b"re", b"c", b"S")


def _xobjects(reader: PdfReader) -> dict[int, object]:
    """Every XObject the pages use, by object number (a form used on two pages is one object)."""
    found = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for name in xobjects:
            found[xobjects.raw_get(name).idnum] = xobjects[name].get_object()
    return found


@pytest.fixture
def counted(monkeypatch):
    """How often each chart is drawn (the SPC renderer's SVG) and rasterised (the Word picture), by title."""
    drawn: list[str] = []
    rasterised: list[str] = []
    draw, raster = spc_render.render_svg, vector.svg_png

    def drawing(result, **kwargs):
        drawn.append(kwargs["title"])
        return draw(result, **kwargs)

    def rastering(svg, **kwargs):
        rasterised.append(svg)
        return raster(svg, **kwargs)

    monkeypatch.setattr(spc_render, "render_svg", drawing)
    monkeypatch.setattr("wellled.reports.ipr.chart.svg_png", rastering)
    return drawn, rasterised


def test_each_chart_is_drawn_once_and_is_vector_in_the_pdf_and_one_picture_in_word(org, editor, counted):
    drawn, rasterised = counted
    make_ipr_measures(org, editor)
    issued = ipr_issue(organisation=org, as_at=timezone.localdate(), by=editor)
    report = frozen_report(issued)
    charted = sorted(m.name for m in report.measures if m.result is not None)
    printed = [m for m in (*report.exceptions, *report.measures) if m.result is not None]
    assert len(printed) > len(charted)  # an exception's chart is printed twice, drawn once
    assert sorted(drawn) == charted
    assert len(rasterised) == len(charted)

    reader = PdfReader(io.BytesIO(bytes(issued.files.get(format="pdf").content)))
    xobjects = _xobjects(reader).values()
    assert [x for x in xobjects if x.get("/Subtype") == "/Image"] == []  # no chart is a picture in the PDF
    forms = [x for x in xobjects if x.get("/Subtype") == "/Form"]
    assert len(forms) == len(charted)  # written once each, placed twice for an exception
    for form in forms:
        operators = form.get_data().split()  # one path's operators share a line (a chart's points)
        assert sum(operators.count(op) for op in PATH_OPERATORS) > 50  # grid, limits, the line and its points
    placed = sum(page.get_contents().get_data().count(b" Do") for page in reader.pages)
    assert placed == len(printed)
    text = "".join(page.extract_text() for page in reader.pages)
    for name in charted:
        assert text.count(name) >= 2  # the chart's own title is text too, not pixels

    word = Document(io.BytesIO(bytes(issued.files.get(format="docx").content)))
    pictures = word.inline_shapes
    assert len(pictures) == len(printed)
    blobs = {
        word.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        for shape in pictures
    }
    assert all(blob.startswith(b"\x89PNG") for blob in blobs)
    assert len(blobs) == len(charted)  # the exception's picture is the same PNG as in its group


def test_a_chart_title_with_markup_is_printed_as_the_words_typed(org, editor):
    name = 'Falls <script>alert("x")</script> & "harm"'
    measure = measure_services.measure_create(
        organisation=org, by=editor, name=name, kind="value", direction="decrease", target=None
    )
    from tests.reports.test_ipr import STABLE, months

    rows = [
        measure_services.ValueRow(measure.pk, day, value=v)
        for day, v in zip(months(len(STABLE)), STABLE, strict=True)
    ]
    measure_services.values_load(organisation=org, by=editor, source="test", rows=rows)
    issued = ipr_issue(organisation=org, as_at=timezone.localdate(), by=editor)
    reader = PdfReader(io.BytesIO(bytes(issued.files.get(format="pdf").content)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert text.count('<script>alert("x")</script> & "harm"') >= 2  # table or heading, and the chart's title


def _strings(shape) -> list[str]:
    if isinstance(shape, String):
        return [shape.text]
    if isinstance(shape, Group | Drawing):
        return [text for child in shape.contents for text in _strings(child)]
    return []


def test_the_converter_scales_to_the_width_and_keeps_every_word():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100" font-family="A">'
        "<title>T</title><desc>D</desc>"
        '<rect width="200" height="100" fill="#ffffff"/>'
        '<line x1="0" y1="50" x2="200" y2="50" stroke="#425563" stroke-dasharray="6 4"/>'
        '<path d="M10,10H50V40L60,60Z" fill="none" stroke="#000000"/>'
        '<polyline points="1,2 3,4 5,6" fill="none" stroke="#768692"/>'
        '<circle cx="5" cy="5" r="2" fill="#ED8B00"/>'
        '<text x="120" y="20" font-size="11" text-anchor="end">Fish &amp; chips</text>'
        '<text transform="translate(14 50) rotate(-90)" font-size="11">Per cent</text>'
        '<svg x="150" y="0" width="40" height="40" viewBox="0 0 100 100"><title>icon</title>'
        '<text x="50" y="58" font-weight="bold">H</text></svg>'
        "</svg>"
    )
    drawing = svg_drawing(svg, width=100, fonts=FONTS)
    assert (drawing.width, drawing.height) == (100, 50)
    assert _strings(drawing) == ["Fish & chips", "Per cent", "H"]  # title and desc are not drawn
    x0, y0, x1, y1 = drawing.getBounds()
    assert x0 >= -1 and y0 >= -1 and x1 <= 101 and y1 <= 51  # flipped and scaled inside the frame


def test_lines_and_polylines_are_stroked_and_never_filled_when_the_svg_gives_them_a_fill():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<line x1="0" y1="5" x2="10" y2="5" fill="#ED8B00" stroke="#425563"/>'
        '<polyline points="1,2 3,4 5,6" fill="#ED8B00" fill-opacity="0.5" stroke="#768692"/>'
        '<rect width="4" height="4" fill="#ED8B00"/>'
        "</svg>"
    )
    drawn = list(_shapes(svg_drawing(svg, width=10, fonts=FONTS)))
    line, polyline, rect = (
        next(s for s in drawn if type(s).__name__ == name) for name in ("Line", "PolyLine", "Rect")
    )
    assert line.strokeColor is not None and polyline.strokeColor is not None
    assert getattr(polyline, "fillColor", None) is None and getattr(line, "fillColor", None) is None
    assert rect.fillColor is not None  # a rectangle keeps its fill


def _shapes(node):
    for child in getattr(node, "contents", ()):
        yield child
        yield from _shapes(child)


@pytest.mark.parametrize(
    "body",
    ['<image href="x.png" width="1" height="1"/>', '<path d="M0,0 C1,1 2,2 3,3"/>', '<rect fill="url(#g)"/>'],
)
def test_the_converter_refuses_what_it_cannot_draw(body):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{body}</svg>'
    with pytest.raises(ChartNotDrawn):
        svg_drawing(svg, width=10, fonts=FONTS)


def test_the_chart_renderer_output_converts_for_every_variation_and_assurance():
    """Every icon the SPC renderer can put on a chart converts (rings, dashes, letters), run chart and XmR."""
    import numpy as np

    from wellled.spc import SPCOptions, spc
    from wellled.spc.types import ChartType

    dates = np.arange("2023-01", "2025-01", dtype="datetime64[M]").astype("datetime64[D]")
    values = np.r_[np.full(12, 50.0), np.full(12, 60.0)] + np.tile([0.5, -0.5, 1.0, -1.0], 6)
    for chart in (ChartType.XMR, ChartType.RUN):
        for target in (None, 55.0, 40.0):
            result = spc(values, dates, options=SPCOptions(chart=chart, target=target))
            svg = spc_render.render_svg(result, title="Waits", y_label="Days")
            drawing = svg_drawing(svg, width=400, fonts=FONTS)
            assert "Waits" in _strings(drawing)


def test_a_form_asked_for_ahead_is_made_once_in_the_background_and_its_error_is_raised_when_it_is_used():
    import threading

    from wellled.reports.papers.charts import ChartCache

    charts = ChartCache()
    made_on: list[str] = []

    def picture():
        made_on.append(threading.current_thread().name)
        return b"png"

    charts.ahead("picture", picture)
    charts.ahead("picture", picture)  # asked twice, made once
    charts.ahead("broken", lambda: 1 / 0)
    assert charts.convert("picture", lambda: b"made again") == b"png"
    assert charts.convert("picture", lambda: b"made again") == b"png"
    assert made_on and made_on[0].startswith("wellled-charts") and len(made_on) == 1
    assert charts.conversions == 1
    with pytest.raises(ZeroDivisionError):
        charts.convert("broken", lambda: b"never")
    charts.close()
    assert charts.convert("later", lambda: b"on this thread") == b"on this thread"
