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

from wellled.core.cells import safe_cell, set_safe_cell
from wellled.core.formatting import long_date
from wellled.core.text import xml_safe
from wellled.reports.pdf_layout import CellParagraph, PaperTable, Source, build_naming_text, framed_table
from wellled.reports.render_pdf import paper_fonts

from .appetite import TRACK_TEXT
from .baf_paper import BafPaper, PaperRisk
from .convention import convention

FORMATS = ("pdf", "docx", "xlsx", "csv")
DOCX_BULLET_STYLES = {1: "List Bullet", 2: "List Bullet 2"}  # a bullet, and one nested beneath it
CSV_HEADERS = (
    "Objective",
    "Reference",
    "Principal risk",
    "Category",
    "Consequence domain",
    "Lead executive",
    "Lead committee",
    "Inherent score",
    "Current score",
    "Target score",
    "Appetite",
    "Tolerance",
    "Against tolerance",
    "Target date",
    "On track to target",
    "Target above tolerance",
    "Movement since last BAF",
    "Assurance rating",
    "Controls",
    "Gaps in control",
    "Gaps in assurance",
    "Gaps with the control undermined and the action closing them",
    "Mitigating actions",
    "Key risk indicators",
    "Next review",
    "Operational risks beneath",
)
# Excel column widths by header (characters); others take XLSX_WIDTH.
XLSX_WIDTHS = {
    "Objective": 24,
    "Reference": 10,
    "Principal risk": 40,
    "Against tolerance": 26,
    "On track to target": 26,
    "Controls": 50,
    "Gaps in control": 30,
    "Gaps in assurance": 30,
    "Gaps with the control undermined and the action closing them": 50,
    "Mitigating actions": 50,
    "Key risk indicators": 40,
    "Operational risks beneath": 30,
}
XLSX_WIDTH = 18


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
        risk.consequence_domain,
        risk.lead_executive,
        risk.lead_committee,
        risk.inherent.text,
        risk.current.text,
        risk.target.text,
        f"{risk.appetite} ({risk.appetite_source})" if risk.appetite_source else risk.appetite,
        "" if risk.tolerance is None else str(risk.tolerance),
        risk.tolerance_text,
        risk.target_date,
        TRACK_TEXT.get(risk.track, ""),
        (f"Yes ({risk.target.score} against {risk.tolerance})" if risk.target_above_tolerance else "No")
        if risk.tolerance is not None
        else "",
        risk.movement_text,
        risk.rating_text,
        "\n".join(c.text + "".join(f"\n  {a.text}" for a in c.assurances) for c in risk.controls),
        risk.gaps_in_control,
        risk.gaps_in_assurance,
        "\n".join(g.text for g in risk.gaps),
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
    for col, header in enumerate(CSV_HEADERS, start=1):
        sheet.column_dimensions[sheet.cell(4, col).column_letter].width = XLSX_WIDTHS.get(header, XLSX_WIDTH)

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
                ("Committee review", risk.review_text),
                ("Category", risk.category),
                ("Consequence domain", risk.consequence_domain),
                ("Appetite and tolerance", risk.appetite_text),
                ("Against tolerance", risk.tolerance_text),
                ("Inherent score", risk.inherent.text),
                ("Current score", risk.current.text),
                ("Target score", risk.target.text),
                ("Target date and trajectory", risk.target_text),
                ("Movement since last BAF", risk.movement_text),
                ("Assurance rating", risk.rating_text),
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
            controls = [
                (text, level)
                for control in risk.controls
                for text, level in (
                    (control.text, 1),
                    *((a.text, 2) for a in control.assurances),
                )
            ]
            gaps = [(g.text, 1) for g in risk.gaps]
            actions = [
                (f"{a.reference} ({a.status}, {a.due or 'no timescale'}): {a.title}", 1) for a in risk.actions
            ]
            indicators = [(f"{i.name}: {i.latest}. {i.variation}. {i.assurance}", 1) for i in risk.indicators]
            for heading, bullets in (
                ("Controls and assurances", controls),
                ("Gaps and the actions that close them", gaps),
                ("Mitigating actions", actions),
                ("Key risk indicators", indicators),
            ):
                if bullets:
                    document.add_paragraph(heading, style="Heading 3")
                    for text, level in bullets:
                        document.add_paragraph(xml_safe(text), style=DOCX_BULLET_STYLES[level])
    document.add_paragraph(
        f"Produced by Wellled on {long_date(paper.generated_at)} for {xml_safe(paper.generated_by)}."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# PDF -----------------------------------------------------------------------------------------------------------
# A4 landscape: the heat map and every principal risk at a glance on the first page, then each principal risk in
# full under its objective, kept whole on a page where it fits one (and continued on the next where it does not).

PDF_PAGE = landscape(A4)
PDF_MARGINS = {"leftMargin": 12 * mm, "rightMargin": 12 * mm, "topMargin": 12 * mm, "bottomMargin": 14 * mm}
PDF_FRAME_PADDING = 12  # points: ReportLab's frame pads its four sides by 6
INK = colors.HexColor("#212b32")
BLUE = colors.HexColor("#005eb8")
GREY = colors.HexColor("#e8edee")
RULE = colors.HexColor("#aeb7bd")
TABLE_STYLE = [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]
GLANCE_COLUMNS = (
    ("Ref", 14),
    ("Principal risk", 51),
    ("Objective", 21),
    ("Current", 30),
    ("Appetite and tolerance", 34),
    ("Against tolerance", 30),
    ("Target", 30),
    ("Since last BAF", 24),
    ("Assurance rating", 31),
)
RISK_COLUMNS = (
    ("Ref", 16),
    ("Principal risk", 76),
    ("Lead", 40),
    ("Inherent", 27),
    ("Current", 27),
    ("Target", 27),
    ("Movement", 30),
    ("Assurance rating", 27),
)
DETAIL_LABEL_WIDTH = 40  # millimetres; the text takes the rest of the risk table's width


class PdfStyles:
    """The BAF paper's paragraph styles."""

    def __init__(self, fonts):
        self.fonts = fonts
        self.body = ParagraphStyle("body", fontName=fonts.regular, fontSize=8.5, leading=11, textColor=INK)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=fonts.bold)
        self.indented = ParagraphStyle("indented", parent=self.body, leftIndent=10)
        self.h1 = ParagraphStyle(
            "h1", parent=self.body, fontName=fonts.bold, fontSize=18, leading=22, textColor=BLUE, spaceAfter=4
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=self.body,
            fontName=fonts.bold,
            fontSize=13,
            leading=16,
            textColor=BLUE,
            spaceBefore=8,
            spaceAfter=4,
        )
        self.cell = ParagraphStyle("cell", parent=self.body, alignment=1)


def _p(value: str, style, source: Source | None = None) -> Paragraph:
    """User text as a paragraph: XML-safe, escaped, line breaks kept; long words break inside (pdf_layout)."""
    return CellParagraph(escape(xml_safe(value or "")).replace("\n", "<br/>"), style, source=source)


def _sourced(risk: PaperRisk, field: str, value: str, style, empty: str = "None recorded") -> Paragraph:
    """A text of the risk, naming the risk and field should the paper fail around it."""
    return _p(value or empty, style, Source(f"Risk {risk.reference}", field, len(value or "")))


def _pdf_intro(paper: BafPaper, s: PdfStyles) -> list:
    previous = (
        f" Movement is shown since the BAF as at {long_date(paper.previous_as_at)}."
        if paper.previous_as_at
        else ""
    )
    return [
        _p(paper.title, s.h1),
        _p(
            f"{paper.organisation_name} ({paper.ods_code}). Position as at {paper.as_at_text}.{previous}",
            s.body,
        ),
        Spacer(1, 3 * mm),
    ]


def _pdf_heat_map(paper: BafPaper, s: PdfStyles) -> list:
    """The register's heat map: each cell its count, movement and score in words, on the band's colour."""
    conv = convention()
    grid = [
        [_p("Likelihood \\ consequence", s.bold)]
        + [_p(f"{ck} {conv.consequence_label(ck)}", s.bold) for ck in conv.scale]
    ]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.white), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for i, lk in enumerate(reversed(conv.scale), start=1):
        row = [_p(f"{lk} {conv.likelihood_label(lk)}", s.bold)]
        for ck in conv.scale:
            band = conv.band(lk * ck)
            ink = ParagraphStyle(f"c{lk}{ck}", parent=s.cell, textColor=colors.HexColor(band.text_colour))
            row.append(
                Paragraph(
                    f"<b>{paper.heat_count(lk, ck)}</b> {paper.heat_movement(lk, ck)}<br/>"
                    f"score {lk * ck}, {band.label.lower()}",
                    ink,
                )
            )
            style.append(("BACKGROUND", (ck, i), (ck, i), colors.HexColor(band.colour)))
        grid.append(row)
    table = Table(
        grid,
        colWidths=[40 * mm] + [36 * mm] * 5,
        rowHeights=[9 * mm] + [11 * mm] * 5,
        style=TableStyle(style),
    )
    return [
        _p("Heat map of the risk register", s.h2),
        _p(_heat_caption(paper), s.body),
        Spacer(1, 2 * mm),
        table,
    ]


def _pdf_glance(paper: BafPaper, s: PdfStyles, table_class: type[PaperTable]) -> list:
    """Every principal risk on one line: reference, title, objective, scores, movement and assurance rating."""
    rows = [
        [
            _p(risk.reference, s.bold),
            _sourced(risk, "title", risk.title, s.body),
            _p(objective.code, s.body),
            _p(risk.current.text, s.body),
            _p(risk.appetite_text, s.body),
            _p(risk.tolerance_text, s.bold if risk.above_tolerance else s.body),
            _p("\n".join(filter(None, (risk.target.text, risk.target_text))), s.body),
            _p(risk.movement_text, s.body),
            _p(risk.assurance_rating, s.body),
        ]
        for objective, risk in _rows(paper)
    ]
    if not rows:
        return []
    return [_p("Principal risks at a glance", s.h2), _pdf_table(rows, GLANCE_COLUMNS, s, table_class)]


def _pdf_table(rows: list, columns, s: PdfStyles, table_class: type[PaperTable]) -> Table:
    """A gridded table under a grey header row repeated on every page."""
    return table_class(
        [[_p(name, s.bold) for name, _ in columns], *rows],
        colWidths=[width * mm for _, width in columns],
        repeatRows=1,
        style=TableStyle([*TABLE_STYLE, ("BACKGROUND", (0, 0), (-1, 0), GREY)]),
    )


def _pdf_controls(risk: PaperRisk, s: PdfStyles) -> list:
    """Each control, bulleted, with the sources of assurance on it beneath."""
    cell: list = []
    for number, control in enumerate(risk.controls, start=1):
        cell.append(_sourced(risk, f"control {number}", "• " + control.text, s.body))
        cell += [
            _sourced(
                risk,
                f"control {number}, assurance {index}",
                a.text,
                s.indented,
            )
            for index, a in enumerate(control.assurances, start=1)
        ]
    return cell or [_p("None recorded", s.body)]


def _pdf_risk(risk: PaperRisk, s: PdfStyles, table_class: type[PaperTable]) -> list:
    """A principal risk in full: its scores, then its controls, gaps, actions, indicators and the risks beneath."""
    summary = _pdf_table(
        [
            [
                _p(risk.reference, s.bold),
                _sourced(risk, "title", risk.title, s.body),
                _p(f"{risk.lead_executive}\n{risk.lead_committee}\n{risk.review_text}", s.body),
                _p(risk.inherent.text, s.body),
                _p(risk.current.text, s.body),
                _p(risk.target.text, s.body),
                _p(risk.movement_text, s.body),
                _p(risk.assurance_rating, s.body),
            ]
        ],
        RISK_COLUMNS,
        s,
        table_class,
    )
    actions = [
        _sourced(risk, f"mitigating action {a.reference}", _action_line(a), s.body) for a in risk.actions
    ]
    indicators = "\n".join(f"{i.name}: {i.latest}. {i.variation}." for i in risk.indicators)
    width = sum(w for _, w in RISK_COLUMNS)
    gaps = [_sourced(risk, f"gap {n}", g.text, s.body) for n, g in enumerate(risk.gaps, start=1)]
    detail = table_class(
        [
            [_p("Against appetite", s.bold), _p(f"{risk.appetite_text}. {risk.tolerance_text}.", s.body)],
            [
                _p("Target date and trajectory", s.bold),
                _p(risk.target_text or "No target date set", s.body),
            ],
            [_p("Consequence domain", s.bold), _p(risk.consequence_domain or "Not recorded", s.body)],
            [_p("Assurance rating", s.bold), _sourced(risk, "assurance rating", risk.rating_text, s.body)],
            [_p("Controls and assurances", s.bold), _pdf_controls(risk, s)],
            [_p("Gaps and the actions that close them", s.bold), gaps or _p("None recorded", s.body)],
            [_p("Gaps in control", s.bold), _sourced(risk, "gaps in control", risk.gaps_in_control, s.body)],
            [
                _p("Gaps in assurance", s.bold),
                _sourced(risk, "gaps in assurance", risk.gaps_in_assurance, s.body),
            ],
            [_p("Mitigating actions", s.bold), actions or _p("None linked", s.body)],
            [_p("Key risk indicators", s.bold), _p(indicators or "None linked", s.body)],
            [_p("Operational risks beneath it", s.bold), _p(risk.beneath_text, s.body)],
        ],
        colWidths=[DETAIL_LABEL_WIDTH * mm, (width - DETAIL_LABEL_WIDTH) * mm],
        style=TableStyle(TABLE_STYLE),
    )
    return [summary, detail]


def _action_line(action) -> str:
    return f"{action.reference} ({action.status}, {action.due or 'no timescale'}): {action.title}"


def _pdf_objectives(paper: BafPaper, s: PdfStyles, table_class: type[PaperTable]) -> list:
    """Each objective's principal risks in full, from a new page: the objective's heading stays with its first
    risk, and each risk stays whole on a page where it fits one."""
    story: list = [PageBreak()] if paper.objectives else []
    for objective in paper.objectives:
        heading = _p(f"{objective.code}: {objective.title}", s.h2)
        for number, risk in enumerate(objective.risks):
            story.append(
                KeepTogether(
                    [heading] * (number == 0) + [*_pdf_risk(risk, s, table_class), Spacer(1, 4 * mm)]
                )
            )
    return story


def _pdf_footer(paper: BafPaper, fonts):
    """What every page carries at its foot: the organisation, the date and the page number."""
    words = xml_safe(
        f"{paper.organisation_name}: board assurance framework as at {paper.as_at_text}. "
        f"Produced {long_date(paper.generated_at)}."
    )

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(INK)
        canvas.drawString(12 * mm, 7 * mm, words)
        canvas.drawRightString(PDF_PAGE[0] - 12 * mm, 7 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return footer


def render_pdf(paper: BafPaper) -> bytes:
    """The BAF paper as PDF bytes; a text it cannot be laid out around is named (PaperContentError)."""
    s = PdfStyles(paper_fonts())
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=PDF_PAGE,
        title=paper.title,
        author=paper.organisation_name,
        invariant=1,
        **PDF_MARGINS,
    )
    table_class = framed_table(document.height - PDF_FRAME_PADDING)
    story = [
        *_pdf_intro(paper, s),
        *_pdf_heat_map(paper, s),
        *_pdf_glance(paper, s, table_class),
        *_pdf_objectives(paper, s, table_class),
    ]
    footer = _pdf_footer(paper, s.fonts)
    build_naming_text(document, story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
