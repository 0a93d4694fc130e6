"""Honest SPC in every format of the demo's papers and on its pages (issue 26): a series with fewer than 12 points is
never called "common cause", and a latest figure older than its frequency allows is flagged as out of date."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.reports.test_paper_limits import docx_text, pdf_text

from wellled.core.choices import Role
from wellled.core.middleware import SESSION_ORGANISATION_KEY
from wellled.core.models import Membership
from wellled.core.workbook import opened_workbook
from wellled.demo.plans import DEMO_ODS_CODE, SECOND_ODS_CODE, demo_plan
from wellled.demo.steps import demo_run
from wellled.information.models import InformationRequest, RequestKind, RequestStatus
from wellled.information.services import answer_produce
from wellled.measures.jinja import measure_period
from wellled.measures.models import Measure
from wellled.measures.selectors import summarise
from wellled.reports.ipr.build import last_complete_period
from wellled.reports.ipr.kind import ipr_issue
from wellled.reports.services import paper_issue
from wellled.risks.models import Risk
from wellled.risks.paper_kind import baf_paper_issue
from wellled.spc import Variation

pytestmark = pytest.mark.django_db

COMMON_CAUSE = "commoncause"  # "Common cause variation" and the papers' short "Common cause", without spaces
OUT_OF_DATE = "outofdate"
TOO_FEW = "toofewforprocesslimits"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _squeezed(text: str) -> str:
    """Text without white space, lower case: a PDF breaks words across lines and cells."""
    return "".join(text.split()).lower()


def _html_text(html: str) -> str:
    """A page's words; a chart's picture between markers, so its text can be told from the page's."""
    marked = re.sub(r"<svg\b", "\x00svg<svg", re.sub(r"</svg>", "</svg>\x00/svg", html))
    return _squeezed(unescape(re.sub(r"<[^>]+>", " ", marked)))


def _xlsx_text(data: bytes) -> str:
    with opened_workbook(data) as book:
        cells = [
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        ]
    return _squeezed(" ".join(cells))


def _csv_text(data: bytes) -> str:
    return _squeezed(" ".join(" ".join(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))))


READERS = {
    "pdf": lambda data: pdf_text(data).lower(),
    "docx": lambda data: docx_text(data).lower(),
    "xlsx": _xlsx_text,
    "csv": _csv_text,
    "html": lambda data: _html_text(data.decode()),
}


def _issuer(organisation):
    return (
        Membership.objects.filter(
            organisation=organisation, role__in=(Role.ADMINISTRATOR, Role.GOVERNANCE_EDITOR), active=True
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
        .user
    )


def _files(issued) -> dict[str, str]:
    return {f"{issued.kind} {f.format}": READERS[f.format](bytes(f.content)) for f in issued.files.all()}


def _check(where: str, text: str, summaries) -> list[str]:
    """What `text` says wrongly of the measures: each measure's words run from its name to the next measure's. A
    chart's picture (its SVG) is judged for "common cause" but not for the date, which its caption gives."""
    wrong = []
    words_of = _spots(text, summaries)
    for s, words in words_of:
        if s.variation is Variation.TOO_FEW_POINTS and COMMON_CAUSE in words:
            wrong.append(f"{where}: {s.measure.name} ({s.points} points) is called common cause")
    for s, words in _spots(_without_pictures(text), summaries):
        # A latest figure given with its period (a data table's rows of every period are not "latest").
        shown = (
            s.has_data
            and "latest" in words
            and _squeezed(measure_period(s.latest_period, s.measure)) in words
        )
        if shown and s.out_of_date and OUT_OF_DATE not in words:
            wrong.append(f"{where}: {s.measure.name}'s latest figure is not flagged {s.out_of_date!r}")
    return wrong


def _spots(text: str, summaries) -> list[tuple]:
    """Each mention of a measure with the words from it to the next mention of any measure (600 characters at most)."""
    spots = sorted(
        (at.start(), s.measure.pk, s)
        for s in summaries.values()
        for at in re.finditer(re.escape(_squeezed(s.measure.name)), text)
    )
    out = []
    for i, (start, _, s) in enumerate(spots):
        end = spots[i + 1][0] if i + 1 < len(spots) else start + 600
        out.append((s, text[start : min(end, start + 600)]))
    return out


def _without_pictures(text: str) -> str:
    return re.sub(r"\x00svg.*?\x00/svg", "", text)


def test_no_paper_or_page_of_the_demo_calls_a_short_series_common_cause_or_hides_an_old_figure():
    """Making Data Count (NHS England): process limits need a baseline of at least 12 points, so a shorter series is
    "n points: too few for process limits", never "common cause variation"; and a chart is read as at its latest
    figure, so a figure older than its frequency allows is flagged out of date. Every format of the demo's board
    paper, integrated performance report, BAF and information answers, and the measure pages, say so."""
    demo_run()
    today = timezone.localdate()
    wrong: list[str] = []
    short_seen = 0
    for ods_code in (DEMO_ODS_CODE, SECOND_ODS_CODE):
        plan = demo_plan(ods_code)
        organisation = plan.organisation
        by = _issuer(organisation)
        measures = list(Measure.objects.filter(organisation=organisation))
        summaries = summarise(measures, until=today)
        report_day = last_complete_period(user=by, organisation=organisation)
        short = [s for s in summaries.values() if s.variation is Variation.TOO_FEW_POINTS]
        short_seen += len(short)
        texts = {}
        texts.update(_files(paper_issue(plan=plan, cycle_or_as_at=today, by=by)))
        texts.update(_files(ipr_issue(organisation=organisation, as_at=today, by=by)))
        if Risk.objects.filter(organisation=organisation).exists():
            texts.update(_files(baf_paper_issue(organisation=organisation, as_at=today, by=by)))
        for request in InformationRequest.objects.filter(
            organisation=organisation, kind=RequestKind.MEASURES, status=RequestStatus.OPEN
        ):
            outcome = answer_produce(request=request, by=_issuer(request.organisation))
            texts.update(_files(outcome.answer.paper))
        client = Client()
        client.force_login(by)
        session = client.session
        session[SESSION_ORGANISATION_KEY] = organisation.pk
        session.save()
        pages = [reverse("ipr"), reverse("measure-list"), reverse("dashboard")]
        pages += [reverse("measure-detail", args=[s.measure.pk]) for s in short]
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            texts[url] = _html_text(response.content.decode())
        assert any(TOO_FEW in text for text in texts.values()) or not short
        for where, text in texts.items():
            # The report page is as at the last complete period; every other text as at today.
            read_at = summarise(measures, until=report_day) if where == reverse("ipr") else summaries
            wrong += _check(where, text, read_at)
    assert short_seen, "the demo keeps a few short series (ward accreditation) to show the rule"
    assert wrong == [], "\n".join(wrong)
