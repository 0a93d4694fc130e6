"""The board paper as an editable Word document: real tables, named styles, a trust's own template if given.

A trust template (.docx) lends its styles, page set-up, headers and theme: its body is cleared and the paper is
written with these paragraph styles, created only when the template does not define them already, so a trust
restyles the paper by defining them in its template:

- "Title", "Heading 1", "Heading 2", "Heading 3": the paper's title and headings;
- "Board Paper Body": ordinary text; "Board Paper Small": notes under headings;
- "Board Paper Table Text" and "Board Paper Table Heading": table cells and table header rows;
- "Board Paper Legend": the status key, printed once, where the tables of actions begin.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from wellled.core.formatting import long_date
from wellled.core.text import xml_safe

from .board_paper import BoardPaper, Row, StatusInfo

QUOTE_ENTITY = {'"': "&quot;"}  # for text inside a double-quoted XML attribute
BLUE = "005EB8"
GREY = "E8EDEE"
BORDER = "AEB7BD"
TEXT = RGBColor(0x21, 0x2B, 0x32)
MUTED = RGBColor(0x4C, 0x62, 0x72)

BODY, SMALL, CELL, CELL_HEAD, LEGEND = (
    "Board Paper Body",
    "Board Paper Small",
    "Board Paper Table Text",
    "Board Paper Table Heading",
    "Board Paper Legend",
)

# Column widths (mm) of the plan tables and the exception tables; they add up to the landscape text width.
PLAN_COLUMNS = (
    ("Ref", 14),
    ("Planned action", 48),
    ("Timescale", 27),
    ("Lead", 17),
    ("Success measure", 38),
    ("Progress update", 106),
    ("Status", 23),
)
EXCEPTION_COLUMNS = (
    ("Ref", 14),
    ("Planned action", 70),
    ("Lead", 20),
    ("Timescale", 34),
    ("Latest progress", 112),
    ("Status", 23),
)
MEASURE_COLUMNS = (
    ("Measure", 70),
    ("Latest", 36),
    ("Variation", 45),
    ("Assurance", 45),
    ("Target", 25),
    ("Actions", 52),
)


def render_docx(paper: BoardPaper, *, template: str | Path | bytes | None = None) -> bytes:
    """The paper as .docx bytes; with `template` (a path, or a .docx's bytes), that document's styles and page
    set-up are used."""
    if isinstance(template, bytes):
        document = Document(io.BytesIO(template))
    else:
        document = Document(str(template)) if template else Document()
    if template:
        _clear_body(document)
    else:
        _landscape(document)
    _ensure_styles(document)
    _running_header_footer(document, paper)
    writer = _Writer(document, paper)
    writer.front_page()
    writer.exceptions()
    writer.part_a()
    writer.part_b()
    writer.measures()
    document.core_properties.title = xml_safe(f"{paper.plan_name}: position as at {paper.as_at_text}")
    document.core_properties.author = xml_safe(paper.trust_name)
    document.core_properties.subject = "Board paper: delivery status"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Document set-up ------------------------------------------------------------------------------------------------


def _clear_body(document) -> None:
    """Remove the template's content, keeping its final section properties (page size, headers)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(12)
    section.top_margin, section.bottom_margin = Mm(16), Mm(14)
    section.header_distance = section.footer_distance = Mm(7)


def _ensure_styles(document) -> None:
    """Create the paper's named styles unless the (trust) template already defines them."""
    styles = document.styles
    names = {s.name for s in styles}

    def paragraph_style(name, *, size, bold=False, colour=None, base="Normal", after=3, before=0):
        if name in names:
            return
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if "Normal" in names and base:
            style.base_style = styles[base]
        style.font.size = Pt(size)
        style.font.bold = bold
        if colour is not None:
            style.font.color.rgb = colour
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.space_before = Pt(before)
        names.add(name)

    if "Normal" in names and not _has_font(styles["Normal"]):
        styles["Normal"].font.name = "Arial"
        styles["Normal"].font.size = Pt(10)
    for heading, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        paragraph_style(heading, size=size, bold=True, colour=TEXT, after=4, before=8)
    paragraph_style(BODY, size=10, colour=TEXT)
    paragraph_style(SMALL, size=8.5, colour=MUTED)
    paragraph_style(CELL, size=8, colour=TEXT, after=0)
    paragraph_style(CELL_HEAD, size=8.5, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF), after=0)
    paragraph_style(LEGEND, size=7, colour=TEXT, after=0)


def _has_font(style) -> bool:
    return bool(style.font.name)


def _running_header_footer(document, paper: BoardPaper) -> None:
    """Trust and date at the top of every page, "Page N of M" at the foot."""
    section = document.sections[-1]
    header = _own_paragraph(section.header)
    header.style = document.styles[SMALL]
    run = header.add_run(xml_safe(f"{paper.trust_name} ({paper.ods_code})"))
    run.bold = True
    header.add_run(xml_safe(f"\t\t{paper.plan_name} · position as at {paper.as_at_text}"))
    footer = _own_paragraph(section.footer)
    footer.style = document.styles[SMALL]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _own_paragraph(part):
    """An empty paragraph of a header or footer for the paper's own line: the first if it is empty, else a new one
    after what a trust's template put there (its logo or wording stays)."""
    paragraphs = part.paragraphs
    if paragraphs and not paragraphs[0].text.strip() and not paragraphs[0]._p.xpath(".//w:drawing"):
        paragraphs[0].text = ""
        return paragraphs[0]
    return part.add_paragraph()


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


# Cell helpers ---------------------------------------------------------------------------------------------------


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())
    tc_pr.append(shd)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _set_text(cell, text: str, style_id: str, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    """Write text into a cell's first paragraph (the style set by id: python-docx's lookup by style is slow)."""
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id
    if text:
        run = paragraph.add_run(xml_safe(text))
        if bold:
            run.bold = True
        if colour is not None:
            run.font.color.rgb = colour


def _cells(row, table) -> list:
    """A row's cells, straight from its XML: python-docx's row.cells walks the whole table (quadratic)."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _runs_xml(text: str, *, bold: bool = False, colour: str = "", size_half_points: int = 0) -> str:
    """Runs for text, line breaks kept (as w:br), characters XML cannot hold dropped."""
    props = (
        ("<w:b/>" if bold else "")
        + (f'<w:color w:val="{colour}"/>' if colour else "")
        + (f'<w:sz w:val="{size_half_points}"/>' if size_half_points else "")
    )
    r_pr = f"<w:rPr>{props}</w:rPr>" if props else ""
    lines = xml_safe(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return f"<w:r>{r_pr}{body}</w:r>" if text else ""


def _cell_xml(width_twips: int, style_id: str, runs: str, *, fill: str = "", centre: bool = False) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    jc = '<w:jc w:val="center"/>' if centre else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/>{shading}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{escape(style_id, QUOTE_ENTITY)}"/>{jc}</w:pPr>{runs}</w:p></w:tc>'
    )


def _status_xml(width_twips: int, style_id: str, status: StatusInfo | None) -> str:
    """The status cell: its code on its colour, the label beneath (colour never alone)."""
    if status is None:
        runs = _runs_xml("–", bold=True) + _runs_xml("\nNo update", size_half_points=14)
        return _cell_xml(width_twips, style_id, runs, centre=True)
    colour = status.text_colour.lstrip("#").upper()
    runs = _runs_xml(status.code, bold=True, colour=colour) + _runs_xml(
        f"\n{status.label}", colour=colour, size_half_points=14
    )
    return _cell_xml(width_twips, style_id, runs, fill=status.colour.lstrip("#").upper(), centre=True)


def _repeat_header(row) -> None:
    """Mark a table row as a header row that Word repeats at the top of every page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _borders(table) -> None:
    """Thin grey borders on every cell, independent of the table styles a template has (schema order kept)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), BORDER)
        borders.append(element)
    successors = [tbl_pr.find(qn(f"w:{name}")) for name in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    following = next((element for element in successors if element is not None), None)
    if following is not None:
        following.addprevious(borders)
    else:
        tbl_pr.append(borders)


class _Writer:
    """Writes the paper's parts into the document, in the same order as the PDF."""

    def __init__(self, document, paper: BoardPaper):
        self.document = document
        self.paper = paper
        self.styles = {name: document.styles[name] for name in (BODY, SMALL, CELL, CELL_HEAD, LEGEND)}
        self.ids = {name: style.style_id for name, style in self.styles.items()}

    # Building blocks

    def heading(self, text: str, level: int):
        style = "Title" if level == 0 else f"Heading {level}"
        return self.document.add_paragraph(xml_safe(text), style=self.document.styles[style])

    def para(self, text: str = "", style: str = BODY):
        return self.document.add_paragraph(xml_safe(text), style=self.styles[style])

    def page_break(self) -> None:
        self.document.add_paragraph(style=self.styles[BODY]).add_run().add_break(WD_BREAK.PAGE)

    def table(self, columns: tuple[tuple[str, int], ...]):
        table = self.document.add_table(rows=1, cols=len(columns))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # a fixed layout: Word keeps the column widths below
        _borders(table)
        for grid_col, (_, width) in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), columns, strict=True):
            grid_col.set(qn("w:w"), str(int(Mm(width).twips)))
        head = table.rows[0]
        _repeat_header(head)
        for cell, (title, width) in zip(head.cells, columns, strict=True):
            cell.width = Mm(width)
            _shade(cell, BLUE)
            _set_text(cell, title, self.ids[CELL_HEAD])
        table.widths = [Mm(w) for _, w in columns]
        return table

    def add_row(
        self, table, values: list[str], status: StatusInfo | None, *, bold_first: bool = True
    ) -> None:
        """Append a row of text cells and a status cell, written as XML in one go (python-docx per cell is slow)."""
        widths = [int(w.twips) for w in table.widths]
        style_id = self.ids[CELL]
        cells = "".join(
            _cell_xml(widths[index], style_id, _runs_xml(value or "", bold=bold_first and index == 0))
            for index, value in enumerate(values)
        )
        cells += _status_xml(widths[-1], style_id, status)
        table._tbl.append(parse_xml(f"<w:tr {nsdecls('w')}><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>"))

    def status_cell(self, cell, status: StatusInfo | None) -> None:
        """The status as its code on its colour, with the label beneath: colour never alone."""
        paragraph = cell.paragraphs[0]
        paragraph._p.style = self.ids[CELL]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if status is None:
            paragraph.add_run("–").bold = True
            label = paragraph.add_run("\nNo update")
            label.font.size = Pt(7)
            return
        _shade(cell, status.colour)
        code = paragraph.add_run(xml_safe(status.code))
        code.bold = True
        code.font.color.rgb = _rgb(status.text_colour)
        label = paragraph.add_run(xml_safe(f"\n{status.label}"))
        label.font.size = Pt(7)
        label.font.color.rgb = _rgb(status.text_colour)

    def count_row(self, table, title: str, count: int, which: str) -> None:
        """A summary row: what is counted, how many, and which ones ("None" when there are none)."""
        cells = _cells(table.add_row(), table)
        for cell, width in zip(cells, table.widths, strict=True):
            cell.width = width
        _set_text(cells[0], title, self.ids[CELL], bold=True)
        _set_text(cells[1], str(count), self.ids[CELL], bold=True)
        _set_text(cells[2], which or "None", self.ids[CELL])

    def group_row(self, table, text: str) -> None:
        row = table.add_row()
        _cant_split(row)
        first, *rest = row._tr.tc_lst
        for tc in rest:  # one cell spanning the whole row (what merge() does, without walking the table)
            row._tr.remove(tc)
        merged = _Cell(first, table)
        merged.width = sum(table.widths, Mm(0))
        first.get_or_add_tcPr().get_or_add_gridSpan().val = len(rest) + 1
        _shade(merged, GREY)
        _set_text(merged, text, self.ids[CELL], bold=True)

    def legend(self) -> None:
        """The status key, as a one-row table of codes on their colours with their meanings."""
        statuses = [*self.paper.statuses, None]
        table = self.document.add_table(rows=1, cols=len(statuses) * 2)
        table.autofit = False
        widths = []
        for _ in statuses:
            widths += [Mm(10), Mm(263 / len(statuses) - 10)]
        for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            grid_col.set(qn("w:w"), str(int(width.twips)))
        cells = table.rows[0].cells
        for index, status in enumerate(statuses):
            code_cell, text_cell = cells[index * 2], cells[index * 2 + 1]
            code_cell.width, text_cell.width = widths[index * 2], widths[index * 2 + 1]
            paragraph = code_cell.paragraphs[0]
            paragraph._p.style = self.ids[LEGEND]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if status is None:
                paragraph.add_run("–").bold = True
                _set_text(text_cell, "", self.ids[LEGEND])
                text_cell.paragraphs[0].add_run("No update: ").bold = True
                text_cell.paragraphs[0].add_run("no progress reported yet.")
                continue
            _shade(code_cell, status.colour)
            run = paragraph.add_run(xml_safe(status.code))
            run.bold = True
            run.font.color.rgb = _rgb(status.text_colour)
            _set_text(text_cell, "", self.ids[LEGEND])
            text_cell.paragraphs[0].add_run(xml_safe(f"{status.label}: ")).bold = True
            text_cell.paragraphs[0].add_run(xml_safe(status.meaning))
        self.para(
            "Status key: each status is printed as its code on its colour, in every table of this paper.",
            SMALL,
        )

    # The paper's parts

    def front_page(self) -> None:
        paper = self.paper
        kicker = self.para(f"{paper.trust_name} ({paper.ods_code})", BODY)
        kicker.runs[0].bold = True
        kicker.runs[0].font.color.rgb = _rgb(BLUE)
        self.heading(f"{paper.plan_name}: delivery status", 0)
        self.heading(f"Position as at {paper.as_at_text}", 1)
        previous = (
            f"position as at {long_date(paper.movement.baseline_date)}"
            if paper.movement.has_baseline
            else "none"
        )
        self.para(
            f"{paper.plan_kind} · reporting cycle: {paper.cycle_name or 'none'} · previous paper: {previous} · "
            f"{paper.total} actions · produced {long_date(paper.produced_on)}",
            SMALL,
        )

        self.heading("Delivery status", 2)
        table = self.table((("Status", 23), ("Meaning", 120), ("Actions", 20)))
        for count in paper.counts:
            row = table.add_row()
            cells = _cells(row, table)
            for cell, width in zip(cells, table.widths, strict=True):
                cell.width = width
            self.status_cell(cells[0], count.status)
            meaning = (
                f"{count.label}: {count.status.meaning}"
                if count.status
                else "No update: no progress reported yet."
            )
            _set_text(cells[1], meaning, self.ids[CELL])
            _set_text(cells[2], str(count.count), self.ids[CELL], bold=True)
        _set_text(
            _cells(table.add_row(), table)[1], f"Total: {paper.total} actions", self.ids[CELL], bold=True
        )

        self.heading("Since the previous paper", 2)
        movement = paper.movement
        if movement.has_baseline:
            self.para(f"Compared with the position as at {long_date(movement.baseline_date)}.", SMALL)
            table = self.table((("Change", 40), ("Actions", 20), ("Which", 203)))
            for title, changes in (
                ("Improved", movement.improved),
                ("Worsened", movement.worsened),
                ("Newly completed", movement.newly_completed),
                ("Timescale slipped", movement.slipped),
            ):
                self.count_row(
                    table,
                    title,
                    len(changes),
                    ", ".join(
                        f"{c.row.reference} ({c.note})"
                        if c.note
                        else f"{c.row.reference} ({c.before.code if c.before else '–'} → {c.after.code if c.after else '–'})"
                        for c in changes
                    ),
                )
        else:
            self.para("This is the first paper for this plan: there is no earlier position to compare with.")

        self.heading("Exceptions at a glance", 2)
        exceptions = paper.exceptions
        table = self.table((("Exception", 60), ("Actions", 20), ("Which", 183)))
        for title, rows, show in (
            ("At risk or off track", exceptions.at_risk, "status"),
            ("Timescales slipped this cycle", exceptions.slipped, ""),
            ("Updates awaited", exceptions.awaiting, "leads"),
        ):
            self.count_row(
                table,
                title,
                len(rows),
                ", ".join(
                    f"{r.reference} ({r.status_code})"
                    if show == "status"
                    else f"{r.reference} ({r.leads})"
                    if show == "leads"
                    else r.reference
                    for r in rows
                ),
            )

    def exceptions(self) -> None:
        self.page_break()
        self.heading("Exceptions", 1)
        self.para("What the board should look at first.", SMALL)
        self.legend()  # once, before the first table of actions: every table after it uses the same codes
        exceptions = self.paper.exceptions
        for title, rows, empty in (
            ("Actions at risk or off track", exceptions.at_risk, "No open action is at risk or off track."),
            ("Timescales slipped this cycle", exceptions.slipped, "No timescale was revised this cycle."),
            ("Updates awaited", exceptions.awaiting, "Every open action has an update this cycle."),
            *(
                (
                    (
                        "Complete, but the measure has not improved",
                        exceptions.not_improved,
                        "No completed action has a measure showing concern or failing its target.",
                    ),
                )
                if self.paper.measures
                else ()
            ),
        ):
            self.heading(f"{title} ({len(rows)})", 2)
            if not rows:
                self.para(empty)
                continue
            table = self.table(EXCEPTION_COLUMNS)
            for row in rows:
                self.add_row(
                    table, [row.reference, row.title, row.leads, _timescale(row), _progress(row)], row.status
                )

    def part_a(self) -> None:
        self.page_break()
        self.heading("Part A: delivery status by section", 1)
        if not self.paper.part_a:
            self.para("The plan has no actions yet.")
            return
        table = self.table(PLAN_COLUMNS)
        for block in self.paper.part_a:
            self.group_row(table, block.heading)
            if block.about:
                self.group_row(table, block.about)
            for row in block.rows:
                self.plan_row(table, row)

    def part_b(self) -> None:
        if not self.paper.part_b:
            return
        self.page_break()
        self.heading(self.paper.part_b_title, 1)
        table = self.table(PLAN_COLUMNS)
        for block in self.paper.part_b:
            kind = f" ({block.finding_type})" if block.finding_type else ""
            self.group_row(table, f"{block.number}. {block.text}{kind}")
            for row in block.rows:
                self.plan_row(table, row)

    def plan_row(self, table, row: Row) -> None:
        self.add_row(
            table,
            [row.reference, row.title, _timescale(row), row.leads, _success_measure(row), _progress(row)],
            row.status,
        )

    def measures(self) -> None:
        """The measures the plan's actions were meant to move: latest value, variation, assurance, target."""
        if not self.paper.measures:
            return
        self.page_break()
        self.heading("Measures: has it improved?", 1)
        self.para(
            "Each measure's variation and assurance are read from its statistical process control chart "
            "(Making Data Count), using the data for periods up to the position date.",
            SMALL,
        )
        table = self.table(MEASURE_COLUMNS)
        widths = [int(w.twips) for w in table.widths]
        style_id = self.ids[CELL]
        for line in self.paper.measures:
            latest = (
                f"{line.latest}\n{line.latest_period} · {line.points} points"
                if line.latest
                else "No data yet"
            )
            values = [
                line.name,
                latest,
                line.variation_label,
                line.assurance_label,
                line.target or "None",
                ", ".join(line.references),
            ]
            cells = "".join(
                _cell_xml(widths[i], style_id, _runs_xml(v, bold=i == 0)) for i, v in enumerate(values)
            )
            table._tbl.append(
                parse_xml(f"<w:tr {nsdecls('w')}><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
            )


def _success_measure(row: Row) -> str:
    risks = "".join(f"\nMitigates risk {text}" for text in row.risks)
    return _success_measure_text(row) + risks


def _success_measure_text(row: Row) -> str:
    if row.measure is None:
        return row.success_measure
    info = row.measure
    if not info.latest:
        linked = f"Measure: {info.name}\nNo data yet."
    else:
        linked = (
            f"Measure: {info.name}\n{info.latest} ({info.latest_period})\n{info.variation_label}\n"
            f"{info.assurance_label}\nTarget {info.target}: {info.met_text.lower()}"
        )
    return f"{row.success_measure}\n{linked}" if row.success_measure else linked


def _timescale(row: Row) -> str:
    text = row.timescale or "Not set"
    return f"{text}\nOverdue" if row.overdue else text


def _progress(row: Row) -> str:
    if not row.progress:
        return "Update awaited." if row.update_awaited else "No update yet."
    note = f"\nReported {long_date(row.progress_date)}" if row.progress_date else ""
    if row.update_awaited:
        note += " · update awaited this cycle"
    return row.progress + note
