"""Drafts of every paper kind through one path (issue 27): downloaded without issuing, in any of the kind's formats,
marked "Draft" on every page (read back with the library that reads each format), never stored or audited as an
issue, the kind's own permission, and another organisation's plan or request a 404."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from wellled.core.models import AuditLog
from wellled.reports.models import IssuedPaper, PaperJob
from wellled.reports.papers.registry import kind_register, kind_unregister

from .count_kind import PLAN_COUNT

pytestmark = pytest.mark.django_db

BAND = "DRAFT: not issued."


def nothing_written():
    """What a draft must leave as it was: no issued paper, no job, no audit record."""
    return (IssuedPaper.objects.count(), PaperJob.objects.count(), AuditLog.objects.count())


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def assert_marked(fmt: str, content: bytes) -> None:
    """The draft's words where each format shows them first: every PDF page, every Word section's header, a
    workbook's first sheet (and each sheet's printed header), a CSV file's first line, an HTML page's banner."""
    today = timezone.localdate()
    drafted = f"drafted on {today.day} {today:%B %Y}"
    if fmt == "pdf":
        pages = pdf_pages(content)
        assert pages
        for number, text in enumerate(pages, start=1):
            assert BAND in text and drafted in text, f"page {number} is not marked as a draft"
    elif fmt == "docx":
        document = Document(io.BytesIO(content))
        assert document.sections
        for section in document.sections:
            assert section.header.paragraphs[0].text.startswith(BAND)
            assert drafted in section.header.paragraphs[0].text
        assert document.core_properties.title.startswith("DRAFT")
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(content))
        assert book.sheetnames[0] == "Draft" and book.active.title == "Draft"
        assert book["Draft"]["A1"].value.startswith(BAND) and drafted in book["Draft"]["A1"].value
        for sheet in book.worksheets:
            assert sheet.oddHeader.center.text.startswith(BAND)
    elif fmt == "csv":
        first = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert first[0].startswith(BAND) and drafted in first[0]
    else:
        assert f"{BAND}" in content.decode() and "<title>DRAFT: " in content.decode()


def draft(client, kind, fmt, **parameters):
    query = "&".join(f"{name}={value}" for name, value in parameters.items())
    return client.get(reverse("paper-draft", args=[kind, fmt]) + (f"?{query}" if query else ""))


# The board paper: every member downloads it, in every format, through the same path ----------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "csv", "html"])
def test_a_board_paper_draft_is_marked_in_every_format_and_nothing_is_stored(login, viewer, plan, fmt):
    before = nothing_written()
    response = draft(login(viewer), "board", fmt, plan=plan.pk)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Disposition"].endswith(f'-draft.{fmt}"')
    assert response["Cache-Control"] == "private, no-store"
    assert_marked(fmt, response.content)
    assert nothing_written() == before


def test_the_board_papers_own_address_is_the_same_draft(login, viewer, plan):
    response = login(viewer).get(reverse("board-paper-download", args=[plan.pk, "pdf"]))
    assert response.status_code == 200
    assert_marked("pdf", response.content)


def test_a_long_board_paper_is_marked_on_every_one_of_its_pages(login, editor, lead, org):
    from tests.factories import make_plan

    from wellled.plans import services

    plan = make_plan(org, editor, lead=lead)
    section = plan.sections.first()
    for number in range(40):
        services.action_create(
            plan=plan,
            by=editor,
            section=section,
            reference=f"L{number}",
            title="A long action " * 40,
            lead=lead,
        )
    pages = pdf_pages(draft(login(editor), "board", "pdf", plan=plan.pk).content)
    assert len(pages) > 3
    assert all(BAND in text for text in pages)


def test_another_organisations_plan_is_404_and_bad_requests_are_told(login, outsider, viewer, plan):
    client = login(outsider)
    assert draft(client, "board", "pdf", plan=plan.pk).status_code == 404
    client.logout()
    client = login(viewer)
    assert draft(client, "board", "exe", plan=plan.pk).status_code == 404
    assert draft(client, "nosuchkind", "pdf").status_code == 404
    assert draft(client, "board", "pdf").status_code == 400  # which plan?
    refused = draft(client, "board", "pdf", plan=plan.pk, as_at="31/08/2025")
    assert refused.status_code == 400 and "Enter the date as year, month and day" in refused.content.decode()
    assert draft(client, "board", "pdf", plan=plan.pk, as_at="9999-12-31").status_code == 400


# The BAF: drafted by those who issue it ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "csv"])
def test_a_baf_draft_is_marked_and_not_issued(login, editor, fmt):
    before = nothing_written()
    response = draft(login(editor), "baf", fmt, as_at=timezone.localdate().isoformat())
    assert response.status_code == 200
    assert_marked(fmt, response.content)
    assert nothing_written() == before


def test_the_baf_draft_is_for_those_who_issue_it(login, viewer, editor):
    client = login(editor)
    page = client.get(reverse("baf")).content.decode()
    assert reverse("paper-draft", args=["baf", "pdf"]) in page and "Download a draft" in page
    client.logout()
    client = login(viewer)
    assert draft(client, "baf", "pdf").status_code == 403
    assert reverse("paper-draft", args=["baf", "pdf"]) not in client.get(reverse("baf")).content.decode()


def test_a_baf_draft_shows_only_the_askers_own_organisation(login, editor, outsider, org):
    from wellled.risks.models import Risk

    response = draft(login(outsider), "baf", "csv")
    assert response.status_code in (200, 403)  # the outsider's own BAF, or none for their role
    names = {r.title for r in Risk.objects.filter(organisation=org)}
    assert not any(name in response.content.decode("utf-8-sig") for name in names)


# The integrated performance report -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_an_ipr_draft_is_marked_on_every_page(login, viewer, fmt):
    before = nothing_written()
    response = draft(login(viewer), "ipr", fmt)
    assert response.status_code == 200
    assert_marked(fmt, response.content)
    assert nothing_written() == before
    assert draft(login(viewer), "ipr", "xlsx").status_code == 404  # not one of its formats


# A kind added later is drafted with nothing written for it --------------------------------------------------------


@pytest.fixture
def plan_count_kind():
    kind_register(PLAN_COUNT)
    yield PLAN_COUNT
    kind_unregister(PLAN_COUNT.key)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "csv", "html"])
def test_a_kind_added_later_is_drafted_and_marked_by_the_pipeline(plan_count_kind, login, editor, plan, fmt):
    before = nothing_written()
    response = draft(login(editor), PLAN_COUNT.key, fmt)
    assert response.status_code == 200
    assert_marked(fmt, response.content)
    assert nothing_written() == before


def test_a_pdf_drawn_without_the_kits_canvas_is_never_served_as_a_draft(
    plan_count_kind, login, editor, plan, monkeypatch
):
    from reportlab.pdfgen.canvas import Canvas

    def unmarked(paper, fmt, context):
        out = io.BytesIO()
        canvas = Canvas(out)
        canvas.drawString(72, 720, paper.line)
        canvas.save()
        return out.getvalue()

    monkeypatch.setattr(
        type(PLAN_COUNT), "render", lambda self, paper, fmt, context: unmarked(paper, fmt, context)
    )
    response = draft(login(editor), PLAN_COUNT.key, "pdf")
    assert response.status_code == 422
    assert "could not be marked on every page" in response.content.decode()


def test_a_draft_is_built_with_the_collector_paused_and_it_runs_again_after(login, viewer, plan, monkeypatch):
    """Issue 24: no cyclic garbage collections while a download waits on the draft; the collector is back after."""
    import gc

    from wellled.reports.board_kind import BoardPaperKind

    seen: list[bool] = []
    build = BoardPaperKind.build

    def recording(self, request):
        seen.append(gc.isenabled())
        return build(self, request)

    monkeypatch.setattr(BoardPaperKind, "build", recording)
    response = draft(login(viewer), "board", "pdf", plan=plan.pk)
    assert response.status_code == 200
    assert seen == [False]
    assert gc.isenabled()
