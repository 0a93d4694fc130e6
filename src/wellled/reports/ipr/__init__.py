"""The integrated performance report: every measure as an SPC chart with its icons and commentary, grouped by
domain, exceptions first; built once from the measures selectors, then rendered to PDF and Word."""

from .build import IPR, IPRGroup, IPRMeasure, ipr_build, last_complete_period
from .render_docx import render_ipr_docx
from .render_pdf import render_ipr_pdf

__all__ = [
    "IPR",
    "IPRGroup",
    "IPRMeasure",
    "ipr_build",
    "last_complete_period",
    "render_ipr_docx",
    "render_ipr_pdf",
]
