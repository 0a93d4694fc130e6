"""What every PDF paper (board paper, BAF, IPR) shares so that it holds any text the forms accept (ADR 0044):
long text cut into table rows that fit a page, words too long for a line broken inside, tables that break
between rows and inside a row only when that row is taller than a page, and a failed layout that names the text
to blame rather than a page number.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, Table
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags

from wellled.core.collector import collector_paused

from .paper_errors import PaperNotProduced, content_error

# A long text is cut into table rows of at most this many lines (about 235 points at 9.8 points a line, under
# half of a landscape page's frame), so a table row is taller than a page only by accident (ADR 0021).
PIECE_LINES = 24
PIECE_QUICK_CHARS = 500  # shorter text always fits one row: not worth measuring
PIECE_FONT_SIZE = 8  # the table cells' text
CELL_PADDING = 6  # points of left and right padding inside a cell
# Markup after a cell's plain text (a "Reported" note, a measure's lines) repeats from paper to paper: parsed once
# per style and kept, up to this many for a style, since ReportLab's markup parser is a large part of a paper's cost.
PARSED_MARKUP_KEPT = 2_000


@dataclass(frozen=True)
class Source:
    """Where a text in a paper came from, for the message when the paper cannot be laid out around it."""

    record: str  # "Action 3.4", "Risk ZNM-012", "Measure Falls with harm"
    field: str  # "progress update of 30 Sep 2026", "control 2", "what the chart shows"
    length: int  # characters


_PARSED: WeakKeyDictionary[ParagraphStyle, dict[str, list]] = WeakKeyDictionary()


def _parsed(markup: str, style: ParagraphStyle) -> list:
    """ReportLab's fragments of `markup` (already cleaned of runs of white space) in `style`: parsed once per
    style, copied on each use (a paragraph may be split into new fragments, never changes the ones it was given)."""
    kept = _PARSED.setdefault(style, {})
    frags = kept.get(markup)
    if frags is None:
        frags = Paragraph(markup, style).frags
        if len(kept) < PARSED_MARKUP_KEPT:
            kept[markup] = frags
    return [frag.clone() for frag in frags]


def cell_fragments(markup: str, style: ParagraphStyle) -> list | None:
    """The fragments ReportLab's parser makes of cleaned `markup`, without parsing the plain text it starts with
    (most of a cell): that text is one fragment in the style, and the markup after it is parsed once per style.
    None when the start is not plain (an entity such as &amp;), for the parser to read it all."""
    head, bracket, tail = markup.partition("<")
    if "&" in head or not (head or tail):
        return None
    frags = [_parsed("x", style)[0].clone(text=head)] if head else []
    if bracket:
        frags += _parsed(bracket + tail, style)
    textTransformFrags(frags, style)
    return frags


class CellParagraph(Paragraph):
    """A paragraph that keeps its line breaks for the width it was last wrapped to (a table wraps every cell to
    measure the row and again to draw it, and line breaking is most of the cost of a long paper), and may say
    which record's text it holds. Words too long for a line are broken inside (ReportLab's splitLongWords).
    Its fragments are ReportLab's parser's, made without parsing the plain text again (`cell_fragments`)."""

    _wrapped_width: float | None = None

    def __init__(self, text: str, style=None, *args, source: Source | None = None, **kwargs):
        if style is not None and not args and "frags" not in kwargs and "bulletText" not in kwargs:
            text = cleanBlockQuotedText(text)
            kwargs["frags"] = cell_fragments(text, style)
        super().__init__(text, style, *args, **kwargs)
        self.source = source

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        if self._wrapped_width == availWidth and "blPara" in self.__dict__:  # split() drops it when it cannot
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return size

    def split(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.source = self.source  # a text split across pages still names its record
        return parts


def wrapped_lines(value: str, font: str, size: float, width: float) -> list[str]:
    """The text's lines as wrapped in a column `width` points wide: at spaces, and inside any word (a pasted link,
    a reference list) too long for a line, as ReportLab's paragraphs break them."""
    lines: list[str] = []
    for paragraph in value.replace("\r\n", "\n").split("\n"):
        for line in simpleSplit(paragraph, font, size, width) or [""]:
            lines.extend(_broken(line, font, size, width))
    return lines


def _broken(line: str, font: str, size: float, width: float) -> list[str]:
    """A line no wider than the column as it is; a wider one (one long word) cut into pieces that fit."""
    if stringWidth(line, font, size) <= width:
        return [line]
    pieces, start, used = [], 0, 0.0
    for index, character in enumerate(line):
        advance = stringWidth(character, font, size)
        if used + advance > width and index > start:
            pieces.append(line[start:index])
            start, used = index, 0.0
        used += advance
    pieces.append(line[start:])
    return pieces


def text_pieces(value: str, width_mm: float, font: str) -> list[str]:
    """The text as pieces of whole wrapped lines, each at most PIECE_LINES lines in a column this wide, for a table
    to continue a long text on further rows (marked "(continued)") rather than hold a row taller than a page."""
    if len(value) <= PIECE_QUICK_CHARS:
        return [value]
    lines = wrapped_lines(value, font, PIECE_FONT_SIZE, width_mm * mm - CELL_PADDING)
    if len(lines) <= PIECE_LINES:
        return [value]
    return ["\n".join(lines[i : i + PIECE_LINES]) for i in range(0, len(lines), PIECE_LINES)]


class PaperTable(Table):
    """A table that breaks between rows, and inside a row only when that row is taller than a whole page (so rows
    stay whole on paper, yet no row can stop a paper being produced)."""

    page_height: float = 0.0  # the frame's height: `framed_table` makes a subclass that knows it

    def __init__(self, data, *args, **kwargs):
        kwargs.setdefault("splitInRow", 1)  # allowed, and used only by `split` below
        super().__init__(data, *args, **kwargs)

    def split(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        self._calc(availWidth, availHeight)
        result = self._splitRows(availHeight, doInRowSplit=0)
        if result:
            return result
        if sum(self._rowHeights[: self._first_block_end() + 1]) > self.page_height:
            return self._splitRows(availHeight, doInRowSplit=1)
        return []

    def _first_block_end(self) -> int:
        """The last row kept with the first body row (a section or finding heading stays with its first action),
        so a heading over a row taller than a page lets that row split rather than fail to fit anywhere."""
        end = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        for _cmd, start, stop in self._nosplitCmds:
            rows = sorted(y + self._nrows if y < 0 else y for y in (start[1], stop[1]))
            if rows[0] <= end < rows[1]:
                end = rows[1]
        return min(end, len(self._rowHeights) - 1)


def framed_table(frame_height: float) -> type[PaperTable]:
    """PaperTable for a frame this tall (split-off parts of a table are made from its class, so the height travels
    with the class)."""
    return type("FramedPaperTable", (PaperTable,), {"page_height": frame_height})


# A draft (reports.papers.draft) is marked on every page while it is drawn: what the band says, and how many pages
# were marked (a PDF drawn without this kit's canvas would carry no mark, and is refused as a draft).
@dataclass
class DraftMark:
    band: str
    pages: int = 0


_DRAFT_MARK: ContextVar[DraftMark | None] = ContextVar("draft_mark", default=None)
DRAFT_WORD = "DRAFT"
DRAFT_BAND = colors.HexColor("#d5281b")  # NHS red: the band's colour (its words say it too)


@contextlib.contextmanager
def drafting(band: str) -> Iterator[DraftMark]:
    """While inside, every PDF drawn on `paper_canvas_class` (as `build_naming_text` does) carries the word DRAFT
    across each page and `band` (what the draft is, and when it was drafted) at the top of each page."""
    mark = DraftMark(band)
    token = _DRAFT_MARK.set(mark)
    try:
        yield mark
    finally:
        _DRAFT_MARK.reset(token)


def drafting_band() -> str | None:
    """The band the PDF drawn now is marked with (inside `drafting`), else None."""
    mark = _DRAFT_MARK.get()
    return mark.band if mark is not None else None


def draft_pages_marked() -> int:
    """How many pages have been marked as a draft so far inside `drafting` (0 outside it)."""
    mark = _DRAFT_MARK.get()
    return mark.pages if mark is not None else 0


def draft_pages_reused(pages: int) -> None:
    """Count the pages of a PDF drawn earlier on this kit's canvas, inside `drafting` with the same band, as marked
    (a renderer that keeps what it drew hands it back rather than drawing it again)."""
    mark = _DRAFT_MARK.get()
    if mark is not None:
        mark.pages += pages


def draft_mark_draw(canvas: Canvas, band: str) -> None:
    """The draft's marks on the page being drawn: a red band across the top edge, and DRAFT across the page."""
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFillColor(DRAFT_BAND)
    canvas.rect(0, height - 6 * mm, width, 6 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica-Bold", 8)
    canvas.drawCentredString(width / 2, height - 4.2 * mm, band)
    canvas.setFillColor(DRAFT_BAND)
    canvas.setFillAlpha(0.12)
    canvas.setFont("Helvetica-Bold", min(width, height) / 4.5)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, -min(width, height) / 15, DRAFT_WORD)
    canvas.restoreState()


def paper_canvas_class(base: type[Canvas] = Canvas) -> type[Canvas]:
    """The canvas class a paper's PDF is drawn on: `base` itself, or, while a draft is drawn, `base` marking each
    page as a draft when the page is finished (a canvas that holds its pages back, for "Page N of M", keeps the
    marks with each page). A kind that draws its own canvas takes its class from here."""
    found = _DRAFT_MARK.get()
    if found is None:
        return base
    mark: DraftMark = found

    class DraftCanvas(base):  # type: ignore[valid-type, misc]
        def showPage(self):  # noqa: N802 (ReportLab's name)
            draft_mark_draw(self, mark.band)
            mark.pages += 1
            super().showPage()

    return DraftCanvas


def build_naming_text(document, story: Sequence, **build_options) -> None:
    """Build the PDF; should ReportLab fail to lay it out, raise PaperContentError naming the text most likely to
    blame (the tallest text it measured), rather than a page number no one can act on. Inside `drafting`, every
    page is marked as a draft. The cyclic garbage collector waits while it is laid out (`collector_paused`): a
    paper's layout makes hundreds of thousands of short-lived objects, freed as they go, and the collections they
    set off cost a fifth of a board paper's time (issue 24)."""
    build_options["canvasmaker"] = paper_canvas_class(build_options.get("canvasmaker", Canvas))
    try:
        with collector_paused():
            document.build(list(story), **build_options)  # ReportLab consumes the list it is given
    except PaperNotProduced:
        raise
    except Exception as exc:
        measured = max(_sources(story), key=lambda found: (found[0], found[1].length), default=None)
        if measured is None:
            raise
        source = measured[1]
        raise content_error(source.record, source.field, length=source.length) from exc


def _sources(flowables) -> Iterator[tuple[float, Source]]:
    """(height as last measured, source) of every text that names its source, inside tables, cells and
    kept-together groups."""
    for flowable in flowables:
        if isinstance(flowable, list | tuple):
            yield from _sources(flowable)
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:
                yield from _sources(row)
        elif isinstance(flowable, KeepTogether):
            yield from _sources(flowable._content)
        elif isinstance(source := getattr(flowable, "source", None), Source):
            yield getattr(flowable, "height", 0.0), source
