"""The board paper as a PDF: A4 landscape, a running header with the trust and date, "Page N of M"."""

from __future__ import annotations

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .board_paper import BoardPaper
from .render_html import render_html


def css_string(text: str) -> str:
    """Text as a quoted CSS string (for the page margin boxes)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    return f'"{escaped}"'


def page_css(paper: BoardPaper) -> str:
    """Page rules for print: landscape A4, the running header and the page numbers."""
    left = css_string(f"{paper.trust_name} ({paper.ods_code})")
    right = css_string(f"{paper.plan_name} · position as at {paper.as_at_text}")
    produced = css_string(f"Produced {paper.generated_at:%d %b %Y} by Wellled")
    return f"""
    @page {{
        size: A4 landscape;
        margin: 16mm 12mm 15mm 12mm;
        @top-left {{ content: {left}; font: 700 8pt Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
                     color: #005eb8; vertical-align: bottom; padding-bottom: 3mm; }}
        @top-right {{ content: {right}; font: 8pt Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
                      color: #4c6272; vertical-align: bottom; padding-bottom: 3mm; }}
        @bottom-left {{ content: {produced}; font: 7.5pt Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
                        color: #4c6272; vertical-align: top; padding-top: 3mm; }}
        @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
                         font: 8pt Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: #212b32;
                         vertical-align: top; padding-top: 3mm; }}
    }}
    .bp table.bp-table thead {{ display: table-header-group; }}
    .bp table.bp-table tr {{ break-inside: avoid; }}
    """


def render_pdf(paper: BoardPaper) -> bytes:
    """The paper as PDF bytes."""
    fonts = FontConfiguration()
    document = HTML(string=render_html(paper), base_url=None)
    return document.write_pdf(stylesheets=[CSS(string=page_css(paper), font_config=fonts)], font_config=fonts)
