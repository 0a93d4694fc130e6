"""The board paper as a PDF, drawn with ReportLab: A4 landscape, the trust and date at the top of every page,
the status key and "Page N of M" at the foot, table headers repeated on every page, rows kept whole.

ReportLab lays out a 500-action paper in a few seconds where an HTML engine took over a minute
(docs/decisions/0008-pdf-with-reportlab.md). User text is escaped before it reaches ReportLab's markup.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from wellled.core.collector import collector_paused
from wellled.core.formatting import long_date, short_date
from wellled.spc.icons import assurance_colour, variation_colour
from wellled.spc.types import Assurance, Variation

from .board_paper import ARROW, NO_UPDATE_LABEL, BoardPaper, MeasureInfo, Row, StatusInfo
from .pdf_layout import (
    CellParagraph,
    PaperTable,
    Source,
    build_naming_text,
    draft_pages_marked,
    draft_pages_reused,
    drafting_band,
    framed_table,
    text_pieces,
)
from .snapshot import checksum, paper_to_data

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN_X = 12 * mm
MARGIN_TOP = 17 * mm
MARGIN_FOOT = 9 * mm  # below the status key: the "Produced" line and the page number
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

# NHS identity colours (service-manual.nhs.uk/design-system/styles/colour).
BLUE = colors.HexColor("#005eb8")
TEXT = colors.HexColor("#212b32")
MUTED = colors.HexColor("#4c6272")
BORDER = colors.HexColor("#aeb7bd")
GROUP = colors.HexColor("#e8edee")
FLAG = colors.HexColor("#8a1538")
WHITE = colors.white

# Column widths in millimetres; each set adds up to the text width of a landscape A4 page (273 mm).
PLAN_COLUMNS = (
    ("Ref", 16),
    ("Planned action", 47),
    ("Timescale", 27),
    ("Lead", 17),
    ("Success measure", 46),
    ("Progress update", 96),
    ("Status", 24),
)
EXCEPTION_COLUMNS = (
    ("Ref", 16),
    ("Planned action", 66),
    ("Lead", 20),
    ("Timescale", 34),
    ("Latest progress", 113),
    ("Status", 24),
)
MEASURE_COLUMNS = (
    ("Measure", 70),
    ("Latest", 34),
    ("Variation", 52),
    ("Assurance", 52),
    ("Target", 25),
    ("Actions", 40),
)
# The cells of a row in each kind of table, by name, in the order of the columns above.
PLAN_CELLS = ("ref", "title", "timescale", "leads", "success", "progress", "status")
EXCEPTION_CELLS = ("ref", "title", "leads", "timescale", "progress", "status")
# A heading up to this many characters of markup (about nine lines) stays on a page with its first action; a
# longer one (a finding at its 4,000-character limit) may end a page, as the two together may not fit on one.
HEADING_KEPT_CHARS = 1_500
# Leads up to this many characters are a plain cell; longer ones wrap.
SHORT_CELL = 10
# The name of the status key drawn once in a PDF and shown at the foot of every page (a PDF form XObject).
LEGEND_FORM = "status-key"
# The front page lists at most this many references per line; the Exceptions part lists them all.
FRONT_PAGE_REFS = 12

# Fonts: a Unicode TrueType family when the machine has one (arrows, accents), else PDF's built-in Helvetica.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
)


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    unicode: bool  # False: Helvetica, which has no arrow glyph


@lru_cache(maxsize=1)
def paper_fonts() -> Fonts:
    """Register the first Unicode font family found on the machine (once per process)."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("WellledSans", regular))
            pdfmetrics.registerFont(TTFont("WellledSans-Bold", bold))
            pdfmetrics.registerFontFamily(
                "WellledSans",
                normal="WellledSans",
                bold="WellledSans-Bold",
                italic="WellledSans",
                boldItalic="WellledSans-Bold",
            )
            return Fonts("WellledSans", "WellledSans-Bold", True)
    return Fonts("Helvetica", "Helvetica-Bold", False)


# The paper's paragraph styles by name: size, bold, colour, leading, space after and before, alignment.
STYLE_SPECS: dict[str, tuple] = {
    "title": (22, True, TEXT, None, 6, 0, 0),
    "as_at": (15, True, TEXT, None, 6, 0, 0),
    "h2": (14, True, TEXT, None, 4, 6, 0),
    "h3": (11, True, TEXT, None, 4, 8, 0),
    "body": (9.5, False, TEXT, None, 0, 0, 0),
    "small": (8, False, MUTED, None, 3, 0, 0),
    "cell": (8, False, TEXT, 9.8, 0, 0, 0),
    "cell_bold": (8, True, TEXT, 9.8, 0, 0, 0),
    "cell_small": (6.8, False, MUTED, 8.2, 0, 0, 0),
    "head": (8.5, True, WHITE, None, 0, 0, 0),
    "status": (10, True, TEXT, 11, 0, 0, TA_CENTER),
    "count": (20, True, TEXT, 22, 0, 0, 0),
    "num": (13, True, TEXT, 15, 0, 0, TA_RIGHT),
    "legend": (7, False, TEXT, 9, 0, 0, 0),
    "fact_label": (8, False, MUTED, None, 0, 0, 0),
    "fact": (9.5, True, TEXT, None, 0, 0, 0),
}


@lru_cache(maxsize=4)
def paragraph_styles(fonts: Fonts) -> dict[str, ParagraphStyle]:
    """The paragraph styles in these fonts, made once per process: the same style objects from paper to paper, so
    markup parsed for a style is parsed once (reports.pdf_layout.cell_fragments). Never change one in place."""
    return {
        key: ParagraphStyle(
            key.replace("_", "-"),
            fontName=fonts.bold if bold else fonts.regular,
            fontSize=size,
            leading=leading or size * 1.25,
            textColor=colour,
            spaceAfter=after,
            spaceBefore=before,
            alignment=align,
        )
        for key, (size, bold, colour, leading, after, before, align) in STYLE_SPECS.items()
    }


class Styles:
    """The paper's paragraph styles, and the table class for its frame."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self.table_class: type[PaperTable] = framed_table(
            PAGE_HEIGHT
        )  # given the frame's height by render_pdf
        named = paragraph_styles(fonts)
        self.title = named["title"]
        self.as_at = named["as_at"]
        self.h2 = named["h2"]
        self.h3 = named["h3"]
        self.body = named["body"]
        self.small = named["small"]
        self.cell = named["cell"]
        self.cell_bold = named["cell_bold"]
        self.cell_small = named["cell_small"]
        self.head = named["head"]
        self.status = named["status"]
        self.count = named["count"]
        self.num = named["num"]
        self.legend = named["legend"]
        self.fact_label = named["fact_label"]
        self.fact = named["fact"]


def text(value: str, fonts: Fonts) -> str:
    """User text as ReportLab markup: escaped, line breaks kept, arrows spelt out where the font has none."""
    value = escape(value or "").replace("\r\n", "\n").replace("\n", "<br/>")
    return value if fonts.unicode else value.replace(ARROW, "-&gt;")


def hex_colour(value: str) -> colors.Color:
    try:
        return colors.HexColor(value if value.startswith("#") else f"#{value}")
    except (ValueError, AttributeError):
        return BORDER


# Pages: running header, status key, "Page N of M" ----------------------------------------------------------------


def numbered_canvas(paper: BoardPaper, styles: Styles) -> type[Canvas]:
    """A canvas that holds its pages back until the end, so each can say "Page N of M"."""
    fonts = styles.fonts

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(fonts.regular, 8)
                self.setFillColor(TEXT)
                self.drawRightString(PAGE_WIDTH - MARGIN_X, MARGIN_FOOT - 4 * mm, f"Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def page_decorator(paper: BoardPaper, styles: Styles, legend: Paragraph, legend_height: float) -> Callable:
    """Draw what every page carries: trust and plan at the top, the status key and the producer at the foot."""
    fonts = styles.fonts
    right = f"{paper.plan_name} · position as at {paper.as_at_text}"
    produced = f"Produced {short_date(paper.produced_on)} by Wellled"

    def draw(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN_TOP + 5 * mm
        canvas.setFont(fonts.bold, 8)
        canvas.setFillColor(BLUE)
        canvas.drawString(MARGIN_X, top, f"{paper.trust_name} ({paper.ods_code})")
        canvas.setFont(fonts.regular, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, right)
        canvas.setStrokeColor(BORDER)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 2 * mm, PAGE_WIDTH - MARGIN_X, top - 2 * mm)
        if not canvas.hasForm(LEGEND_FORM):  # the key is laid out once, and each page refers to it
            canvas.beginForm(LEGEND_FORM, upperx=TEXT_WIDTH, uppery=legend_height)
            legend.drawOn(canvas, 0, 0)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(MARGIN_X, MARGIN_FOOT)
        canvas.doForm(LEGEND_FORM)
        canvas.restoreState()
        canvas.line(
            MARGIN_X,
            MARGIN_FOOT + legend_height + 1.5 * mm,
            PAGE_WIDTH - MARGIN_X,
            MARGIN_FOOT + legend_height + 1.5 * mm,
        )
        canvas.setFont(fonts.regular, 7.5)
        canvas.drawString(MARGIN_X, MARGIN_FOOT - 4 * mm, produced)
        canvas.restoreState()

    return draw


def legend_paragraph(paper: BoardPaper, styles: Styles) -> Paragraph:
    """The status key: each code in its colour, its label and what it means."""
    parts = ["<b>Status key</b>"]
    for status in paper.statuses:
        parts.append(
            f"{chip(status, styles.fonts)} <b>{text(status.label, styles.fonts)}</b>: "
            f"{text(status.meaning, styles.fonts)}"
        )
    parts.append(f"{chip(None, styles.fonts)} <b>{NO_UPDATE_LABEL}</b>: no progress reported yet.")
    return Paragraph("&nbsp;&nbsp;&nbsp;".join(parts), styles.legend)


def chip(status: StatusInfo | None, fonts: Fonts) -> str:
    """A status code on its colour, as inline markup (the code is always written, never colour alone)."""
    if status is None:
        return "<b>[–]</b>" if fonts.unicode else "<b>[-]</b>"
    return (
        f'<font backColor="{status.colour}" color="{status.text_colour}"><b>&nbsp;{text(status.code, fonts)}'
        f"&nbsp;</b></font>"
    )


# Cells ---------------------------------------------------------------------------------------------------------


class StatusMark(Flowable):
    """A status cell's content: the code, large, over its label (the cell is shaded in the status colour)."""

    def __init__(self, code: str, label: str, colour: str, fonts: Fonts):
        super().__init__()
        self.code, self.label, self.colour, self.fonts = code, label, colour, fonts
        self.lines: list[str] = []

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        self.width = availWidth
        self.lines = simpleSplit(self.label, self.fonts.regular, 6.8, availWidth) or [""]
        self.height = 12 + 8.2 * len(self.lines)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(hex_colour(self.colour))
        canvas.setFont(self.fonts.bold, 10)
        canvas.drawCentredString(self.width / 2, self.height - 9, self.code)
        canvas.setFont(self.fonts.regular, 6.8)
        for index, line in enumerate(self.lines):
            canvas.drawCentredString(self.width / 2, self.height - 19 - 8.2 * index, line)


class RowCells:
    """Turns a Row into the paragraphs of a table row."""

    def __init__(self, paper: BoardPaper, styles: Styles):
        self.paper, self.s, self.f = paper, styles, styles.fonts

    def p(self, markup: str, style: ParagraphStyle | None = None, source: Source | None = None) -> Paragraph:
        return CellParagraph(markup, style or self.s.cell, source=source)

    def source(self, row: Row, name: str) -> Source:
        """Where a text of the row came from, for the message should the paper fail around it."""
        value = {"title": row.title, "success": row.success_measure, "progress": row.progress}[name]
        field = {"title": "planned action", "success": "success measure", "progress": "progress update"}[name]
        if name == "progress" and row.progress_date:
            field += f" of {short_date(row.progress_date)}"
        return Source(f"Action {row.reference}", field, len(value or ""))

    def ref(self, row: Row) -> Paragraph:
        return self.p(text(row.reference, self.f), self.s.cell_bold)

    def leads(self, row: Row) -> Paragraph | str:
        """Short leads as a plain cell (cheap to lay out), longer ones as a paragraph that wraps."""
        return row.leads if len(row.leads) <= SHORT_CELL else self.p(text(row.leads, self.f))

    def timescale(self, row: Row) -> Paragraph:
        if not row.timescales:
            markup = '<font color="#4c6272"><i>Not set</i></font>'
        else:
            earlier = [f'<font color="#4c6272">{text(t, self.f)}</font>' for t in row.timescales[:-1]]
            arrow = f" {ARROW} " if self.f.unicode else " -&gt; "
            markup = arrow.join([*earlier, f"<b>{text(row.timescales[-1], self.f)}</b>"])
        if row.overdue:
            markup += '<br/><font color="#8a1538" size="6.8"><b>Overdue</b></font>'
        return self.p(markup)

    def progress(self, row: Row, piece: str | None = None, last: bool = True) -> Paragraph:
        if not row.progress:
            empty = "Update awaited." if row.update_awaited else "No update yet."
            return self.p(f'<font color="#4c6272"><i>{empty}</i></font>')
        markup = text(row.progress if piece is None else piece, self.f)
        source = self.source(row, "progress")
        if not last:
            return self.p(markup, source=source)
        note = f"Reported {short_date(row.progress_date)}" if row.progress_date else "Reported"
        if row.update_awaited:
            note += " · update awaited this cycle"
        return self.p(f'{markup}<br/><font color="#4c6272" size="6.8">{note}</font>', source=source)

    def success_measure(self, row: Row, piece: str | None = None, last: bool = True) -> Paragraph:
        markup = text(row.success_measure if piece is None else piece, self.f)
        if row.measure and last:
            markup += ("<br/>" if markup else "") + measure_markup(row.measure, self.f)
        if row.risks and last:
            risks = "<br/>".join(f"Mitigates risk {text(r, self.f)}" for r in row.risks)
            markup += ("<br/>" if markup else "") + f'<font size="7">{risks}</font>'
        return self.p(markup, source=self.source(row, "success"))

    def title(self, row: Row, piece: str | None = None) -> Paragraph:
        return self.p(text(row.title if piece is None else piece, self.f), source=self.source(row, "title"))

    def continued(self, row: Row) -> Paragraph:
        return self.p(f'<font color="#4c6272" size="6.8">{text(row.reference, self.f)} (continued)</font>')

    def plan_rows(self, row: Row) -> list[list]:
        """The row in Part A or B, and continuation rows when a text is too long for one table row to fit well
        inside a page (ADR 0021)."""
        return self._rows(row, PLAN_CELLS, PLAN_COLUMNS)

    def exception_rows(self, row: Row) -> list[list]:
        """As plan_rows, for the exception tables' columns."""
        return self._rows(row, EXCEPTION_CELLS, EXCEPTION_COLUMNS)

    def _rows(self, row: Row, cells: Sequence[str], columns: Sequence[tuple[str, float]]) -> list[list]:
        """The row's cells by name; each long text cut into pieces of whole lines, one piece a row, the other
        cells on the first row only and "(continued)" under the reference."""
        values = {"title": row.title, "success": row.success_measure, "progress": row.progress}
        widths = {name: width for name, (_, width) in zip(cells, columns, strict=True)}
        pieces = {
            name: text_pieces(values[name] or "", widths[name], self.f.regular)
            for name in values
            if name in cells
        }
        count = max(len(p) for p in pieces.values())
        return [[self._cell(name, row, pieces, index, count) for name in cells] for index in range(count)]

    def _cell(self, name: str, row: Row, pieces: dict[str, list[str]], index: int, count: int):
        first, last = index == 0, index == count - 1
        if name in pieces:
            part = pieces[name][index] if index < len(pieces[name]) else ""
            if name == "title":
                return self.title(row, part)
            if name == "success":
                return self.success_measure(row, part, last=last)
            return self.progress(row, part, last=last)
        if name == "ref":
            return self.ref(row) if first else self.continued(row)
        return getattr(self, name)(row) if first else ""

    def status(self, row: Row) -> StatusMark:
        if row.status is None:
            return StatusMark("–" if self.f.unicode else "-", NO_UPDATE_LABEL, "#212b32", self.f)
        return StatusMark(row.status.code, row.status.label, row.status.text_colour, self.f)


def measure_markup(info: MeasureInfo, fonts: Fonts) -> str:
    """An action's linked measure in a cell: latest value, the icons' meaning in words, target met or not."""
    dot = "●" if fonts.unicode else "*"
    lines = [f"<b>Measure:</b> {text(info.name, fonts)}"]
    if info.latest:
        lines.append(f"{text(info.latest, fonts)} ({text(info.latest_period, fonts)})")
        v_colour = variation_colour(Variation(info.variation)) if info.variation else "#768692"
        a_colour = assurance_colour(Assurance(info.assurance) if info.assurance else None)
        lines.append(f'<font color="{v_colour}">{dot}</font> {text(info.variation_label, fonts)}')
        lines.append(f'<font color="{a_colour}">{dot}</font> {text(info.assurance_label, fonts)}')
        lines.append(f"Target {text(info.target, fonts)}: <b>{info.met_text.lower()}</b>")
    else:
        lines.append('<font color="#4c6272"><i>No data yet.</i></font>')
    return f'<font size="7">{"<br/>".join(lines)}</font>'


def icon(kind: str, value: str, fonts: Fonts, size: float = 7 * mm) -> Drawing:
    """Our small SPC icon for a table cell: a ring in the icon's colour around H, L, P, F, ? or a dash."""
    if kind == "variation":
        variation = Variation(value) if value else None
        colour = variation_colour(variation) if variation else "#768692"
        # No letter without special cause: common cause, or a series too short for limits (no verdict at all).
        quiet = (None, Variation.COMMON_CAUSE, Variation.TOO_FEW_POINTS)
        letter = "" if variation in quiet else ("H" if value.endswith("high") else "L")
    else:
        assurance = Assurance(value) if value else None
        colour = assurance_colour(assurance)
        letter = {Assurance.PASS: "P", Assurance.FAIL: "F", Assurance.HIT_OR_MISS: "?"}.get(assurance, "–")
        if not fonts.unicode and letter == "–":
            letter = "-"
    drawing = Drawing(size, size)
    ring = hex_colour(colour)
    drawing.add(Circle(size / 2, size / 2, size / 2 - 1, strokeColor=ring, strokeWidth=1.6, fillColor=WHITE))
    drawing.add(
        String(
            size / 2,
            size / 2 - 3.2,
            letter or "~",
            fontName=fonts.bold,
            fontSize=9,
            fillColor=ring,
            textAnchor="middle",
        )
    )
    return drawing


# Tables --------------------------------------------------------------------------------------------------------


def table(
    rows: list[list],
    columns: Sequence[tuple[str, float]],
    styles: Styles,
    extra: list | None = None,
    *,
    status_column: int | None = None,
    status_rows: Sequence[StatusInfo | None] = (),
) -> Table:
    """A bordered table with its header row repeated on every page; rows split only when taller than a page."""
    header = [CellParagraph(name, styles.head) for name, _ in columns]  # wrapped once, drawn on every page
    result = styles.table_class(
        [header, *rows],
        colWidths=[width * mm for _, width in columns],
        repeatRows=1,
        splitByRow=1,
        splitInRow=1,
    )
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, BORDER),
        ("FONT", (0, 1), (-1, -1), styles.fonts.regular, 8, 9.8),
        ("BACKGROUND", (0, 0), (-1, 0), BLUE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if status_column is not None:
        for index, status in enumerate(status_rows, start=1):
            if status is not None:
                commands.append(
                    ("BACKGROUND", (status_column, index), (status_column, index), hex_colour(status.colour))
                )
    result.setStyle(TableStyle(commands + (extra or [])))
    return result


def grouped_table(
    blocks: Sequence[tuple[Paragraph, Sequence[Row], str]], cells: RowCells, styles: Styles
) -> Table:
    """Part A or Part B: one heading row per section or finding, then its actions; a heading never ends a page."""
    rows: list[list] = []
    statuses: list[StatusInfo | None] = []
    extra: list = []
    for heading, block_rows, empty_note in blocks:
        index = len(rows) + 1
        rows.append([heading, "", "", "", "", "", ""])
        statuses.append(None)
        extra += [
            ("SPAN", (0, index), (-1, index)),
            ("BACKGROUND", (0, index), (-1, index), GROUP),
            ("LINEABOVE", (0, index), (-1, index), 1.2, colors.HexColor("#425563")),
        ]
        if len(heading.text) <= HEADING_KEPT_CHARS:
            extra.append(("NOSPLIT", (0, index), (-1, index + 1)))
        if not block_rows and empty_note:
            rows.append(["", CellParagraph(f"<i>{empty_note}</i>", styles.cell), "", "", "", "", ""])
            statuses.append(None)
            extra.append(("SPAN", (1, index + 1), (-1, index + 1)))
        for row in block_rows:
            for piece in cells.plan_rows(row):
                rows.append(piece)
                statuses.append(row.status)
    return table(rows, PLAN_COLUMNS, styles, extra, status_column=6, status_rows=statuses)


# The story -----------------------------------------------------------------------------------------------------


class Story:
    """The flowables of the paper, part by part."""

    def __init__(self, paper: BoardPaper, styles: Styles):
        self.paper, self.s, self.f = paper, styles, styles.fonts
        self.cells = RowCells(paper, styles)

    def refs(self, items: Sequence, *, with_status: bool = True, lead: bool = False) -> str:
        """'W1a [R], W2b [A/R], ...' for the front page, cut after FRONT_PAGE_REFS with the number left."""
        shown = []
        for item in items[:FRONT_PAGE_REFS]:
            row = getattr(item, "row", item)
            part = f"<b>{text(row.reference, self.f)}</b>"
            if with_status and hasattr(item, "before"):
                arrow = ARROW if self.f.unicode else "-&gt;"
                part += f"&nbsp;{chip(item.before, self.f)}&nbsp;{arrow}&nbsp;{chip(item.after, self.f)}"
            elif with_status and row.status:
                part += f"&nbsp;{chip(row.status, self.f)}"
            if lead:
                part += f"&nbsp;({text(row.leads, self.f)})"
            if getattr(item, "note", ""):
                part += f' <font size="7">({text(item.note, self.f)})</font>'
            shown.append(part)
        more = len(items) - FRONT_PAGE_REFS
        listed = ", ".join(shown) or "None"
        return listed + (f" and {more} more (see Exceptions)" if more > 0 else "")

    def summary_table(self, lines: Sequence[tuple[int, str, str]], width: float) -> Table:
        data = [
            [
                CellParagraph(str(count), self.s.num),
                CellParagraph(f"<b>{label}</b>", self.s.cell),
                CellParagraph(detail, self.s.cell),
            ]
            for count, label, detail in lines
        ]
        result = Table(data, colWidths=[12 * mm, 36 * mm, width - 48 * mm])
        result.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#d8dde0")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return result

    def front(self) -> list:
        paper, s = self.paper, self.s
        facts = [
            ("Plan", paper.plan_kind),
            ("Reporting cycle", paper.cycle_name or "None"),
            (
                "Previous paper",
                f"Position as at {long_date(paper.movement.baseline_date)}"
                if paper.movement.has_baseline
                else "None",
            ),
            ("Actions", str(paper.total)),
            ("Produced", short_date(paper.produced_on)),
        ]
        fact_table = Table(
            [
                [
                    [CellParagraph(label, s.fact_label), CellParagraph(text(value, self.f), s.fact)]
                    for label, value in facts
                ]
            ],
            colWidths=[TEXT_WIDTH / len(facts)] * len(facts),
        )
        fact_table.setStyle(
            TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        )

        half = TEXT_WIDTH / 2 - 5 * mm
        tiles = [
            [
                CellParagraph(str(c.count), s.count),
                CellParagraph(f"{chip(c.status, self.f)} {text(c.label, self.f)}", s.cell),
            ]
            for c in paper.counts
        ]
        tile_table = Table([tiles], colWidths=[half / max(len(tiles), 1)] * len(tiles))
        tile_commands = [("BOX", (i, 0), (i, 0), 0.6, BORDER) for i in range(len(tiles))]
        tile_commands += [
            ("LINEABOVE", (i, 0), (i, 0), 4, hex_colour(c.status.colour) if c.status else BORDER)
            for i, c in enumerate(paper.counts)
        ]
        tile_table.setStyle(TableStyle([*tile_commands, ("VALIGN", (0, 0), (-1, -1), "TOP")]))

        exceptions = paper.exceptions
        glance = [
            (len(exceptions.at_risk), "At risk or off track", self.refs(exceptions.at_risk)),
            (
                len(exceptions.slipped),
                "Timescales slipped this cycle",
                self.refs(exceptions.slipped, with_status=False),
            ),
            (
                len(exceptions.awaiting),
                "Updates awaited",
                self.refs(exceptions.awaiting, with_status=False, lead=True),
            ),
        ]
        if exceptions.not_improved:
            glance.append(
                (
                    len(exceptions.not_improved),
                    "Complete, measure not improved",
                    self.refs(exceptions.not_improved),
                )
            )
        left = [
            Paragraph("Delivery status", s.h2),
            tile_table,
            Spacer(1, 3),
            Paragraph(
                f"Status is each action's latest progress update recorded by the end of "
                f"{paper.as_at_text}; updates recorded later are not in this paper.",
                s.small,
            ),
            Paragraph("Exceptions at a glance", s.h2),
            self.summary_table(glance, half),
        ]

        movement = paper.movement
        right: list = [Paragraph("Since the previous paper", s.h2)]
        if movement.has_baseline:
            right.append(
                Paragraph(f"Compared with the position as at {long_date(movement.baseline_date)}.", s.small)
            )
            right.append(
                self.summary_table(
                    [
                        (len(movement.improved), "Improved", self.refs(movement.improved)),
                        (len(movement.worsened), "Worsened", self.refs(movement.worsened)),
                        (
                            len(movement.newly_completed),
                            "Newly completed",
                            self.refs(movement.newly_completed),
                        ),
                        (
                            len(movement.slipped),
                            "Timescale slipped",
                            self.refs(movement.slipped, with_status=False),
                        ),
                    ],
                    half,
                )
            )
        else:
            right.append(
                Paragraph(
                    "<i>This is the first paper for this plan: there is no earlier position to "
                    "compare with.</i>",
                    s.body,
                )
            )
        contents = [
            "1. Exceptions: actions at risk or off track, timescales slipped this cycle, updates awaited.",
            "2. Part A: every action by section.",
            "3. Part B: every finding with the actions that answer it.",
        ]
        if paper.measures:
            contents.append("4. Measures: whether the measures the actions were meant to move have improved.")
        right += [Paragraph("In this paper", s.h2), Paragraph("<br/>".join(contents), s.body)]

        columns = Table([[left, right]], colWidths=[TEXT_WIDTH / 2, TEXT_WIDTH / 2])
        columns.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), 10),
                ]
            )
        )
        title_rule = Table([[""]], colWidths=[TEXT_WIDTH], rowHeights=[2])
        title_rule.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, -1), 5, BLUE)]))
        return [
            title_rule,
            Spacer(1, 6),
            Paragraph(text(paper.title, self.f), s.title),
            Paragraph(f"Position as at {paper.as_at_text}", s.as_at),
            fact_table,
            columns,
        ]

    def exception_table(self, rows: Sequence[Row], caption: str, note: str) -> list:
        heading = Paragraph(f"{caption} ({len(rows)})", self.s.h3)
        if not rows:
            return [heading, Paragraph(f"<i>{note}</i>", self.s.body)]
        pieces = [(piece, r.status) for r in rows for piece in self.cells.exception_rows(r)]
        body = table(
            [piece for piece, _ in pieces],
            EXCEPTION_COLUMNS,
            self.s,
            status_column=5,
            status_rows=[status for _, status in pieces],
        )
        return [heading, body]

    def exceptions(self) -> list:
        ex = self.paper.exceptions
        story = [
            Paragraph("Exceptions", self.s.h2),
            Paragraph("What the board should look at first.", self.s.small),
        ]
        story += self.exception_table(
            ex.at_risk, "Actions at risk or off track", "No open action is at risk or off track."
        )
        story += self.exception_table(
            ex.slipped, "Timescales slipped this cycle", "No timescale was revised this cycle."
        )
        story += self.exception_table(
            ex.awaiting, "Updates awaited", "Every open action has an update this cycle."
        )
        if self.paper.measures:
            story += self.exception_table(
                ex.not_improved,
                "Complete, but the measure has not improved",
                "No completed action has a measure showing concern or failing its target.",
            )
        return story

    def part_a(self) -> list:
        story = [Paragraph("Part A: delivery status by section", self.s.h2)]
        if not self.paper.part_a:
            return [*story, Paragraph("<i>The plan has no actions yet.</i>", self.s.body)]
        blocks = [
            (
                self.cells.p(
                    text(b.heading, self.f)
                    + (f'<br/><font size="7">{text(b.about, self.f)}</font>' if b.about else ""),
                    self.s.cell_bold,
                    Source(f"Section {b.code or b.title}", "purpose", len(b.purpose)),
                ),
                b.rows,
                "",
            )
            for b in self.paper.part_a
        ]
        return [*story, grouped_table(blocks, self.cells, self.s)]

    def part_b(self) -> list:
        if not self.paper.part_b:
            return []
        blocks = [
            (
                self.cells.p(
                    f"{b.number}. {text(b.text, self.f)}"
                    + (
                        f' <font size="7" color="#4c6272">({text(b.finding_type, self.f)})</font>'
                        if b.finding_type
                        else ""
                    ),
                    self.s.cell_bold,
                    Source(f"Finding {b.number}", "text", len(b.text)),
                ),
                b.rows,
                "No action answers this finding yet.",
            )
            for b in self.paper.part_b
        ]
        return [
            PageBreak(),
            Paragraph(text(self.paper.part_b_title, self.f), self.s.h2),
            grouped_table(blocks, self.cells, self.s),
        ]

    def measures(self) -> list:
        if not self.paper.measures:
            return []
        rows = []
        for line in self.paper.measures:
            latest = (
                (
                    f"{text(line.latest, self.f)}<br/><font size='6.8' color='#4c6272'>"
                    f"{text(line.latest_period, self.f)} · {line.points} points</font>"
                )
                if line.latest
                else "<i>No data yet</i>"
            )
            rows.append(
                [
                    CellParagraph(f"<b>{text(line.name, self.f)}</b>", self.s.cell),
                    CellParagraph(latest, self.s.cell),
                    Table(
                        [
                            [
                                icon("variation", line.variation, self.f),
                                CellParagraph(text(line.variation_label, self.f), self.s.cell),
                            ]
                        ],
                        colWidths=[8 * mm, 40 * mm],
                    ),
                    Table(
                        [
                            [
                                icon("assurance", line.assurance, self.f),
                                CellParagraph(text(line.assurance_label, self.f), self.s.cell),
                            ]
                        ],
                        colWidths=[8 * mm, 40 * mm],
                    ),
                    CellParagraph(text(line.target or "None", self.f), self.s.cell),
                    CellParagraph(text(", ".join(line.references), self.f), self.s.cell),
                ]
            )
        explain = (
            "Each measure's variation and assurance are read from its statistical process control chart "
            "(Making Data Count), using the data for periods up to the position date."
        )
        return [
            PageBreak(),
            KeepTogether(
                [Paragraph("Measures: has it improved?", self.s.h2), Paragraph(explain, self.s.small)]
            ),
            table(rows, MEASURE_COLUMNS, self.s),
        ]

    def build(self) -> list:
        return [
            *self.front(),
            PageBreak(),
            *self.exceptions(),
            PageBreak(),
            *self.part_a(),
            *self.part_b(),
            *self.measures(),
        ]


# The PDFs last drawn, kept by what they say (issue 24: the board paper's draft is the slowest page under load, and
# a board's members download the same draft). A PDF is a function of the paper's snapshot, the draft's band and the
# fonts; only the date of `generated_at` is printed. At most this many per process: 16 PDFs of 500 actions are
# about 6.5 MB (402 KiB each, docs/performance.md).
PDFS_KEPT = 16
_pdfs_kept: OrderedDict[str, tuple[bytes, int]] = OrderedDict()
_pdfs_kept_lock = threading.Lock()


def pdf_key(paper: BoardPaper) -> str:
    """What the paper's PDF depends on, as a checksum: its snapshot (with the day it was produced, the only part
    of its time printed, and not who asked, which is not printed), the draft's band if drafting, and the fonts."""
    data = paper_to_data(paper)
    data["paper"]["generated_at"] = paper.produced_on.isoformat()
    data["paper"]["generated_by"] = ""
    return checksum({"paper": data, "band": drafting_band(), "font": paper_fonts().regular})


def pdfs_kept_forget() -> None:
    """Forget the kept PDFs (the benchmark times both ways)."""
    with _pdfs_kept_lock:
        _pdfs_kept.clear()


def render_pdf(paper: BoardPaper) -> bytes:
    """The paper as PDF bytes: the same paper drawn a moment ago is handed back, not drawn again."""
    key = pdf_key(paper)
    with _pdfs_kept_lock:
        kept = _pdfs_kept.get(key)
        if kept is not None:
            _pdfs_kept.move_to_end(key)
    if kept is not None:
        content, marked = kept
        draft_pages_reused(marked)  # drawn on the kit's canvas with this very band
        return content
    content, marked = _drawn(paper)
    with _pdfs_kept_lock:
        _pdfs_kept[key] = (content, marked)
        while len(_pdfs_kept) > PDFS_KEPT:
            _pdfs_kept.popitem(last=False)
    return content


def _drawn(paper: BoardPaper) -> tuple[bytes, int]:
    """The paper laid out and drawn as PDF bytes, and how many of its pages were marked as a draft."""
    styles = Styles(paper_fonts())
    legend = legend_paragraph(paper, styles)
    _, legend_height = legend.wrap(TEXT_WIDTH, PAGE_HEIGHT)
    bottom = MARGIN_FOOT + legend_height + 4 * mm
    out = io.BytesIO()
    document = BaseDocTemplate(
        out,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=bottom,
        title=f"{paper.plan_name}: position as at {paper.as_at_text}",
        author=paper.trust_name,
        subject="Board paper: delivery status",
        creator="Wellled",
    )
    frame = Frame(
        MARGIN_X,
        bottom,
        TEXT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - bottom,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    # Split-off parts of a table are made from its class, so the frame's height travels with the class.
    styles.table_class = framed_table(frame._aH)
    document.addPageTemplates(
        [
            PageTemplate(
                id="paper", frames=[frame], onPage=page_decorator(paper, styles, legend, legend_height)
            )
        ]
    )
    with collector_paused():  # as while it is laid out (reports.pdf_layout.build_naming_text)
        story = Story(paper, styles).build()
    before = draft_pages_marked()
    build_naming_text(document, story, canvasmaker=numbered_canvas(paper, styles))
    return out.getvalue(), draft_pages_marked() - before
