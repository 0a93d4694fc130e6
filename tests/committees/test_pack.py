"""The meeting pack read back from its PDF (issue 22, ADR 0057): the index's page numbers are the pages where
each paper starts, bookmarks point to them, pages are numbered "Page n of N" throughout, and the public pack holds
nothing of a private item."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader
from tests.committees.builders import build_board
from tests.committees.pack_files import pdf_pages, word_file

from wellled.committees.choices import AssuranceLevel, Attendance, MeetingStatus, PaperSource
from wellled.committees.jobs import NO_ITEMS, pack_request
from wellled.committees.models import AgendaItem, Meeting, MeetingAttendance
from wellled.committees.services.papers import NOT_A_PAPER, TOO_BIG, paper_upload, paper_verbal
from wellled.core.models import AuditLog
from wellled.reports.models import IssuedPaperFile, JobState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _pack_pdf(pack) -> PdfReader:
    pack.job.refresh_from_db()
    assert pack.job.state == JobState.DONE, pack.job.error
    stored = IssuedPaperFile.objects.get(paper_id=pack.job.paper_id, format="pdf")
    assert stored.intact
    return PdfReader(io.BytesIO(bytes(stored.content)))


def _with_papers():
    b = build_board()
    paper_upload(
        item=b.public_item,
        upload=_upload("ipr.pdf", pdf_pages("Quality IPR", 5)),
        by=b.governance,
        title="Quality IPR",
        summary="How the quality measures moved.",
    )
    paper_upload(
        item=b.public_item,
        upload=_upload("falls.pdf", pdf_pages("Falls data", 3)),
        by=b.governance,
        title="Falls review",
    )
    paper_upload(
        item=b.private_item,
        upload=_upload("si.pdf", pdf_pages("Confidential incident detail", 4)),
        by=b.governance,
        title="Incident briefing",
    )
    third = AgendaItem.objects.create(meeting=b.meeting, position=3, title="Any other business")
    paper_verbal(item=third, by=b.governance, title="Chair's update")
    return b


def _index(reader: PdfReader) -> dict[str, int]:
    """The index's rows as paper title -> page, read from the PDF's text."""
    pages = {}
    for page in reader.pages[:4]:
        text = page.extract_text()
        if "Index" not in text:
            continue
        for title in ("Quality IPR", "Falls review", "Incident briefing"):
            found = re.search(re.escape(title) + r"\s+(\d+)\s*$", text, re.MULTILINE)
            if found:
                pages[title] = int(found.group(1))
    return pages


def test_the_index_bookmarks_and_page_numbers_match_the_pages_where_each_paper_starts():
    b = _with_papers()
    pack = pack_request(meeting=b.meeting, public=False, by=b.governance)
    reader = _pack_pdf(pack)
    total = len(reader.pages)
    # cover, agenda, index, then cover sheet + 5, cover sheet + 3, cover sheet + 4 pages
    assert total == 3 + 6 + 4 + 5
    index = _index(reader)
    assert index == {"Quality IPR": 4, "Falls review": 10, "Incident briefing": 14}
    for title, page in index.items():
        text = reader.pages[page - 1].extract_text()
        assert "Cover sheet" in text and title in text
    assert "Quality IPR, page 1" in reader.pages[index["Quality IPR"]].extract_text()
    assert "Confidential incident detail, page 1" in reader.pages[index["Incident briefing"]].extract_text()
    marks = {}

    def walk(outline):
        for entry in outline:
            if isinstance(entry, list):
                walk(entry)
            else:
                marks[entry.title] = reader.get_destination_page_number(entry) + 1

    walk(reader.outline)
    assert marks["1. Integrated performance report: quality"] == 4
    assert marks["Quality IPR"] == 4 and marks["Falls review"] == 10 and marks["Incident briefing"] == 14
    for number, page in enumerate(reader.pages[1:], start=2):
        assert f"Page {number} of {total}" in page.extract_text()
    assert "Chair's update (verbal)" in reader.pages[2].extract_text()


def test_the_public_pack_holds_no_private_item_title_or_paper_text():
    b = _with_papers()
    pack = pack_request(meeting=b.meeting, public=True, by=b.governance)
    reader = _pack_pdf(pack)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Quality IPR, page 5" in text
    assert b.private_item.title not in text
    assert "Incident briefing" not in text and "Confidential incident detail" not in text
    assert len(reader.pages) == 3 + 6 + 4


def test_the_pack_carries_the_previous_minutes_and_tells_the_members_by_email():
    b = _with_papers()
    before = Meeting.objects.create(
        committee=b.quality,
        starts_at=b.meeting.starts_at - datetime.timedelta(days=30),
        status=MeetingStatus.HELD,
    )
    AgendaItem.objects.create(
        meeting=before,
        position=1,
        title="Maternity safety",
        minute="The committee noted the staffing gap.",
        assurance=AssuranceLevel.LIMITED,
    )
    MeetingAttendance.objects.create(meeting=before, person=b.chair, attendance=Attendance.PRESENT)
    pack = pack_request(meeting=b.meeting, public=False, by=b.governance)
    reader = _pack_pdf(pack)
    minutes = reader.pages[3].extract_text()
    assert "Minutes of the previous meeting" in minutes and "staffing gap" in minutes and "Limited" in minutes
    pack.refresh_from_db()
    assert pack.emailed_to == 2
    assert {m.to[0] for m in mail.outbox} == {b.chair.email, b.member.email}
    assert f"/committees/packs/{pack.pk}/" in mail.outbox[0].body
    assert AuditLog.objects.filter(object_id=str(pack.job.paper_id), note__startswith="Meeting pack").exists()


def test_the_word_pack_appends_word_papers_and_lists_pdfs_as_in_the_pdf_pack():
    from docx import Document

    b = _with_papers()
    paper_upload(item=b.public_item, upload=_upload("note.docx", word_file("Nursing note")), by=b.governance)
    pack = pack_request(meeting=b.meeting, public=True, by=b.governance)
    pack.job.refresh_from_db()
    docx = IssuedPaperFile.objects.get(paper_id=pack.job.paper_id, format="docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(bytes(docx.content))).paragraphs)
    assert "The body of Nursing note." in text
    assert "in the pdf pack" in text.lower()
    assert "Incident briefing" not in text


def test_an_upload_is_checked_by_content_and_size_and_keeps_its_checksum(settings):
    b = build_board()
    with pytest.raises(ValidationError) as refused:
        paper_upload(item=b.public_item, upload=_upload("paper.pdf", b"not a pdf at all"), by=b.governance)
    assert refused.value.message_dict["file"] == [NOT_A_PAPER]
    settings.WELLLED_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as big:
        paper_upload(item=b.public_item, upload=_upload("big.pdf", pdf_pages("Big", 2)), by=b.governance)
    assert "the most a paper may be is 100 bytes" in big.value.message_dict["file"][0]
    assert TOO_BIG
    settings.WELLLED_MAX_UPLOAD_BYTES = 10 * 2**20
    data = pdf_pages("Ok", 2)
    paper = paper_upload(item=b.public_item, upload=_upload("ok.pdf", data), by=b.governance)
    import hashlib

    assert paper.source == PaperSource.UPLOAD and paper.pages == 2
    assert paper.file_sha256 == hashlib.sha256(data).hexdigest()
    assert paper.file.read() == data
    assert AuditLog.objects.filter(object_id=str(paper.pk), action="create").exists()


def test_only_the_governance_team_uploads_papers_and_asks_for_packs():
    b = _with_papers()
    with pytest.raises(PermissionDenied):
        paper_upload(item=b.public_item, upload=_upload("x.pdf", pdf_pages("X", 1)), by=b.chair)
    with pytest.raises(PermissionDenied):
        pack_request(meeting=b.meeting, public=True, by=b.member)


def test_a_meeting_without_an_agenda_gets_a_clear_message():
    b = build_board()
    AgendaItem.objects.filter(meeting=b.meeting).delete()
    with pytest.raises(ValidationError, match=re.escape(NO_ITEMS)):
        pack_request(meeting=b.meeting, public=False, by=b.governance)


def test_wellled_pack_issues_the_public_pack_and_writes_it(tmp_path):
    from django.core.management import CommandError, call_command

    b = _with_papers()
    out = tmp_path / "pack.pdf"
    stdout = io.StringIO()
    call_command(
        "pack",
        str(b.meeting.pk),
        "--public",
        "--out",
        str(out),
        "--as-user",
        b.governance.username,
        stdout=stdout,
    )
    said = stdout.getvalue()
    assert (
        "Issued the public pack" in said
        and "SHA-256" in said
        and f"Wrote the issued PDF file to {out}" in said
    )
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Quality IPR" in text and "Incident briefing" not in text
    with pytest.raises(CommandError, match="role does not allow issuing meeting packs"):
        call_command("pack", str(b.meeting.pk), "--as-user", b.outsider.username, stdout=io.StringIO())
    with pytest.raises(CommandError, match="No meeting has the id 0"):
        call_command("pack", "0", stdout=io.StringIO())


def test_a_wellled_paper_is_issued_frozen_for_the_item_and_merged_into_the_pack():
    from wellled.committees.services.papers import UNKNOWN_KIND, paper_wellled_issue
    from wellled.reports.models import IssuedPaper

    b = build_board()
    paper = paper_wellled_issue(
        item=b.public_item, kind="baf", by=b.governance, summary="The BAF as it stands."
    )
    issued = IssuedPaper.objects.get(pk=paper.issued_paper_id)
    assert (
        paper.source == PaperSource.WELLLED
        and issued.kind == "baf"
        and paper.title == "Board assurance framework: Quality Committee"
    )
    # A committee's meeting takes its own part of the BAF and the IPR; the board's takes the whole.
    assert issued.title.startswith("Board assurance framework for Quality Committee")
    with pytest.raises(ValidationError) as refused:
        paper_wellled_issue(item=b.public_item, kind="answer", by=b.governance)
    assert refused.value.message_dict["kind"] == [UNKNOWN_KIND]
    reader = _pack_pdf(pack_request(meeting=b.meeting, public=True, by=b.governance))
    baf_pages = len(PdfReader(io.BytesIO(bytes(issued.files.get(format="pdf").content))).pages)
    assert len(reader.pages) == 3 + 1 + baf_pages
    assert "Board assurance framework" in reader.pages[3].extract_text()
    ipr = paper_wellled_issue(item=b.public_item, kind="ipr", by=b.governance)
    assert ipr.title == "Integrated performance report: Quality Committee"
    board_item = AgendaItem.objects.create(
        meeting=Meeting.objects.create(committee=b.board, starts_at=b.meeting.starts_at),
        position=1,
        title="BAF",
    )
    whole = paper_wellled_issue(item=board_item, kind="baf", by=b.governance)
    assert whole.title == "Board assurance framework"
    assert IssuedPaper.objects.get(pk=whole.issued_paper_id).title.startswith("Board assurance framework, ")


def test_a_paper_after_the_deadline_is_late_on_its_cover_sheet_and_the_cover():
    b = build_board()
    Meeting.objects.filter(pk=b.meeting.pk).update(
        papers_due_at=b.meeting.starts_at - datetime.timedelta(days=30)
    )
    b.public_item.refresh_from_db()
    paper = paper_upload(
        item=b.public_item,
        upload=_upload("late.pdf", pdf_pages("Late one", 1)),
        by=b.governance,
        title="Late one",
    )
    assert paper.late
    reader = _pack_pdf(pack_request(meeting=b.meeting, public=True, by=b.governance))
    assert "Late papers (after the deadline for papers): 1." in reader.pages[0].extract_text()
    assert "Submitted after the deadline for papers." in reader.pages[3].extract_text()
