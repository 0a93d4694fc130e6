"""Content that changes over time is read as it stood on the paper's date (a principal risk's wording on a BAF),
and each chart of an issue is drawn once, whatever the number of formats and sections it appears in."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from docx import Document
from pypdf import PdfReader
from tests.reports.test_ipr_issued import make_ipr_measures

from wellled.reports.ipr.kind import frozen_report, ipr_issue
from wellled.risks import services as risk_services
from wellled.risks.baf_paper import baf_paper_build
from wellled.risks.paper_kind import baf_paper_issue
from wellled.spc import render as spc_render

pytestmark = pytest.mark.django_db
OLD_TITLE = "Too few midwives on the night rota"
NEW_TITLE = "Midwifery staffing below the safe level at night"


def test_a_baf_dated_in_the_past_shows_each_risk_as_it_was_worded_then(org, editor, lead):
    today = timezone.localdate()
    then = today - datetime.timedelta(days=30)
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(then, datetime.time(9))), tick=False
    ):
        objective = risk_services.objective_create(organisation=org, by=editor, code="SO1", title="Safe care")
        risk = risk_services.risk_create(
            organisation=org,
            by=editor,
            title=OLD_TITLE,
            inherent=(4, 5),
            current=(3, 4),
            target=(2, 3),
            opened_on=then,
            owner=lead,
            gaps_in_control="No cover for sickness.",
        )
        risk = risk_services.risk_baf_set(
            risk=risk,
            by=editor,
            expected_version=risk.version,
            principal=True,
            objective=objective,
            lead_committee="Quality committee",
        )
    risk = risk_services.risk_update(
        risk=risk,
        by=editor,
        expected_version=risk.version,
        title=NEW_TITLE,
        owner=editor,
        gaps_in_control="Agency cover only.",
    )
    risk_services.risk_baf_set(
        risk=risk, by=editor, expected_version=risk.version, lead_committee="People committee"
    )

    past = baf_paper_build(user=editor, organisation=org, as_at=then).principal[0]
    now = baf_paper_build(user=editor, organisation=org, as_at=today).principal[0]
    assert (past.title, past.owner, past.gaps_in_control, past.lead_committee) == (
        OLD_TITLE,
        str(lead),
        "No cover for sickness.",
        "Quality committee",
    )
    assert (now.title, now.owner, now.gaps_in_control, now.lead_committee) == (
        NEW_TITLE,
        str(editor),
        "Agency cover only.",
        "People committee",
    )
    issued = baf_paper_issue(organisation=org, as_at=then, by=editor)
    pdf = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(bytes(issued.files.get(format="pdf").content))).pages
    )
    assert "Too few midwives" in pdf and "Midwifery staffing" not in pdf


def test_each_chart_is_drawn_once_per_issue_and_shared_by_every_format(org, editor, monkeypatch):
    made = make_ipr_measures(org, editor)
    drawn: list[str] = []
    real = spc_render.render_svg

    def counting(result, **kwargs):
        drawn.append(kwargs["title"])
        return real(result, **kwargs)

    monkeypatch.setattr(spc_render, "render_svg", counting)
    issued = ipr_issue(organisation=org, as_at=timezone.localdate(), by=editor)
    report = frozen_report(issued)
    charted = sorted(m.name for m in report.measures if m.result is not None)
    in_both = {m.name for m in report.exceptions} & set(charted)
    assert charted and in_both  # a measure of the exceptions is printed twice in the PDF
    assert sorted(drawn) == charted  # once each, for the PDF and the Word file together
    assert len(made) == len(report.measures)
    pictures = Document(io.BytesIO(bytes(issued.files.get(format="docx").content))).inline_shapes
    assert len(pictures) >= len(charted)
