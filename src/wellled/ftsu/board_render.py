"""The Freedom to Speak Up board report as PDF (ReportLab) and Word (python-docx), each SPC chart drawn once per
issue as SVG and shared by both formats (reports.papers.charts, vector shapes in the PDF, one PNG in Word)."""

from __future__ import annotations

import io
from functools import partial

from docx import Document
from docx.shared import Mm, Pt
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from wellled.core.formatting import long_date
from wellled.core.text import xml_safe
from wellled.reports.papers.charts import ChartCache, chart_cache
from wellled.reports.papers.document import WIDTH, paragraph_markup, portrait_pdf
from wellled.reports.papers.vector import ChartFonts, ChartOnce, svg_drawing, svg_png, word_picture_scale
from wellled.reports.render_pdf import BLUE, BORDER, Styles, paper_fonts
from wellled.spc import render as spc_render

from .board_report import BoardReport, QuarterChart

CHART_WIDTH = WIDTH * 0.8
WORD_CHART_WIDTH_MM = 150  # the width Word prints a quarter's chart at
CHART_SCALE = word_picture_scale(WORD_CHART_WIDTH_MM)  # at the performance report's resolution (ADR 0064)
WORD_CHART_WIDTH = Mm(WORD_CHART_WIDTH_MM)
NONE_WRITTEN = "The guardian has written nothing here for this report."


def _svg(chart: QuarterChart, charts: ChartCache) -> str:
    """The chart drawn once per issue as SVG, shared by the PDF and the Word file."""
    result = chart.result
    if result is None:
        raise ValueError(f"{chart.title} has no figures to chart.")
    return charts.draw(
        ("ftsu-svg", chart.code), lambda: spc_render.render_svg(result, title=chart.title, y_label="Cases")
    )


def _p(value: str, style) -> Paragraph:
    return Paragraph(paragraph_markup(value), style)


def _table(rows: list[list[str]], styles: Styles, widths: list[float] | None = None) -> Table:
    cells = [[_p(v, styles.head if r == 0 else styles.cell) for v in row] for r, row in enumerate(rows)]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), BLUE),
                ("GRID", (0, 0), (-1, -1), 0.4, BORDER),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def sections(report: BoardReport) -> list[tuple[str, list[str], list[list[list[str]]]]]:
    """The report's sections in order, each (heading, paragraphs, tables as rows): what both formats lay out."""
    quarters = list(report.quarters)
    suppression = (
        f"Every count is as the quarter's return shows it outside the guardian role: a count from 1 to "
        f"{report.threshold - 1} is shown as “fewer than {report.threshold}”, and a count that would let one be "
        f"worked out is not shown."
    )
    out: list[tuple[str, list[str], list[list[list[str]]]]] = [
        (
            "Cases raised",
            [suppression],
            [
                [
                    ["", *quarters],
                    ["Cases raised", *report.cases],
                    ["Share raised anonymously", *report.anonymous_share],
                ]
            ],
        )
    ]
    for table in report.tables:
        out.append((table.title, [], [[["", *quarters], *([row.label, *row.shown] for row in table.rows)]]))
    out.append(("Themes", [report.themes or NONE_WRITTEN], []))
    out.append(("Learning", [report.learning or NONE_WRITTEN], []))
    out.append(("Actions taken", [report.actions or NONE_WRITTEN], []))
    out.append(
        (
            "The guardian's resourcing and the leads",
            [],
            [
                [
                    ["", ""],
                    ["Guardian hours a week", report.guardian_hours or "not recorded"],
                    ["Guardian whole-time equivalent", report.guardian_wte or "not recorded"],
                    ["Champions", report.champions or "not recorded"],
                    ["Executive lead for speaking up", report.executive_lead or "not recorded"],
                    ["Non-executive lead for speaking up", report.non_executive_lead or "not recorded"],
                ]
            ],
        )
    )
    if report.plan_name:
        rows = [["Reference", "Action", "Status", "Timescale", "Overdue"]]
        rows += [
            [a.reference, a.title, a.status, a.timescale, "Overdue" if a.overdue else ""]
            for a in report.plan_actions
        ]
        out.append((f"Progress on the FTSU plan: {report.plan_name}", [], [rows]))
    else:
        out.append(("Progress on the FTSU plan", ["No FTSU plan was chosen for this report."], []))
    if report.national:
        words = [
            report.national_title + (f". Source: {report.national_source}." if report.national_source else "")
        ]
        if report.national_illustrative:
            words.append("These national figures are illustrative, not published figures.")
        rows = [["Figure", f"National {report.national_year}", "This trust, the period"]]
        rows += [[n.label, n.national, n.trust] for n in report.national]
        out.append(("National comparison", words, [rows]))
    else:
        out.append(
            ("National comparison", [f"No national figures are loaded for {report.national_year}."], [])
        )
    if report.survey:
        rows = [["Survey", "Element", "Score", "Group worst", "Group median", "Group best"]]
        rows += [
            [
                f"{s.measure} ({s.year})",
                s.element,
                f"{s.score:.2f}",
                f"{s.worst:.2f}",
                f"{s.median:.2f}",
                f"{s.best:.2f}",
            ]
            for s in report.survey
        ]
        out.append(("The staff survey on speaking up (scores out of 10)", [], [rows]))
    else:
        out.append(("The staff survey on speaking up", ["No staff survey results are held."], []))
    return out


def _chart_words(chart: QuarterChart) -> str:
    words = f"{chart.title}: {chart.variation_text}."
    if chart.not_plotted:
        words += " Not plotted, to protect small counts: " + ", ".join(chart.not_plotted) + "."
    return words


def render_board_pdf(report: BoardReport, charts: ChartCache | None = None) -> bytes:
    charts = chart_cache(charts)
    styles = Styles(paper_fonts())
    fonts = ChartFonts(regular=styles.fonts.regular, bold=styles.fonts.bold)
    story: list = [
        _p(report.organisation_name, styles.small),
        _p("Freedom to Speak Up: report to the board", styles.title),
        _p(f"{long_date(report.period_from)} to {long_date(report.period_to)}", styles.as_at),
        _p(f"Produced {long_date(report.generated_at)}.", styles.small),
    ]
    for heading, paragraphs, tables in sections(report):
        story.append(_p(heading, styles.h2))
        story += [_p(text, styles.body) for text in paragraphs]
        for rows in tables:
            story += [Spacer(0, 2 * mm), _table(rows, styles), Spacer(0, 3 * mm)]
        if heading == "Cases raised":
            story.append(_p("Counts by quarter", styles.h2))
            for chart in report.charts:
                block: list = [_p(chart.title, styles.h3)]
                if chart.chart is not None:
                    drawing = charts.convert(
                        ("ftsu-pdf", chart.code),
                        partial(
                            lambda c: svg_drawing(_svg(c, charts), width=CHART_WIDTH, fonts=fonts), chart
                        ),
                    )
                    block.append(ChartOnce(drawing, f"ftsu-chart-{chart.code}"))
                block.append(_p(_chart_words(chart), styles.small))
                story.append(KeepTogether(block))
    return portrait_pdf(story, title=report.title, author=report.organisation_name)


def render_board_docx(report: BoardReport, charts: ChartCache | None = None) -> bytes:
    charts = chart_cache(charts)
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = xml_safe(report.title)
    doc.core_properties.author = xml_safe(report.organisation_name)
    doc.add_paragraph(xml_safe(report.organisation_name))
    doc.add_heading("Freedom to Speak Up: report to the board", level=0)
    doc.add_heading(f"{long_date(report.period_from)} to {long_date(report.period_to)}", level=1)
    doc.add_paragraph(f"Produced {long_date(report.generated_at)}.")
    for heading, paragraphs, tables in sections(report):
        doc.add_heading(xml_safe(heading), level=1)
        for text in paragraphs:
            doc.add_paragraph(xml_safe(text))
        for rows in tables:
            table = doc.add_table(rows=0, cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = xml_safe(value)
                    if r == 0 and cell.paragraphs[0].runs:
                        cell.paragraphs[0].runs[0].bold = True
        if heading == "Cases raised":
            doc.add_heading("Counts by quarter", level=1)
            for chart in report.charts:
                doc.add_heading(xml_safe(chart.title), level=2)
                if chart.chart is not None:
                    png = charts.convert(
                        ("ftsu-png", chart.code),
                        partial(lambda c: svg_png(_svg(c, charts), scale=CHART_SCALE), chart),
                    )
                    doc.add_picture(io.BytesIO(png), width=WORD_CHART_WIDTH)
                doc.add_paragraph(xml_safe(_chart_words(chart)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
