"""The integrated performance report as a Word document: headings, a summary table, each chart as a picture
with its icons in words and its commentary, so a trust can edit the covering text before the board meets."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Mm, Pt

from wellled.core.formatting import long_date, short_date
from wellled.core.text import xml_safe

from ..papers.charts import ChartCache, chart_cache
from .build import IPR, IPRMeasure
from .chart import WORD_CHART_WIDTH_MM, measure_png

CHART_WIDTH = Mm(WORD_CHART_WIDTH_MM)


def _measure(doc, measure: IPRMeasure, charts: ChartCache | None = None) -> None:
    doc.add_heading(xml_safe(measure.name), level=3)
    doc.add_paragraph(xml_safe(". ".join(measure.facts) + "."))
    if measure.exceptions:
        doc.add_paragraph().add_run(xml_safe("Exception: " + "; ".join(measure.exceptions))).bold = True
    for line in measure.survey_lines:
        doc.add_paragraph(xml_safe(line))
    if measure.chart is not None:
        png = measure_png(measure, charts)
        doc.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    else:
        doc.add_paragraph("No data yet.")
    for label, text in (
        ("What the chart shows", measure.shows),
        ("Why", measure.why),
        ("What next", measure.next_steps),
    ):
        if text:
            paragraph = doc.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(xml_safe(text))
    if not measure.shows:
        doc.add_paragraph("No commentary has been written for this report.")
    elif measure.commentary_by:
        doc.add_paragraph(xml_safe(f"Commentary by {measure.commentary_by}."))
    if measure.notes:
        doc.add_paragraph(
            xml_safe(
                "Notes on the chart: " + "; ".join(f"{short_date(d)}: {t}" for d, t in measure.notes[-6:])
            )
        )


def render_ipr_docx(report: IPR, charts: ChartCache | None = None) -> bytes:
    """The report as .docx bytes (`charts`: the issue's chart cache, shared with the PDF)."""
    charts = chart_cache(charts)
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = report.title
    doc.core_properties.author = xml_safe(report.organisation_name)
    doc.add_paragraph(xml_safe(report.organisation_name))
    doc.add_heading("Integrated performance report", level=0)
    doc.add_heading(f"Position as at {long_date(report.as_at)}", level=1)
    doc.add_paragraph(f"Produced {long_date(report.generated_at)}.")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, heading in zip(
        table.rows[0].cells, ("Measure", "Latest", "Target", "Variation", "Assurance"), strict=True
    ):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for measure in report.measures:
        cells = table.add_row().cells
        values = (
            measure.name,
            f"{measure.latest} {measure.latest_period_text}".strip(),
            measure.target,
            measure.variation_text,
            measure.assurance_text,
        )
        for cell, value in zip(cells, values, strict=True):
            cell.text = xml_safe(value)
    if report.exceptions:
        doc.add_heading("Exceptions", level=1)
        for measure in report.exceptions:
            _measure(doc, measure, charts)
    for group in report.groups:
        doc.add_heading(xml_safe(group.name), level=1)
        for measure in group.measures:
            _measure(doc, measure, charts)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
