"""The integrated performance report as a PDF (ReportLab, A4 portrait): a summary table with SPC icons, the
exceptions, then each measure with its chart, icons in words and its commentary, grouped by domain."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from wellled.core.formatting import long_date, short_date

from ..papers.charts import ChartCache, chart_cache
from ..papers.document import MARGIN, WIDTH, paragraph_markup, portrait_pdf
from ..papers.vector import ChartFonts, ChartOnce
from ..pdf_layout import CellParagraph, Source
from ..render_pdf import BLUE, BORDER, GROUP, Fonts, Styles, icon, paper_fonts
from .build import IPR, IPRMeasure
from .chart import measure_drawing

CHART_WIDTH = WIDTH * 0.86  # two measures with short commentary fit on a page
CHART_HEIGHT = CHART_WIDTH * 380 / 720  # the renderer's aspect ratio


def _p(text: str, style, source: Source | None = None) -> Paragraph:
    return CellParagraph(paragraph_markup(text), style, source=source)


def chart_image(measure: IPRMeasure, fonts: Fonts, charts: ChartCache | None = None) -> ChartOnce | None:
    """The measure's SPC chart as vector shapes, from the one drawing the issue's formats share (chart.measure_svg),
    written into the PDF once however often the report shows it."""
    if measure.chart is None:
        return None
    drawing = measure_drawing(
        measure, charts, width=CHART_WIDTH, fonts=ChartFonts(regular=fonts.regular, bold=fonts.bold)
    )
    return ChartOnce(drawing, f"ipr-chart-{measure.measure_id}")


def _variation_cell(measure: IPRMeasure, styles: Styles):
    """The variation icon; in words when there are too few points for process limits (the icon would say common
    cause)."""
    if measure.too_few_points:
        return _p(measure.variation_text, styles.cell_small)
    return icon("variation", measure.variation.value if measure.variation else "", styles.fonts)


def _summary_table(report: IPR, styles: Styles) -> Table:
    fonts = styles.fonts
    rows = [[_p(h, styles.head) for h in ("Measure", "Latest", "Target", "Variation", "Assurance")]]
    for measure in report.measures:
        rows.append(
            [
                _p(measure.name, styles.cell_bold),
                _p(f"{measure.latest}\n{measure.latest_period_text}", styles.cell),
                _p(measure.target, styles.cell),
                _variation_cell(measure, styles),
                icon("assurance", measure.assurance.value if measure.assurance else "", fonts),
            ]
        )
    table = Table(
        rows, colWidths=[WIDTH * 0.42, WIDTH * 0.17, WIDTH * 0.15, WIDTH * 0.13, WIDTH * 0.13], repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), BLUE),
                ("GRID", (0, 0), (-1, -1), 0.4, BORDER),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), 1.5),  # compact rows: two dozen measures fit the front page
                ("BOTTOMPADDING", (0, 1), (-1, -1), 1.5),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, GROUP]),
            ]
        )
    )
    return table


def _measure_block(measure: IPRMeasure, styles: Styles, charts: ChartCache | None = None) -> list:
    head = [_p(measure.name, styles.h3), _p(" · ".join(measure.facts), styles.small)]
    if measure.exceptions:
        head.append(_p("Exception: " + "; ".join(measure.exceptions), styles.cell_bold))
    head += [_p(line, styles.small) for line in measure.survey_lines]
    chart = chart_image(measure, styles.fonts, charts)
    body: list = [chart] if chart else [_p("No data yet.", styles.body)]
    words = []
    for label, text in (
        ("What the chart shows", measure.shows),
        ("Why", measure.why),
        ("What next", measure.next_steps),
    ):
        if text:
            source = Source(f"Measure {measure.name}", label.lower(), len(text))
            words.append(CellParagraph(f"<b>{label}:</b> {escape(text)}", styles.body, source=source))
            words.append(Spacer(0, 2 * mm))
    if not measure.shows:
        words.append(_p("No commentary has been written for this report.", styles.small))
    elif measure.commentary_by:
        words.append(_p(f"Commentary by {measure.commentary_by}.", styles.small))
    if measure.notes:
        notes = "; ".join(f"{short_date(day)}: {text}" for day, text in measure.notes[-6:])
        words.append(_p(f"Notes on the chart: {notes}", styles.small))
    # A measure stays on one page with its commentary; commentary too long for that flows on to the next page.
    return [KeepTogether([*head, *body, *words]), Spacer(0, 5 * mm)]


def _fitted(text: str, font: str, size: float, width: float) -> str:
    """The text shortened with an ellipsis to fit the width (a long organisation name in the footer)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def render_ipr_pdf(report: IPR, charts: ChartCache | None = None) -> bytes:
    """The report as PDF bytes (`charts`: the issue's chart cache, shared with the Word file)."""
    charts = chart_cache(charts)
    styles = Styles(paper_fonts())

    def footer(canvas, doc):
        canvas.saveState()
        font, size = styles.fonts.regular, 7.5
        canvas.setFont(font, size)
        page = f"Page {doc.page}"
        room = WIDTH - stringWidth(page, font, size) - 6 * mm  # the left text never runs into the page number
        canvas.drawString(
            MARGIN, 8 * mm, _fitted(f"{report.organisation_name} · {report.title}", font, size, room)
        )
        canvas.drawRightString(A4[0] - MARGIN, 8 * mm, page)
        canvas.restoreState()

    story: list = [
        _p(report.organisation_name, styles.small),
        _p("Integrated performance report", styles.title),
        _p(f"Position as at {long_date(report.as_at)}", styles.as_at),
        _p(f"Produced {long_date(report.generated_at)}.", styles.small),
        Spacer(0, 2 * mm),
        _p(
            "Each measure is shown as a statistical process control chart. The variation icon says whether the "
            "latest figures show special cause variation; the assurance icon says whether the process will meet "
            "its target. Exceptions come first: special cause concern, and targets the process will consistently miss.",
            styles.body,
        ),
        Spacer(0, 4 * mm),
        _summary_table(report, styles),
    ]
    if report.exceptions:
        # Straight after the summary if a measure fits below it; groups each begin a new page.
        story += [CondPageBreak(CHART_HEIGHT + 40 * mm), Spacer(0, 4 * mm), _p("Exceptions", styles.h2)]
        for measure in report.exceptions:
            story += _measure_block(measure, styles, charts)
    for group in report.groups:
        story += [PageBreak(), _p(group.name, styles.h2)]
        for measure in group.measures:
            story += _measure_block(measure, styles, charts)
    return portrait_pdf(story, title=report.title, author=report.organisation_name, footer=footer)
