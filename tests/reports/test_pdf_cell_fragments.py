"""A table cell's paragraph is laid out from the same fragments ReportLab's markup parser makes (reports.pdf_layout
.cell_fragments skips parsing the plain text a cell starts with, for speed: issue 24), so a paper looks as it did."""

from __future__ import annotations

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from wellled.reports.pdf_layout import CellParagraph, cell_fragments
from wellled.reports.render_pdf import Styles, paper_fonts, text

CELLS = [
    "Deliver the improvement with staff and partners",
    "  leading and trailing spaces, and   runs   of spaces  ",
    "A line\nand another\r\nand a tab\there",
    "Text then a note<br/><font color='#4c6272' size='6.8'>Reported 1 Sep 2026</font>",
    '<font color="#4c6272"><i>Not set</i></font>',
    "<b>W1-001</b>",
    "A &amp; E waits &lt; 4 hours &gt; target",
    "Ends with an entity &amp;",
    "Unicode: Ærø — 30 Sep → 31 Dec 2026 ●",
    "Progress this month.<br/><br/>After a blank line<br/>",
    "",
    "   ",
]


def _as_parsed(frags: list) -> list[dict]:
    return [dict(sorted(frag.__dict__.items())) for frag in frags]


@pytest.mark.parametrize("markup", CELLS)
@pytest.mark.parametrize("style_name", ["cell", "cell_bold", "head", "num", "legend"])
def test_cell_fragments_are_the_parsers_when_a_cell_holds_any_text(markup, style_name):
    style = getattr(Styles(paper_fonts()), style_name)
    cell = CellParagraph(markup, style)
    parsed = Paragraph(markup, style)
    assert cell.text == parsed.text
    assert _as_parsed(cell.frags) == _as_parsed(parsed.frags)


def test_cell_fragments_are_the_parsers_when_user_text_is_escaped_first():
    fonts = paper_fonts()
    style = Styles(fonts).cell
    for value in ["Plain words", "<script>alert('x')</script>", "a & b\nc", "x" * 4_000]:
        markup = text(value, fonts) + '<br/><font size="6.8">Reported</font>'
        assert _as_parsed(CellParagraph(markup, style).frags) == _as_parsed(Paragraph(markup, style).frags)


def test_cell_fragments_leave_the_parser_to_read_text_when_it_starts_with_an_entity():
    style = ParagraphStyle("plain")
    assert cell_fragments("A &amp; E", style) is None
    assert cell_fragments("", style) is None


def test_a_fragment_kept_for_a_style_is_never_shared_between_two_cells():
    style = Styles(paper_fonts()).cell
    first = CellParagraph("One<br/><b>note</b>", style)
    second = CellParagraph("Two<br/><b>note</b>", style)
    assert all(a is not b for a, b in zip(first.frags, second.frags, strict=True))
    first.frags[-1].text = "changed"
    assert second.frags[-1].text == "note"
