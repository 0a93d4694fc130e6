"""The formats a board paper can be produced in, for the views and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from .board_paper import BoardPaper


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


def render(paper: BoardPaper, fmt: str, *, template: str | Path | bytes | None = None) -> bytes:
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
