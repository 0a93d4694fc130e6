"""The board paper prints, beside each action, the risks it mitigates (the link kept on the risk), in every format;
a person sees only their own organisation's risks there, as everywhere."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from wellled.reports.board_paper import board_paper_build
from wellled.reports.render_csv import render_csv
from wellled.reports.render_docx import render_docx
from wellled.reports.render_pdf import render_pdf
from wellled.risks import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(risk, editor, objects):
    return services.risk_links_set(
        risk=risk, by=editor, expected_version=risk.version, actions=[objects["action"]]
    )


def test_the_paper_names_the_risks_each_action_mitigates(linked, editor, org, objects):
    paper = board_paper_build(user=editor, organisation=org, plan=objects["plan"], as_at=timezone.localdate())
    row = next(r for r in paper.rows if r.reference == objects["action"].reference)
    assert row.risks == (f"R1 {linked.title} (score {linked.current_score})",)
    others = [r for r in paper.rows if r.reference != objects["action"].reference]
    assert all(r.risks == () for r in others)
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(paper))).pages)
    assert "Mitigates risk R1" in pdf
    word = "\n".join(
        c.text for t in Document(io.BytesIO(render_docx(paper))).tables for r in t.rows for c in r.cells
    )
    assert "Mitigates risk R1" in word
    table = list(csv.DictReader(io.StringIO(render_csv(paper).decode("utf-8-sig"))))
    assert next(r for r in table if r["Ref"] == objects["action"].reference)["Risks mitigated"].startswith(
        "R1 "
    )


def test_a_person_of_another_organisation_sees_no_risk_on_a_paper_of_their_own(linked, outsider, other_org):
    from wellled.plans.models import Plan

    plan = Plan.objects.get(organisation=other_org)
    paper = board_paper_build(user=outsider, organisation=other_org, plan=plan, as_at=timezone.localdate())
    assert all(r.risks == () for r in paper.rows)
