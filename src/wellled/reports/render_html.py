"""The board paper as a printable HTML document (also the source of the PDF)."""

from __future__ import annotations

from django.template.loader import render_to_string

from .board_paper import BoardPaper

TEMPLATE = "reports/board_paper.jinja"


def render_html(paper: BoardPaper) -> str:
    """The whole paper as one self-contained HTML document (styles inline, no scripts, no external files)."""
    return render_to_string(TEMPLATE, {"paper": paper})


def render_html_bytes(paper: BoardPaper) -> bytes:
    return render_html(paper).encode("utf-8")
