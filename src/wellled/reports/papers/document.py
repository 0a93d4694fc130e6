"""The A4 portrait page a PDF paper is laid out on (the performance report's and the FTSU board report's): one home
for its margins, so papers that share a look share its page too."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

from ..pdf_layout import build_naming_text

MARGIN = 15 * mm  # left, right and top: the IPR's page since its first issue
FOOT_MARGIN = 16 * mm  # a little more at the foot, for the page footer
WIDTH = A4[0] - 2 * MARGIN  # the frame's width, for charts and tables


def paragraph_markup(value: str | None) -> str:
    """Text as a ReportLab paragraph takes it: escaped, its line breaks kept."""
    return escape(value or "").replace("\n", "<br/>")


def portrait_document(out: io.BytesIO, *, title: str, author: str) -> SimpleDocTemplate:
    """An A4 portrait document writing into `out`, titled and authored as the paper says."""
    return SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=FOOT_MARGIN,
        title=title,
        author=author,
    )


def portrait_pdf(story: Sequence, *, title: str, author: str, footer: Callable | None = None) -> bytes:
    """The story laid out on A4 portrait pages as PDF bytes (a text it cannot be laid out around is named), with
    `footer(canvas, doc)` drawn on every page if given."""
    out = io.BytesIO()
    document = portrait_document(out, title=title, author=author)
    pages = {"onFirstPage": footer, "onLaterPages": footer} if footer is not None else {}
    build_naming_text(document, story, **pages)
    return out.getvalue()
