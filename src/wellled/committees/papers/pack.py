"""The meeting pack (issue 22, ADR 0057): one PDF with a cover, the agenda, an index with page numbers, the previous
meeting's minutes, a cover sheet before each paper and the papers themselves, bookmarked per item and paper and
numbered "Page n of N" across all of it; and a Word pack with the same front matter and the Word papers appended.

It is a paper kind of the one pipeline (ADR 0043): `build` freezes what the pack holds (the items, the cover sheets,
each paper's file by its SHA-256, the minutes) and `render` lays it out from that frozen record alone."""

from __future__ import annotations

import copy
import datetime
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from wellled.core.formatting import iso_day, long_date
from wellled.core.models import Organisation
from wellled.core.permissions import Permission
from wellled.reports.papers.document import paragraph_markup
from wellled.reports.papers.kind import PaperKind, PaperRequest, RenderContext

from ..choices import Attendance, ItemPart, PaperSource
from ..models import Meeting
from ..selectors.packs import items_for, previous_meeting
from .files import paper_file_bytes

PACK_KEY = "pack"
# Weights of the steps on the job's progress bar (bench/pack.py, 20 items and 300 pages: merging is most of it).
READ_WEIGHT = 5
PDF_WEIGHT = 80
DOCX_WEIGHT = 10

VERBAL = "Verbal"
NO_PAPER = "No paper"
IN_PDF_PACK = "In the PDF pack"


# The frozen record --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackPaper:
    """One paper as the pack holds it: its cover sheet and where its file is (an issued paper or an upload)."""

    title: str
    source: str  # PaperSource
    purpose: str  # from the item, as the cover sheet says it
    presenter: str
    summary: str
    risks: tuple[str, ...]
    considered_before: str
    assurance_sought: str
    late: bool
    issued_paper_id: int | None
    file_name: str
    file_sha256: str
    file_kind: str  # "pdf", "docx" or "" (a verbal update)


@dataclass(frozen=True)
class PackItem:
    position: int
    title: str
    purpose: str
    part: str
    presenter: str
    minutes_allowed: int
    papers: tuple[PackPaper, ...]


@dataclass(frozen=True)
class MinutesItem:
    position: int
    title: str
    minute: str
    assurance: str
    decisions: tuple[str, ...]


@dataclass(frozen=True)
class PackMinutes:
    """The previous meeting's minutes as they stand, drawn from its records."""

    title: str
    status: str
    present: tuple[str, ...]
    apologies: tuple[str, ...]
    items: tuple[MinutesItem, ...]


@dataclass(frozen=True)
class MeetingPackPaper:
    title: str
    organisation: str
    committee: str
    meeting_id: int
    starts_at: datetime.datetime
    place: str
    public: bool
    as_at: datetime.date
    generated_at: datetime.datetime
    items: tuple[PackItem, ...]
    minutes: PackMinutes | None = None
    late_count: int = 0

    @property
    def total(self) -> int:
        return sum(len(item.papers) for item in self.items)


# What the pack holds, read as it stands ------------------------------------------------------------------------------


def _person(user: Any) -> str:
    return user.get_full_name() or str(user) if user is not None else ""


def pack_contents(*, meeting: Meeting, public: bool, user: Any, as_at: datetime.date) -> MeetingPackPaper:
    """The pack as the person may see it: the items (no private ones in a public pack), each paper's cover sheet
    and file, and the previous meeting's minutes (their private part left out likewise)."""
    committee = meeting.committee
    items = []
    late = 0
    for item in items_for(meeting=meeting, user=user, public=public):
        risks = tuple(str(risk) for risk in item.risks.all())
        papers = []
        for paper in item.papers.all():
            kind = "" if paper.source == PaperSource.VERBAL else "pdf"
            if paper.source == PaperSource.UPLOAD:
                kind = "docx" if (paper.file.name or "").lower().endswith(".docx") else "pdf"
            late += paper.late
            papers.append(
                PackPaper(
                    title=paper.title,
                    source=paper.source,
                    purpose=item.get_purpose_display(),
                    presenter=_person(item.presenter),
                    summary=paper.summary,
                    risks=risks,
                    considered_before=paper.considered_before,
                    assurance_sought=paper.assurance_sought,
                    late=paper.late,
                    issued_paper_id=paper.issued_paper_id,
                    file_name=(paper.file.name or "") if paper.file else "",
                    file_sha256=paper.file_sha256,
                    file_kind=kind,
                )
            )
        items.append(
            PackItem(
                position=item.position,
                title=item.title,
                purpose=item.get_purpose_display(),
                part=item.part,
                presenter=_person(item.presenter),
                minutes_allowed=item.minutes_allowed,
                papers=tuple(papers),
            )
        )
    minutes = None
    before = previous_meeting(meeting)
    if before is not None:
        attendance = list(before.attendance.select_related("person"))
        minutes = PackMinutes(
            title=str(before),
            status=before.get_minutes_status_display(),
            present=tuple(_person(a.person) for a in attendance if a.attendance == Attendance.PRESENT),
            apologies=tuple(
                _person(a.person)
                for a in attendance
                if a.attendance in (Attendance.APOLOGIES, Attendance.DEPUTY)
            ),
            items=tuple(
                MinutesItem(
                    position=item.position,
                    title=item.title,
                    minute=item.minute,
                    assurance=item.get_assurance_display() if item.assurance else "",
                    decisions=tuple(d.text for d in item.decisions.all()),
                )
                for item in items_for(meeting=before, user=user, public=public).prefetch_related("decisions")
            ),
        )
    kind = "Public pack" if public else "Meeting pack"
    return MeetingPackPaper(
        title=f"{kind}: {committee.name}, {long_date(timezone.localtime(meeting.starts_at).date())}",
        organisation=committee.organisation.name,
        committee=committee.name,
        meeting_id=meeting.pk,
        starts_at=meeting.starts_at,
        place=meeting.place,
        public=public,
        as_at=as_at,
        generated_at=timezone.now(),
        items=tuple(items),
        minutes=minutes,
        late_count=late,
    )


# The PDF ------------------------------------------------------------------------------------------------------------


@dataclass
class Placed:
    """Where something starts in the finished PDF (pages counted from 1)."""

    title: str
    page: int
    level: int  # 0 for an item or a front section, 1 for a paper within an item
    children: list[Placed] = field(default_factory=list)


def _styles():
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("PackTitle", parent=base["Title"], fontSize=22, leading=28, alignment=0),
        "h1": ParagraphStyle("PackH1", parent=base["Heading1"], fontSize=16, leading=20),
        "h2": ParagraphStyle("PackH2", parent=base["Heading2"], fontSize=12, leading=15),
        "body": ParagraphStyle("PackBody", parent=base["BodyText"], fontSize=10, leading=13),
        "cell": ParagraphStyle("PackCell", parent=base["BodyText"], fontSize=9, leading=11),
    }


def _table(rows: list[list[Any]], widths: Sequence[float]):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDEE")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#AEB7BD")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _document(story: list, *, title: str) -> tuple[bytes, int]:
    """A generated part of the pack (cover, agenda, index, a cover sheet, minutes) and its page count."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=title,
    )
    document.build(story)
    return out.getvalue(), document.page


def _meeting_line(paper: MeetingPackPaper) -> str:
    line = long_date(paper.starts_at)
    return f"{line}, {paper.place}" if paper.place else line


def _front_story(paper: MeetingPackPaper, index_rows: list[tuple[str, str, str]]) -> list:
    """The cover, the agenda and the index; `index_rows` are (item, paper, page) as text."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    s = _styles()
    cell = s["cell"]
    story: list = [
        Paragraph(paragraph_markup(paper.organisation), s["h2"]),
        Spacer(1, 30 * mm),
        Paragraph(paragraph_markup(paper.committee), s["title"]),
        Paragraph(paragraph_markup(_meeting_line(paper)), s["h1"]),
        Spacer(1, 8 * mm),
        Paragraph(
            "Public pack: the items taken in public only." if paper.public else "Meeting pack", s["h2"]
        ),
        Paragraph(f"Issued {long_date(paper.as_at)}.", s["body"]),
    ]
    if paper.late_count:
        story.append(
            Paragraph(f"Late papers (after the deadline for papers): {paper.late_count}.", s["body"])
        )
    story += [PageBreak(), Paragraph("Agenda", s["h1"])]
    rows: list[list[Any]] = [["No.", "Item", "Purpose", "Presenter", "Minutes"]]
    for item in paper.items:
        title = paragraph_markup(item.title) + (" <i>(private)</i>" if item.part == ItemPart.PRIVATE else "")
        rows.append(
            [
                str(item.position),
                Paragraph(title, cell),
                Paragraph(paragraph_markup(item.purpose), cell),
                Paragraph(paragraph_markup(item.presenter), cell),
                str(item.minutes_allowed),
            ]
        )
    story += [_table(rows, [12 * mm, 80 * mm, 28 * mm, 35 * mm, 15 * mm]), PageBreak()]
    story.append(Paragraph("Index", s["h1"]))
    index: list[list[Any]] = [["Item", "Paper", "Page"]]
    for item_text, paper_text, page in index_rows:
        index.append(
            [
                Paragraph(paragraph_markup(item_text), cell),
                Paragraph(paragraph_markup(paper_text), cell),
                page,
            ]
        )
    story.append(_table(index, [65 * mm, 85 * mm, 20 * mm]))
    return story


def _cover_sheet(item: PackItem, paper: PackPaper) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    s = _styles()
    cell = s["cell"]
    rows = [
        ["Cover sheet", ""],
        ["Agenda item", Paragraph(paragraph_markup(f"{item.position}. {item.title}"), cell)],
        ["Paper", Paragraph(paragraph_markup(paper.title), cell)],
        ["Purpose", Paragraph(paragraph_markup(paper.purpose), cell)],
        ["Presented by", Paragraph(paragraph_markup(paper.presenter or "Not named"), cell)],
        ["Summary", Paragraph(paragraph_markup(paper.summary or "None given"), cell)],
        ["Risks addressed", Paragraph(paragraph_markup("\n".join(paper.risks) or "None named"), cell)],
        [
            "Where considered before",
            Paragraph(paragraph_markup(paper.considered_before or "Not considered before"), cell),
        ],
        ["Assurance sought", Paragraph(paragraph_markup(paper.assurance_sought or "None stated"), cell)],
    ]
    if paper.late:
        rows.append(["Late paper", Paragraph("Submitted after the deadline for papers.", cell)])
    return [
        Paragraph(paragraph_markup(f"{item.position}. {paper.title}"), s["h1"]),
        Spacer(1, 4 * mm),
        _table(rows, [45 * mm, 125 * mm]),
    ]


def _minutes_story(minutes: PackMinutes) -> list:
    from reportlab.platypus import Paragraph

    s = _styles()
    story: list = [
        Paragraph(paragraph_markup(f"Minutes of the previous meeting: {minutes.title}"), s["h1"]),
        Paragraph(paragraph_markup(f"Status: {minutes.status}"), s["body"]),
        Paragraph("Present", s["h2"]),
        Paragraph(paragraph_markup(", ".join(minutes.present) or "No attendance recorded."), s["body"]),
    ]
    if minutes.apologies:
        story += [
            Paragraph("Apologies", s["h2"]),
            Paragraph(paragraph_markup(", ".join(minutes.apologies)), s["body"]),
        ]
    for item in minutes.items:
        story.append(Paragraph(paragraph_markup(f"{item.position}. {item.title}"), s["h2"]))
        story.append(Paragraph(paragraph_markup(item.minute or "No minute recorded."), s["body"]))
        if item.assurance:
            story.append(Paragraph(paragraph_markup(f"Assurance received: {item.assurance}"), s["body"]))
        for decision in item.decisions:
            story.append(Paragraph(paragraph_markup(f"Decision: {decision}"), s["body"]))
    return story


def _placeholder(paper: PackPaper, reason: str) -> bytes:
    from reportlab.platypus import Paragraph

    s = _styles()
    data, _ = _document(
        [Paragraph(paragraph_markup(paper.title), s["h1"]), Paragraph(paragraph_markup(reason), s["body"])],
        title=paper.title,
    )
    return data


def _paper_pdf(paper: PackPaper) -> bytes | None:
    """The paper's own PDF pages, or a page saying where it is (a Word upload is in the Word pack)."""
    if paper.file_kind == "pdf":
        return paper_file_bytes(paper, "pdf")
    if paper.file_kind == "docx":
        return _placeholder(paper, "This paper is a Word document: it is in the Word pack.")
    return None


def _stamp_overlay(sizes: list[tuple[float, float]], first_numbered: int) -> bytes:
    """One page per page of the pack, each with "Page n of N" at its foot (the cover is not numbered)."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out)
    total = len(sizes)
    for number, (width, height) in enumerate(sizes, start=1):
        canvas.setPageSize((width, height))
        if number >= first_numbered:
            canvas.setFont("Helvetica", 8)
            canvas.drawCentredString(width / 2, 18, f"Page {number} of {total}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def render_pdf(paper: MeetingPackPaper, *, progress: Callable[[str], None] | None = None) -> bytes:
    """The whole pack as one PDF: generated pages by ReportLab, papers merged and every page stamped by pypdf."""
    from pypdf import PdfReader, PdfWriter

    # Each part in order: (its PDF, the bookmark it opens, at which level). The front matter is laid out last, once
    # the pages where the papers start are known; its length is found by laying it out with pages still unknown.
    parts: list[tuple[PdfReader, str, int, str]] = []  # reader, title, level, index key
    index_keys: list[tuple[str, str, str]] = []  # item text, paper text, key ("" for no page)
    if paper.minutes is not None:
        data, _ = _document(_minutes_story(paper.minutes), title="Minutes")
        parts.append((PdfReader(io.BytesIO(data)), "Minutes of the previous meeting", 0, "minutes"))
        index_keys.append(("Minutes of the previous meeting", paper.minutes.title, "minutes"))
    for item in paper.items:
        item_text = f"{item.position}. {item.title}"
        if not item.papers:
            index_keys.append((item_text, NO_PAPER, ""))
        for number, pack_paper in enumerate(item.papers):
            key = f"{item.position}.{number}"
            if progress is not None:
                progress(f"Adding {item.position}. {pack_paper.title}")
            own = _paper_pdf(pack_paper)
            if own is None:  # a verbal update: on the agenda and the index, no pages
                index_keys.append((item_text, f"{pack_paper.title} ({VERBAL.lower()})", ""))
                continue
            cover, _ = _document(_cover_sheet(item, pack_paper), title=pack_paper.title)
            parts.append((PdfReader(io.BytesIO(cover)), pack_paper.title, 1, key))
            parts.append((PdfReader(io.BytesIO(own)), "", 2, key))
            index_keys.append((item_text, pack_paper.title, key))

    def front(pages: dict[str, int]) -> tuple[bytes, int]:
        rows = [(a, b, str(pages[k]) if k else "") for a, b, k in index_keys]
        return _document(_front_story(paper, rows), title=paper.title)

    _, front_pages = front(dict.fromkeys((k for _, _, k in index_keys if k), 9999))
    for _attempt in range(3):  # the real numbers are no wider than the guess: this settles at once
        starts: dict[str, int] = {}
        page = front_pages + 1
        for reader, _title, level, key in parts:
            if level < 2:
                starts.setdefault(key, page)
            page += len(reader.pages)
        front_data, laid_out = front(starts)
        if laid_out == front_pages:
            break
        front_pages = laid_out
    if progress is not None:
        progress("Numbering the pages")
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front_data)))
    writer.add_outline_item(title="Cover", page_number=0)
    writer.add_outline_item(title="Agenda", page_number=1)
    item_marks: dict[int, Any] = {}
    for reader, title, level, key in parts:
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        if level == 0:
            writer.add_outline_item(title=title, page_number=start)
        elif level == 1:
            position = int(key.split(".")[0])
            if position not in item_marks:
                item = next(i for i in paper.items if i.position == position)
                item_marks[position] = writer.add_outline_item(
                    title=f"{item.position}. {item.title}", page_number=start
                )
            writer.add_outline_item(title=title, page_number=start, parent=item_marks[position])
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
    overlay = PdfReader(io.BytesIO(_stamp_overlay(sizes, first_numbered=2)))
    for page_obj, stamp in zip(writer.pages, overlay.pages, strict=True):
        page_obj.merge_page(stamp, over=True)
    writer.add_metadata({"/Title": paper.title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# The Word pack -------------------------------------------------------------------------------------------------------


def render_docx(paper: MeetingPackPaper) -> bytes:
    """The front matter and cover sheets in Word, each Word paper's body appended after its cover sheet; a PDF
    paper is named with a note that it is in the PDF pack."""
    from docx import Document

    document = Document()
    document.add_paragraph(paper.organisation)
    document.add_heading(paper.committee, level=0)
    document.add_paragraph(_meeting_line(paper))
    document.add_paragraph("Public pack: the items taken in public only." if paper.public else "Meeting pack")
    document.add_page_break()
    document.add_heading("Agenda", level=1)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["No.", "Item", "Purpose", "Presenter", "Minutes"], strict=True
    ):
        cell.text = text
    for item in paper.items:
        cells = table.add_row().cells
        for cell, text in zip(
            cells,
            [str(item.position), item.title, item.purpose, item.presenter, str(item.minutes_allowed)],
            strict=True,
        ):
            cell.text = text
    document.add_heading("Index", level=1)
    index = document.add_table(rows=1, cols=3)
    index.style = "Table Grid"
    for cell, text in zip(index.rows[0].cells, ["Item", "Paper", "Where"], strict=True):
        cell.text = text
    for item in paper.items:
        for pack_paper in item.papers or ():
            where = {"pdf": IN_PDF_PACK, "docx": "In this pack", "": VERBAL}[pack_paper.file_kind]
            for cell, text in zip(
                index.add_row().cells,
                [f"{item.position}. {item.title}", pack_paper.title, where],
                strict=True,
            ):
                cell.text = text
    if paper.minutes is not None:
        document.add_page_break()
        document.add_heading(f"Minutes of the previous meeting: {paper.minutes.title}", level=1)
        document.add_paragraph("Present: " + (", ".join(paper.minutes.present) or "no attendance recorded."))
        for minute in paper.minutes.items:
            document.add_heading(f"{minute.position}. {minute.title}", level=2)
            document.add_paragraph(minute.minute or "No minute recorded.")
            if minute.assurance:
                document.add_paragraph(f"Assurance received: {minute.assurance}")
            for decision in minute.decisions:
                document.add_paragraph(f"Decision: {decision}")
    for item in paper.items:
        for pack_paper in item.papers:
            if pack_paper.file_kind == "":
                continue
            document.add_page_break()
            document.add_heading(f"{item.position}. {pack_paper.title}", level=1)
            sheet = document.add_table(rows=0, cols=2)
            sheet.style = "Table Grid"
            for label, value in (
                ("Purpose", pack_paper.purpose),
                ("Presented by", pack_paper.presenter or "Not named"),
                ("Summary", pack_paper.summary or "None given"),
                ("Risks addressed", "; ".join(pack_paper.risks) or "None named"),
                ("Where considered before", pack_paper.considered_before or "Not considered before"),
                ("Assurance sought", pack_paper.assurance_sought or "None stated"),
            ):
                cells = sheet.add_row().cells
                cells[0].text, cells[1].text = label, value
            if pack_paper.file_kind == "pdf":
                document.add_paragraph(f"{pack_paper.title}: {IN_PDF_PACK.lower()}.")
            else:
                _append_docx(document, paper_file_bytes(pack_paper, "docx"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _append_docx(document: Any, data: bytes) -> None:
    """The paragraphs and tables of a Word paper added to the pack (pictures and their links are not carried)."""
    from docx import Document

    source = Document(io.BytesIO(data))
    body = document.element.body
    sect = body[-1] if body[-1].tag.endswith("sectPr") else None
    for element in source.element.body:
        if element.tag.endswith("sectPr"):
            continue
        if element.xpath(".//*[local-name()='drawing' or local-name()='pict']"):
            continue  # a picture refers to the source's own parts
        if sect is not None:
            sect.addprevious(copy.deepcopy(element))
        else:
            body.append(copy.deepcopy(element))


# The kind ------------------------------------------------------------------------------------------------------------


class PackKind(PaperKind):
    key = PACK_KEY
    label = "Meeting pack"
    paper_class = MeetingPackPaper
    formats = ("pdf", "docx")
    permission = Permission.MANAGE_COMMITTEES
    read_label = "Gathering the agenda and papers"
    store_label = "Storing the issued pack"
    read_weight = READ_WEIGHT
    format_weights = {"pdf": PDF_WEIGHT, "docx": DOCX_WEIGHT}

    def build(self, request: PaperRequest) -> MeetingPackPaper:
        pack = request.subject
        return pack_contents(meeting=pack.meeting, public=pack.public, user=request.by, as_at=request.day)

    def render(self, paper: MeetingPackPaper, fmt: str, context: RenderContext) -> bytes:
        if fmt == "pdf":
            return render_pdf(paper)
        return render_docx(paper)

    def filename(self, paper: MeetingPackPaper, fmt: str) -> str:
        stem = slugify(f"{paper.committee} {iso_day(paper.starts_at)}") or "meeting-pack"
        return f"{stem}{'-public' if paper.public else ''}-pack.{fmt}"

    def total(self, paper: MeetingPackPaper) -> int:
        return paper.total

    def counts(self, paper: MeetingPackPaper) -> list[dict[str, Any]]:
        return [
            {"code": "items", "label": "Agenda items", "count": len(paper.items)},
            {"code": "late", "label": "Late papers", "count": paper.late_count},
        ]

    def note(self, paper: MeetingPackPaper, request: PaperRequest) -> str:
        return f"{'Public pack' if paper.public else 'Meeting pack'} issued for {paper.committee}"

    def issue_permission(self, organisation: Organisation) -> Permission:
        return Permission.MANAGE_COMMITTEES

    def job_request(self, job: Any) -> PaperRequest:
        from ..models import MeetingPack

        pack = MeetingPack.objects.select_related("meeting__committee").get(job=job)
        return PaperRequest(job.organisation, job.requested_by, job.as_at, pack)


PACK_KIND = PackKind()


def sniff(data: bytes) -> str:
    """The file's kind read from its content, never its name: "pdf", "docx", or "" for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return ""
    return ""
