"""The BAF paper in PDF (ReportLab), Word (python-docx), Excel (openpyxl) and CSV.

Every format writes each score as '4 x 5 = 20 (Extreme)' and every heat-map cell as its count and score, so colour
is never the only signal. User text is escaped for ReportLab's markup, made XML-safe for Word and Excel, and
formula-safe in spreadsheets (core.cells).
"""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from django.utils.text import slugify

from wellled.core.cells import safe_cell, set_safe_cell
from wellled.core.formatting import long_date
from wellled.core.text import xml_safe

from .baf_paper import BafPaper, PaperRisk
from .convention import convention

FORMATS = ("pdf", "docx", "xlsx", "csv")
CSV_HEADERS = (
    "Objective",
    "Reference",
    "Principal risk",
    "Category",
    "Lead executive",
    "Lead committee",
    "Inherent score",
    "Current score",
    "Target score",
    "Movement since last BAF",
    "Assurance rating",
    "Controls",
    "Gaps in control",
    "Gaps in assurance",
    "Mitigating actions",
    "Key risk indicators",
    "Next review",
    "Operational risks beneath",
)


def filename(paper: BafPaper, fmt: str) -> str:
    """'baf-<ods>-<as-at>.<ext>'."""
    return f"baf-{slugify(paper.ods_code)}-{paper.as_at.isoformat()}.{fmt}"


def render(paper: BafPaper, fmt: str) -> bytes:
    """The paper in one format."""
    renderers = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx, "csv": render_csv}
    if fmt not in renderers:
        raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    return renderers[fmt](paper)


def _rows(paper: BafPaper):
    for objective in paper.objectives:
        for risk in objective.risks:
            yield objective, risk


def _cells(objective, risk: PaperRisk) -> list[str]:
    return [
        f"{objective.code}: {objective.title}",
        risk.reference,
        risk.title,
        risk.category,
        risk.lead_executive,
        risk.lead_committee,
        risk.inherent.text,
        risk.current.text,
        risk.target.text,
        risk.movement_text,
        risk.assurance_rating,
        "\n".join(
            c.description + "".join(f"\n  {a.line}, {a.level}: {a.source}" for a in c.assurances)
            for c in risk.controls
        ),
        risk.gaps_in_control,
        risk.gaps_in_assurance,
        "\n".join(f"{a.reference} ({a.status}, {a.due or 'no timescale'}): {a.title}" for a in risk.actions),
        "\n".join(f"{i.name}: {i.latest}; {i.variation}" for i in risk.indicators),
        risk.next_review,
        risk.beneath_text,
    ]


def _heat_caption(paper: BafPaper) -> str:
    return (
        f"Heat map of the risk register: {paper.register_total} live risks by current likelihood (rows) and "
        f"consequence (columns); {paper.escalated_total} at or above the escalation threshold of {paper.threshold}."
        + (
            f" “Was” gives a cell's count in the BAF as at {long_date(paper.previous_as_at)} where it has changed."
            if paper.previous_heat_map is not None
            else ""
        )
    )


# CSV -----------------------------------------------------------------------------------------------------------


def render_csv(paper: BafPaper) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    for objective, risk in _rows(paper):
        writer.writerow([safe_cell(v) for v in _cells(objective, risk)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM lets Excel read UTF-8


# Excel ---------------------------------------------------------------------------------------------------------


def render_xlsx(paper: BafPaper) -> bytes:
    from wellled.core.workbook import Alignment, Font, PatternFill, Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Principal risks"
    set_safe_cell(sheet.cell(1, 1), paper.title)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    set_safe_cell(sheet.cell(2, 1), f"{paper.organisation_name} ({paper.ods_code}), as at {paper.as_at_text}")
    for col, header in enumerate(CSV_HEADERS, start=1):
        set_safe_cell(sheet.cell(4, col), header)
        sheet.cell(4, col).font = Font(bold=True)
    for row, (objective, risk) in enumerate(_rows(paper), start=5):
        for col, value in enumerate(_cells(objective, risk), start=1):
            set_safe_cell(sheet.cell(row, col), value)
            sheet.cell(row, col).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A5"
    for col, width in enumerate(
        (24, 10, 40, 16, 20, 20, 16, 16, 16, 18, 14, 50, 30, 30, 50, 40, 16, 30), start=1
    ):
        sheet.column_dimensions[sheet.cell(4, col).column_letter].width = width

    heat = book.create_sheet("Heat map")
    set_safe_cell(heat.cell(1, 1), _heat_caption(paper))
    set_safe_cell(heat.cell(3, 1), "Likelihood \\ consequence")
    conv = convention()
    for ck in conv.scale:
        set_safe_cell(heat.cell(3, ck + 1), f"{ck} {conv.consequence_label(ck)}")
    for i, lk in enumerate(reversed(conv.scale)):
        row = 4 + i
        set_safe_cell(heat.cell(row, 1), f"{lk} {conv.likelihood_label(lk)}")
        for ck in conv.scale:
            band = conv.band(lk * ck)
            cell = heat.cell(row, ck + 1)
            cell.value = paper.heat_count(lk, ck)
            moved = paper.heat_movement(lk, ck)
            cell.number_format = f'0" risks (score {lk * ck}, {band.label}){" " + moved if moved else ""}"'
            cell.fill = PatternFill("solid", fgColor=band.colour.lstrip("#"))
            cell.font = Font(color=band.text_colour.lstrip("#"), bold=True)
    heat.column_dimensions["A"].width = 26
    for letter in "BCDEF":
        heat.column_dimensions[letter].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Word ----------------------------------------------------------------------------------------------------------


def render_docx(paper: BafPaper) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    document.styles["Normal"].font.size = Pt(9)

    def shade(cell, colour: str) -> None:
        properties = cell._tc.get_or_add_tcPr()
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:fill"), colour.lstrip("#"))
        properties.append(fill)

    document.add_heading(xml_safe(paper.title), level=0)
    document.add_paragraph(
        xml_safe(f"{paper.organisation_name} ({paper.ods_code}). Position as at {paper.as_at_text}.")
    )
    if paper.previous_as_at:
        document.add_paragraph(f"Movement is shown since the BAF as at {long_date(paper.previous_as_at)}.")
    document.add_heading("Heat map of the risk register", level=1)
    document.add_paragraph(_heat_caption(paper))
    conv = convention()
    table = document.add_table(rows=6, cols=6)
    table.style = "Table Grid"
    table.cell(0, 0).text = "Likelihood \\ consequence"
    for ck in conv.scale:
        table.cell(0, ck).text = f"{ck} {conv.consequence_label(ck)}"
    for i, lk in enumerate(reversed(conv.scale), start=1):
        table.cell(i, 0).text = f"{lk} {conv.likelihood_label(lk)}"
        for ck in conv.scale:
            band = conv.band(lk * ck)
            cell = table.cell(i, ck)
            cell.text = f"{paper.heat_count(lk, ck)} (score {lk * ck}, {band.label}) {paper.heat_movement(lk, ck)}".strip()
            shade(cell, band.colour)
    for objective in paper.objectives:
        document.add_heading(xml_safe(f"{objective.code}: {objective.title}"), level=1)
        for risk in objective.risks:
            document.add_heading(xml_safe(f"{risk.reference}: {risk.title}"), level=2)
            facts_rows = (
                ("Lead executive", risk.lead_executive),
                ("Lead committee", risk.lead_committee),
                ("Category and appetite", f"{risk.category} ({risk.appetite})" if risk.category else ""),
                ("Inherent score", risk.inherent.text),
                ("Current score", risk.current.text),
                ("Target score", risk.target.text),
                ("Movement since last BAF", risk.movement_text),
                ("Assurance rating", risk.assurance_rating),
                ("Gaps in control", risk.gaps_in_control),
                ("Gaps in assurance", risk.gaps_in_assurance),
                ("Next review", risk.next_review),
                ("Operational risks beneath it", risk.beneath_text),
            )
            # Made whole and filled through its rows: python-docx's add_row and table.cell re-read the table.
            facts = document.add_table(rows=len(facts_rows), cols=2)
            facts.style = "Table Grid"
            for row, (label, value) in zip(facts.rows, facts_rows, strict=True):
                cells = row.cells
                cells[0].text = label
                cells[1].text = xml_safe(value or "None recorded")
            if risk.controls:
                document.add_paragraph("Controls and assurances", style="Heading 3")
                for control in risk.controls:
                    document.add_paragraph(xml_safe(control.description), style="List Bullet")
                    for assurance in control.assurances:
                        document.add_paragraph(
                            xml_safe(f"{assurance.line}, {assurance.level}: {assurance.source}"),
                            style="List Bullet 2",
                        )
            if risk.actions:
                document.add_paragraph("Mitigating actions", style="Heading 3")
                for action in risk.actions:
                    document.add_paragraph(
                        xml_safe(
                            f"{action.reference} ({action.status}, {action.due or 'no timescale'}): {action.title}"
                        ),
                        style="List Bullet",
                    )
            if risk.indicators:
                document.add_paragraph("Key risk indicators", style="Heading 3")
                for indicator in risk.indicators:
                    document.add_paragraph(
                        xml_safe(
                            f"{indicator.name}: {indicator.latest}. {indicator.variation}. {indicator.assurance}"
                        ),
                        style="List Bullet",
                    )
    document.add_paragraph(
        f"Produced by Wellled on {long_date(paper.generated_at)} for {xml_safe(paper.generated_by)}."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# PDF -----------------------------------------------------------------------------------------------------------


def render_pdf(paper: BafPaper) -> bytes:
    """A4 landscape: the heat map and every principal risk at a glance on the first page, then each principal risk
    in full under its objective, kept whole on a page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from wellled.reports.render_pdf import paper_fonts

    fonts = paper_fonts()
    text = colors.HexColor("#212b32")
    blue = colors.HexColor("#005eb8")
    grey = colors.HexColor("#e8edee")
    rule = colors.HexColor("#aeb7bd")
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=8.5, leading=11, textColor=text)
    bold = ParagraphStyle("bold", parent=body, fontName=fonts.bold)
    indented = ParagraphStyle("indented", parent=body, leftIndent=10)
    h1 = ParagraphStyle(
        "h1", parent=body, fontName=fonts.bold, fontSize=18, leading=22, textColor=blue, spaceAfter=4
    )
    h2 = ParagraphStyle(
        "h2",
        parent=body,
        fontName=fonts.bold,
        fontSize=13,
        leading=16,
        textColor=blue,
        spaceBefore=8,
        spaceAfter=4,
    )
    cell_style = ParagraphStyle("cell", parent=body, alignment=1)
    table_style = [("GRID", (0, 0), (-1, -1), 0.4, rule), ("VALIGN", (0, 0), (-1, -1), "TOP")]

    def p(value: str, style=body) -> Paragraph:
        return Paragraph(escape(xml_safe(value or "")).replace("\n", "<br/>"), style)

    conv = convention()
    previous = (
        f" Movement is shown since the BAF as at {long_date(paper.previous_as_at)}."
        if paper.previous_as_at
        else ""
    )
    story = [
        p(paper.title, h1),
        p(f"{paper.organisation_name} ({paper.ods_code}). Position as at {paper.as_at_text}.{previous}"),
        Spacer(1, 3 * mm),
        p("Heat map of the risk register", h2),
        p(_heat_caption(paper)),
        Spacer(1, 2 * mm),
    ]
    grid = [
        [p("Likelihood \\ consequence", bold)]
        + [p(f"{ck} {conv.consequence_label(ck)}", bold) for ck in conv.scale]
    ]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.white), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for i, lk in enumerate(reversed(conv.scale), start=1):
        row = [p(f"{lk} {conv.likelihood_label(lk)}", bold)]
        for ck in conv.scale:
            band = conv.band(lk * ck)
            ink = ParagraphStyle(f"c{lk}{ck}", parent=cell_style, textColor=colors.HexColor(band.text_colour))
            row.append(
                Paragraph(
                    f"<b>{paper.heat_count(lk, ck)}</b> {paper.heat_movement(lk, ck)}<br/>"
                    f"score {lk * ck}, {band.label.lower()}",
                    ink,
                )
            )
            style.append(("BACKGROUND", (ck, i), (ck, i), colors.HexColor(band.colour)))
        grid.append(row)
    story.append(
        Table(
            grid,
            colWidths=[40 * mm] + [36 * mm] * 5,
            rowHeights=[9 * mm] + [11 * mm] * 5,
            style=TableStyle(style),
        )
    )
    glance = [
        [
            p(h, bold)
            for h in (
                "Ref",
                "Principal risk",
                "Objective",
                "Current",
                "Target",
                "Since last BAF",
                "Assurance rating",
            )
        ]
    ]
    for objective, risk in _rows(paper):
        glance.append(
            [
                p(risk.reference, bold),
                p(risk.title),
                p(objective.code),
                p(risk.current.text),
                p(risk.target.text),
                p(risk.movement_text),
                p(risk.assurance_rating),
            ]
        )
    if len(glance) > 1:
        story += [
            p("Principal risks at a glance", h2),
            Table(
                glance,
                colWidths=[18 * mm, 91 * mm, 24 * mm, 32 * mm, 32 * mm, 38 * mm, 30 * mm],
                repeatRows=1,
                style=TableStyle([*table_style, ("BACKGROUND", (0, 0), (-1, 0), grey)]),
            ),
        ]
    headers = [
        "Ref",
        "Principal risk",
        "Lead",
        "Inherent",
        "Current",
        "Target",
        "Movement",
        "Assurance rating",
    ]
    widths = [16 * mm, 76 * mm, 40 * mm, 27 * mm, 27 * mm, 27 * mm, 30 * mm, 27 * mm]
    for index, objective in enumerate(paper.objectives):
        if index == 0:
            story.append(PageBreak())
        heading = p(f"{objective.code}: {objective.title}", h2)
        for number, risk in enumerate(objective.risks):
            summary = Table(
                [
                    [p(h, bold) for h in headers],
                    [
                        p(risk.reference, bold),
                        p(risk.title),
                        p(f"{risk.lead_executive}\n{risk.lead_committee}"),
                        p(risk.inherent.text),
                        p(risk.current.text),
                        p(risk.target.text),
                        p(risk.movement_text),
                        p(risk.assurance_rating),
                    ],
                ],
                colWidths=widths,
                style=TableStyle([*table_style, ("BACKGROUND", (0, 0), (-1, 0), grey)]),
            )
            controls: list = []
            for control in risk.controls:
                controls.append(p("• " + control.description))
                controls += [
                    p(f"{a.line}, {a.level.lower()}: {a.source}", indented) for a in control.assurances
                ]
            actions = "\n".join(
                f"{a.reference} ({a.status}, {a.due or 'no timescale'}): {a.title}" for a in risk.actions
            )
            indicators = "\n".join(f"{i.name}: {i.latest}. {i.variation}." for i in risk.indicators)
            detail = Table(
                [
                    [p("Controls and assurances", bold), controls or p("None recorded")],
                    [p("Gaps in control", bold), p(risk.gaps_in_control or "None recorded")],
                    [p("Gaps in assurance", bold), p(risk.gaps_in_assurance or "None recorded")],
                    [p("Mitigating actions", bold), p(actions or "None linked")],
                    [p("Key risk indicators", bold), p(indicators or "None linked")],
                    [p("Operational risks beneath it", bold), p(risk.beneath_text)],
                ],
                colWidths=[40 * mm, sum(widths) - 40 * mm],
                style=TableStyle(table_style),
            )
            # The objective's heading stays with its first risk, and each risk stays whole on a page.
            story.append(KeepTogether([heading] * (number == 0) + [summary, detail, Spacer(1, 4 * mm)]))

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(text)
        canvas.drawString(
            12 * mm,
            7 * mm,
            xml_safe(
                f"{paper.organisation_name}: board assurance framework as at {paper.as_at_text}. "
                f"Produced {long_date(paper.generated_at)}."
            ),
        )
        canvas.drawRightString(landscape(A4)[0] - 12 * mm, 7 * mm, f"Page {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=paper.title,
        author=paper.organisation_name,
        invariant=1,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
