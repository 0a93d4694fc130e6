"""The chair's report to the board as a paper kind (ADR 0043, ADR 0062): the sections the chair wrote in Alert /
Advise / Assure form (or the committee's own titles), the decisions taken under delegation and the items referred
elsewhere; issued and frozen through the one pipeline, in PDF and Word."""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from wellled.core.formatting import day_text
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.text import xml_safe
from wellled.reports.papers.document import paragraph_markup
from wellled.reports.papers.kind import PaperRequest, RenderContext, SubjectPaperKind
from wellled.reports.pdf_layout import CellParagraph, Source, build_naming_text

from ..models import ChairsReport
from ..selectors.reports import delegated_decisions, referred_items, report_get, section_titles

CHAIRS_REPORT_KEY = "chairs_rpt"  # IssuedPaper.kind (at most ten characters)
NOTHING = "Nothing to report."


@dataclass(frozen=True)
class ReportSectionText:
    title: str
    text: str


@dataclass(frozen=True)
class ReferredItem:
    title: str
    to: str
    reason: str


@dataclass(frozen=True)
class ChairsReportPaper:
    """Everything the issued report says, whatever the format."""

    organisation_name: str
    committee: str
    reports_to: str
    meeting_on: datetime.date
    as_at: datetime.date
    generated_at: datetime.datetime
    chair: str
    sections: tuple[ReportSectionText, ...]
    decisions: tuple[str, ...]
    referred: tuple[ReferredItem, ...]

    @property
    def title(self) -> str:
        return f"{self.committee}: chair's report of the meeting on {day_text(self.meeting_on)}"

    @property
    def total(self) -> int:
        return len(self.decisions) + len(self.referred)


def chairs_report_build(request: PaperRequest) -> ChairsReportPaper:
    """The report as the chair confirmed it, with the meeting's delegated decisions and referred items."""
    report: ChairsReport = request.subject
    meeting = report.meeting
    committee = meeting.committee
    titles = section_titles(committee)
    return ChairsReportPaper(
        organisation_name=request.organisation.name,
        committee=committee.name,
        reports_to=committee.reports_to.name if committee.reports_to else "",
        meeting_on=timezone.localdate(meeting.starts_at),
        as_at=request.day,
        generated_at=timezone.now().replace(microsecond=0),
        chair=str(report.confirmed_by or ""),
        sections=tuple(
            ReportSectionText(titles[key], getattr(report, key) or "")
            for key in ("alert", "advise", "assure")
        ),
        decisions=tuple(d.text for d in delegated_decisions(user=request.by, meeting=meeting)),
        referred=tuple(
            ReferredItem(e.title, e.to_committee.name, e.reason)
            for e in referred_items(user=request.by, meeting=meeting)
        ),
    )


def _pdf(paper: ChairsReportPaper) -> bytes:
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]

    def text(value: str, field: str) -> Paragraph:
        safe = paragraph_markup(xml_safe(value or NOTHING))
        return CellParagraph(safe, body, source=Source(paper.committee, field, len(value or "")))

    story: list = [
        Paragraph(escape(xml_safe(paper.title)), h1),
        Paragraph(
            escape(xml_safe(f"{paper.organisation_name}. To {paper.reports_to or 'the board'}."))
            + (escape(xml_safe(f" Confirmed by {paper.chair}.")) if paper.chair else ""),
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    for section in paper.sections:
        story += [Paragraph(escape(xml_safe(section.title)), h2), text(section.text, section.title)]
    story.append(Paragraph("Decisions taken under delegation", h2))
    story += [text(d, "decision") for d in paper.decisions] or [text("", "decision")]
    story.append(Paragraph("Items referred elsewhere", h2))
    story += [text(f"{r.title} (to {r.to}): {r.reason}", "referred item") for r in paper.referred] or [
        text("", "referred item")
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=xml_safe(paper.title))
    build_naming_text(document, story)
    return buffer.getvalue()


def _docx(paper: ChairsReportPaper) -> bytes:
    document = Document()
    document.add_heading(xml_safe(paper.title), level=0)
    intro = f"{paper.organisation_name}. To {paper.reports_to or 'the board'}."
    document.add_paragraph(xml_safe(intro + (f" Confirmed by {paper.chair}." if paper.chair else "")))
    for section in paper.sections:
        document.add_heading(xml_safe(section.title), level=1)
        document.add_paragraph(xml_safe(section.text or NOTHING))
    document.add_heading("Decisions taken under delegation", level=1)
    for decision in paper.decisions or (NOTHING,):
        document.add_paragraph(xml_safe(decision), style="List Bullet" if paper.decisions else None)
    document.add_heading("Items referred elsewhere", level=1)
    if not paper.referred:
        document.add_paragraph(NOTHING)
    for item in paper.referred:
        document.add_paragraph(xml_safe(f"{item.title} (to {item.to}): {item.reason}"), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class ChairsReportKind(SubjectPaperKind):
    """A committee chair's report of one meeting; the request's subject is the ChairsReport."""

    key = CHAIRS_REPORT_KEY
    label = "Chair's report"
    paper_class = ChairsReportPaper
    formats = ("pdf", "docx")
    permission = Permission.VIEW  # the chair may hold any role: services.reports decides who issues
    read_label = "Reading the meeting"
    store_label = "Storing the chair's report"

    def issue_permission(self, organisation: Organisation) -> Permission:
        return Permission.VIEW

    def subject(self, *, organisation: Organisation, by: User, parameters: Mapping[str, str]) -> ChairsReport:
        """`?report=<id>`: one report as it stands (another trust's report is a 404)."""
        key = str(parameters.get("report", ""))
        if not key.isdigit():
            raise ValidationError({"report": "Name the chair's report to draft."})
        return report_get(user=by, organisation=organisation, pk=key)

    def subject_as_at(self, subject: ChairsReport) -> datetime.date:
        """A draft is as at the day of the meeting it reports."""
        return timezone.localdate(subject.meeting.starts_at)

    def build(self, request: PaperRequest) -> ChairsReportPaper:
        return chairs_report_build(request)

    def render(self, paper: ChairsReportPaper, fmt: str, context: RenderContext) -> bytes:
        return _pdf(paper) if fmt == "pdf" else _docx(paper)

    def filename(self, paper: ChairsReportPaper, fmt: str) -> str:
        return f"chairs-report-{slugify(paper.committee)}-{paper.meeting_on.isoformat()}.{fmt}"

    def note(self, paper: ChairsReportPaper, request: PaperRequest) -> str:
        return f"Chair's report of {paper.committee} issued: meeting on {day_text(paper.meeting_on)}"


CHAIRS_REPORT = ChairsReportKind()
