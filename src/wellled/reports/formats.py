"""The formats a board paper can be produced in, for the views and the command line."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from .board_paper import BoardPaper
from .paper_errors import PaperNotProduced

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaperFormat:
    key: str
    name: str
    extension: str
    content_type: str


FORMATS: dict[str, PaperFormat] = {
    f.key: f
    for f in (
        PaperFormat("pdf", "PDF", "pdf", "application/pdf"),
        PaperFormat(
            "docx", "Word", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        PaperFormat(
            "xlsx", "Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        PaperFormat("csv", "CSV", "csv", "text/csv; charset=utf-8"),
        PaperFormat("html", "HTML", "html", "text/html; charset=utf-8"),
    )
}


NOT_PRODUCED = (
    "The {format} file could not be produced ({reason}), so nothing was issued. The longest text is in action "
    "{reference} ({length:,} characters in its {field}): shorten it, then try again. If that does not help, tell "
    "your Wellled administrator (the details are in the server's log)."
)


def longest_text(paper: BoardPaper) -> tuple[str, str, int] | None:
    """(reference, field, length) of the longest text in the paper's actions, or None if it has none."""
    found = None
    for block in paper.part_a:
        for row in block.rows:
            for field, value in (
                ("planned action", row.title),
                ("success measure", row.success_measure),
                ("progress update", row.progress),
            ):
                if value and (found is None or len(value) > found[2]):
                    found = (row.reference, field, len(value))
    return found


def render(paper: BoardPaper, fmt: str, *, template: str | Path | bytes | None = None) -> bytes:
    """The paper in one format; a renderer's failure becomes PaperNotProduced, naming the likely action."""
    try:
        return _render(paper, fmt, template=template)
    except PaperNotProduced:  # the renderer named the text to blame itself
        raise
    except Exception as exc:  # a renderer's own error: said in words, the details go to the log
        if isinstance(exc, ValueError) and str(exc).startswith("Unknown format"):
            raise
        blamed = longest_text(paper)
        if blamed is None:
            raise
        reference, field, length = blamed
        logger.exception("The %s paper could not be produced", fmt)
        reason = "a page could not be laid out" if type(exc).__name__ == "LayoutError" else type(exc).__name__
        name = FORMATS[fmt].name if fmt in FORMATS else fmt
        raise PaperNotProduced(
            NOT_PRODUCED.format(format=name, reason=reason, reference=reference, length=length, field=field)
        ) from exc


def _render(paper: BoardPaper, fmt: str, *, template: str | Path | bytes | None = None) -> bytes:
    """The paper in one format (renderers are imported on demand, so a CSV download does not load ReportLab)."""
    if fmt == "pdf":
        from .render_pdf import render_pdf

        return render_pdf(paper)
    if fmt == "docx":
        from .render_docx import render_docx

        return render_docx(paper, template=template)
    if fmt == "xlsx":
        from .render_xlsx import render_xlsx

        return render_xlsx(paper)
    if fmt == "csv":
        from .render_csv import render_csv

        return render_csv(paper)
    if fmt == "html":
        from .render_html import render_html_bytes

        return render_html_bytes(paper)
    raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")


def filename(paper: BoardPaper, fmt: str) -> str:
    """'<plan>-<as-at>.<ext>', e.g. well-led-self-review-2025-26-2026-11-30.pdf."""
    return f"{slugify(paper.plan_name) or 'board-paper'}-{paper.as_at.isoformat()}.{FORMATS[fmt].extension}"
