"""Text pasted from other programs can carry control characters that Word and Excel files cannot hold (Word's own
manual line break is a vertical tab). Forms turn them into new lines or drop them, and every paper renders even
when such text arrived another way (an import, the command line, data from before this rule)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import timezone
from docx import Document
from tests.factories import status

from wellled.plans.models import Action, ProgressUpdate
from wellled.reports.board_paper import board_paper_build
from wellled.reports.render_docx import render_docx
from wellled.reports.render_xlsx import render_xlsx

pytestmark = pytest.mark.django_db
PASTED = "Recruited 3 of 4\x0bInterviews on Friday\x0c\x01 \ufffe\uffffdone"


def test_a_lead_pastes_text_with_control_characters_and_it_is_kept_as_lines(login, org, lead, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    response = login(lead).post(
        f"/actions/{action.pk}/update/",
        {
            "narrative": PASTED,
            "status": status(org, "A/G").pk,
            "update_date": timezone.localdate().isoformat(),
            "version": action.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        ProgressUpdate.objects.get(action=action).narrative == "Recruited 3 of 4\nInterviews on Friday\n done"
    )


def test_word_and_excel_papers_render_text_that_bypassed_the_forms(org, editor, lead, plan):
    from wellled.plans import services

    action = Action.objects.get(plan=plan, reference="W1a")
    services.progress_update_record(
        action=action,
        by=lead,
        narrative=PASTED,
        status=status(org, "A/G"),
        expected_version=None,
        update_date=timezone.localdate(),
    )
    paper = board_paper_build(user=editor, organisation=org, plan=plan, as_at=timezone.localdate())
    document = Document(io.BytesIO(render_docx(paper)))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("Recruited 3 of 4\nInterviews on Friday\n done" in c for c in cells)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(paper)))
    values = [str(c.value) for row in book.active.iter_rows() for c in row if c.value]
    assert "Recruited 3 of 4\nInterviews on Friday\n done" in values


def test_plan_names_and_status_labels_with_control_characters_still_give_papers_and_exports(
    org, editor, lead, plan
):
    from wellled.core.models import DeliveryStatus
    from wellled.plans import services
    from wellled.plans.models import Plan
    from wellled.plans.spreadsheet.export import plan_export

    Plan.objects.filter(pk=plan.pk).update(name="Well-led\x0breview")  # as stored before text was cleaned
    DeliveryStatus.objects.filter(organisation=org, code="A/G").update(
        label="On\x0btrack", meaning="Fine\x01"
    )
    plan.refresh_from_db()
    action = Action.objects.get(plan=plan, reference="W1a")
    services.progress_update_record(
        action=action, by=lead, narrative="Going well", status=status(org, "A/G"), expected_version=None
    )
    paper = board_paper_build(user=editor, organisation=org, plan=plan, as_at=timezone.localdate())
    document = Document(io.BytesIO(render_docx(paper)))
    assert document.core_properties.title.startswith("Well-led\nreview")
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(paper)))
    assert book.properties.title.startswith("Well-led\nreview")
    exported = openpyxl.load_workbook(
        io.BytesIO(plan_export(user=editor, organisation=org, plan=plan, fmt="xlsx").data)
    )
    assert exported.properties.title.startswith("Well-led") and exported.worksheets[0]["A2"].value
