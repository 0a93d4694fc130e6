"""Made-up papers for the pack tests and bench/pack.py: a PDF of n pages whose every page names its paper, and a
small Word file."""

from __future__ import annotations

import io


def pdf_pages(title: str, pages: int) -> bytes:
    """A PDF of `pages` A4 pages, each saying "<title>, page i"."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 760, f"{title}, page {number}")
        for line in range(30):
            canvas.drawString(72, 700 - line * 20, f"Line {line + 1} of the text of {title}.")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def word_file(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(text, level=1)
    document.add_paragraph(f"The body of {text}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
