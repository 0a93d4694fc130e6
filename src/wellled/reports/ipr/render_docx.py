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


class _Headings:
    """Adds headings with each level's style looked up once: python-docx's `add_heading` searches styles.xml for
    the style by name and again for the default style on every call, a fifth of the Word file's own time for the
    report's 60 measures (bench/ipr.py, ADR 0064)."""

    def __init__(self, doc):
        self.doc = doc
        self.style_ids: dict[int, str] = {}

    def add(self, text: str, level: int):
        if level not in self.style_ids:
            self.style_ids[level] = self.doc.styles["Title" if level == 0 else f"Heading {level}"].style_id
        paragraph = self.doc.add_paragraph(text)
        paragraph._p.style = self.style_ids[level]  # the paragraph's pStyle, as add_heading writes it
        return paragraph


def _measure(doc, headings: _Headings, measure: IPRMeasure, charts: ChartCache | None = None) -> None:
    headings.add(xml_safe(measure.name), level=3)
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
    headings = _Headings(doc)
    headings.add("Integrated performance report", level=0)
    headings.add(f"Position as at {long_date(report.as_at)}", level=1)
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
        headings.add("Exceptions", level=1)
        for measure in report.exceptions:
            _measure(doc, headings, measure, charts)
    for group in report.groups:
        headings.add(xml_safe(group.name), level=1)
        for measure in group.measures:
            _measure(doc, headings, measure, charts)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
