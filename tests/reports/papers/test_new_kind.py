"""A paper kind defined in one small module (count_kind.py) is registered, issued, compared with a second issue,
run as a job and downloaded in every format, with nothing else written for it (ADR 0043)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from tests.factories import make_plan

from wellled.core.models import AuditLog
from wellled.reports.models import IssuedPaper, JobState
from wellled.reports.papers.compare import issues_compare
from wellled.reports.papers.jobs import paper_job_queue
from wellled.reports.papers.kind import PaperRequest
from wellled.reports.papers.pipeline import frozen_paper, issue
from wellled.reports.papers.registry import kind_get, kind_register, kind_unregister, kinds
from wellled.reports.papers.store import fingerprint, paper_withdraw
from wellled.reports.selectors import verified_content

from .count_kind import PLAN_COUNT, PlanCount


@pytest.fixture
def plan_count_kind():
    kind_register(PLAN_COUNT)
    yield PLAN_COUNT
    kind_unregister(PLAN_COUNT.key)


def _issue(org, by, as_at=None) -> IssuedPaper:
    request = PaperRequest(organisation=org, by=by, as_at=as_at or timezone.localdate())
    return issue(PLAN_COUNT.key, request)


def _opened(fmt: str, content: bytes) -> str:
    """The text of a downloaded file, read by the library that reads that format."""
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if fmt == "docx":
        return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        return "\n".join(" ".join(str(c) for c in row) for row in sheet.iter_rows(values_only=True))
    if fmt == "csv":
        return "\n".join(" ".join(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return content.decode("utf-8")


def test_a_kind_in_one_module_is_issued_compared_and_downloaded_in_every_format(
    plan_count_kind, org, editor, plan
):
    assert kinds()[PLAN_COUNT.key] is PLAN_COUNT
    first = _issue(org, editor)
    make_plan(org, editor, name="Second plan", actions=1)
    second = _issue(org, editor)

    assert first.kind == second.kind == "plancount" and (first.total, second.total) == (1, 2)
    assert frozen_paper(second) == PlanCount(org.name, second.as_at, second.issued_at, 2)
    assert first.data_intact and second.data_intact
    today = timezone.localdate().isoformat()
    for fmt in PLAN_COUNT.formats:
        stored = second.files.get(format=fmt)
        content = verified_content(stored)
        assert stored.sha256 == fingerprint(content) and stored.filename == f"plan-count-{today}.{fmt}"
        text = _opened(fmt, content)
        assert "2" in text and today in text, fmt
    assert AuditLog.objects.filter(object_id=str(second.pk), note__startswith="Plan count issued").exists()

    comparison = issues_compare(second, first)  # either order: compared by date and issue
    assert (comparison.before, comparison.after) == (first, second)
    assert [(f.code, f.before, f.after) for f in comparison.changed] == [("plans", 1, 2)]
    assert (comparison.total_before, comparison.total_after) == (1, 2)


def test_the_kind_counts_as_at_its_date_and_runs_as_a_job(plan_count_kind, org, editor, plan):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert _issue(org, editor, yesterday).total == 0  # the plan was made today
    job = paper_job_queue(
        kind=PLAN_COUNT.key, request=PaperRequest(organisation=org, by=editor, as_at=yesterday)
    )
    assert job.state == JobState.DONE and job.step == "Issued" and job.paper.total == 0
    assert job.paper.files.count() == len(PLAN_COUNT.formats)


def test_the_pipeline_refuses_what_it_refuses_for_every_kind(plan_count_kind, org, editor, viewer, plan):
    with pytest.raises(PermissionDenied):
        _issue(org, viewer)
    with pytest.raises(ValidationError, match="has not been reached yet"):
        _issue(org, editor, timezone.localdate() + datetime.timedelta(days=1))
    paper = _issue(org, editor)
    paper_withdraw(paper=paper, by=editor, reason="Counted the wrong trust")
    assert AuditLog.objects.filter(note__startswith="Plan count withdrawn").exists()
    assert not IssuedPaper.objects.exclude(pk=paper.pk).exists()


def test_an_unregistered_kind_is_not_issued(org, editor):
    from wellled.reports.papers.registry import UnknownPaperKind

    with pytest.raises(UnknownPaperKind):
        kind_get("plancount")
    with pytest.raises(UnknownPaperKind):
        _issue(org, editor)
