"""A draft of any paper kind: built and rendered like an issue, in one of the kind's formats, but not frozen, not
stored and not audited as an issue, and marked as a draft on every page (issue 27).

The marks are the pipeline's, not the kind's, so a kind added later is drafted with no work of its own: every PDF
page carries a red band and the word DRAFT across it (`pdf_layout.drafting`), every Word section a header, a
workbook a first sheet saying so (and a printed header on every sheet), a CSV file a first line, an HTML page a
banner. Each says the date it was drafted, because a draft's figures are only as good as that day's records.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from django.core.exceptions import ValidationError
from django.utils import timezone

from wellled.core.collector import collector_paused
from wellled.core.formatting import long_date
from wellled.core.service_kit import permission_require

from ..board_paper import as_at_problem
from ..formats import FORMATS
from ..paper_errors import PaperNotProduced
from ..pdf_layout import DRAFT_WORD, drafting
from .kind import PaperKind, PaperRequest, RenderContext
from .registry import kind_get

UNMARKED = (
    "The {label}'s PDF was not drawn on the paper kit's canvas (reports.pdf_layout), so its draft could not be "
    "marked on every page; nothing was served."
)
NO_SUCH_FORMAT = "A {label} is not produced as {fmt}: choose one of {formats}."
BAD_DATE = "Enter the date as year, month and day, for example 2026-11-30."


class DraftFormatUnknown(LookupError):
    """The kind is not produced in the format asked for (a page answers 404)."""


@dataclass(frozen=True)
class Draft:
    """A draft file, ready to download."""

    filename: str
    content: bytes
    content_type: str
    band: str


def draft_band(kind: PaperKind, day: datetime.date) -> str:
    """The words every page of a draft carries."""
    return (
        f"{DRAFT_WORD}: not issued. {kind.label} drafted on {long_date(day)}; not for circulation as final."
    )


def draft_as_at(parameters: Mapping[str, str], default: datetime.date | None) -> datetime.date | None:
    """The date a draft's parameters ask for (`as_at`, YYYY-MM-DD), else the kind's default; a date no paper can be
    as at is refused in words. A draft may look ahead (it is not issued), as far as any paper's page may."""
    text = (parameters.get("as_at") or "").strip()[:10]
    if not text:
        return default
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({"as_at": BAD_DATE}) from None
    problem = as_at_problem(day)
    if problem:
        raise ValidationError({"as_at": problem})
    return day


def draft_filename(name: str) -> str:
    """'board-paper-2026-11-30.pdf' as 'board-paper-2026-11-30-draft.pdf'."""
    stem, dot, extension = name.rpartition(".")
    return f"{stem}-draft.{extension}" if dot else f"{name}-draft"


def draft_request(kind_key: str, *, organisation, by, parameters: Mapping[str, str]) -> PaperRequest:
    """What a draft of the kind asks for, read from its parameters by the kind (date refused in words)."""
    kind = kind_get(kind_key)
    as_at = draft_as_at(parameters, kind.default_as_at(organisation, by))
    return kind.draft_request(organisation=organisation, by=by, as_at=as_at, parameters=parameters)


def draft_produce(kind_key: str, fmt: str, request: PaperRequest) -> Draft:
    """A draft of a registered kind as asked, in one format: the kind's own permission (as for issuing, unless the
    kind lets every member download it), built through the person's scoped reads, marked on every page. Nothing is
    written: no issued paper, no snapshot, no audit record of an issue."""
    kind = kind_get(kind_key)
    if fmt not in kind.formats or fmt not in FORMATS:
        raise DraftFormatUnknown(
            NO_SUCH_FORMAT.format(label=kind.label.lower(), fmt=fmt, formats=", ".join(kind.formats))
        )
    permission_require(
        user=request.by,
        organisation_id=request.organisation.pk,
        permission=kind.draft_permission(request.organisation),
    )
    band = draft_band(kind, timezone.localdate())
    # A download waits on it: no cyclic garbage collections of its many short-lived objects meanwhile (issue 24).
    with (
        collector_paused(),
        drafting(band) as mark,
    ):  # every PDF page drawn inside is marked (reports.pdf_layout)
        paper = kind.build(request)
        content = kind.render(paper, fmt, RenderContext(organisation=request.organisation, by=request.by))
    if fmt == "pdf" and mark.pages == 0:  # never a draft that could pass for an issued paper
        raise PaperNotProduced(UNMARKED.format(label=kind.label.lower()))
    return Draft(
        filename=draft_filename(kind.filename(paper, fmt)),
        content=draft_marked(fmt, content, band, title=kind.title(paper)),
        content_type=FORMATS[fmt].content_type,
        band=band,
    )


# The marks of each format that is not a PDF (a PDF is marked while it is drawn) -----------------------------------


def draft_marked(fmt: str, content: bytes, band: str, *, title: str) -> bytes:
    """The rendered file with the draft's words where each format shows them first."""
    marker = {"docx": _docx_marked, "xlsx": _xlsx_marked, "csv": _csv_marked, "html": _html_marked}.get(fmt)
    return marker(content, band, title) if marker else content


def _docx_marked(content: bytes, band: str, title: str) -> bytes:
    """Every section's header (and its first-page and even-page headers, where the document has them) starts
    with the draft's words in bold red; the document's title says draft too."""
    from docx import Document
    from docx.shared import RGBColor

    document = Document(io.BytesIO(content))
    even = document.settings.odd_and_even_pages_header_footer
    for index, section in enumerate(document.sections):
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        if even:
            headers.append(section.even_page_header)
        for header in headers:
            if header.is_linked_to_previous and index > 0:
                continue  # it shows the previous section's header, marked already
            header.is_linked_to_previous = False
            paragraph = (
                header.paragraphs[0].insert_paragraph_before()
                if header.paragraphs
                else header.add_paragraph()
            )
            run = paragraph.add_run(band)
            run.bold = True
            run.font.color.rgb = RGBColor(0xD5, 0x28, 0x1B)
    document.core_properties.title = f"{DRAFT_WORD}: {title}"[:255]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx_marked(content: bytes, band: str, title: str) -> bytes:
    from wellled.core.workbook import workbook_marked

    return workbook_marked(
        content,
        sheet_title="Draft",
        lines=[band, title, "Issue the paper in Wellled for the version the board receives."],
        header=band,
    )


def _csv_marked(content: bytes, band: str, title: str) -> bytes:
    """A first line saying draft (after the byte-order mark, so Excel still reads the names right)."""
    bom = b"\xef\xbb\xbf"
    body = content[len(bom) :] if content.startswith(bom) else content
    out = io.StringIO()
    csv.writer(out).writerow([band])
    return (bom if content.startswith(bom) else b"") + out.getvalue().encode("utf-8") + body


def _html_marked(content: bytes, band: str, title: str) -> bytes:
    """A banner first in the page's body, and the page's title starting 'DRAFT'."""
    page = content.decode("utf-8")
    banner = (
        f'<p role="note" style="background:#d5281b;color:#fff;font-weight:bold;padding:0.5em 1em;margin:0">'
        f"{escape(band)}</p>"
    )
    page, found = re.subn(r"(<body[^>]*>)", lambda m: m.group(1) + banner, page, count=1, flags=re.IGNORECASE)
    if not found:
        page = banner + page
    page = re.sub(r"<title>", f"<title>{DRAFT_WORD}: ", page, count=1, flags=re.IGNORECASE)
    return page.encode("utf-8")
