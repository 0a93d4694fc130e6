"""The import pages: upload, the problems by row and column or the preview, Import, and the result."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.factories import db_state, make_person
from tests.spreadsheets import HEADER, xlsx_bytes

from wellled.core.choices import Role
from wellled.plans import services
from wellled.plans.choices import ImportState
from wellled.plans.models import Action, Plan, PlanImport

GOOD = [
    HEADER,
    [
        "W1a",
        "Coach every ward leader",
        "March 2026 July 2026",
        "RG",
        "60 coached",
        "Coaching has started.",
        "G",
    ],
    ["W1d", "Open a leadership academy", "Q3 2026/27", "DMc", "Academy open", None, "A/G"],
]
BAD = [
    HEADER,
    ["W1a", "Coach every ward leader", "Spring 2026", "RG", None, None, "G"],
    ["W1d", "Open a leadership academy", "Q3 2026/27", "RG", None, None, "Purple"],
]


def upload(rows, name="plan.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows))


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def rg(org):
    return make_person(
        org, role=Role.LEAD, username="rosa", first_name="Rosa", last_name="Green", initials="RG"
    )


@pytest.mark.django_db
def test_editor_uploads_checks_the_preview_and_imports_the_changes_when_the_file_is_right(
    login, editor, plan, rg
):
    client = login(editor)
    assert "Import from a spreadsheet" in text(client.get(reverse("plan-detail", args=[plan.pk])))
    assert client.get(reverse("plan-import", args=[plan.pk])).status_code == 200
    response = client.post(reverse("plan-import", args=[plan.pk]), {"file": upload(GOOD)})
    pending = PlanImport.objects.get(plan=plan, state=ImportState.PENDING, file_name="plan.xlsx")
    assert response.status_code == 302 and response["Location"] == reverse(
        "plan-import-review", args=[pending.pk]
    )
    page = text(client.get(response["Location"]))
    assert "Check what plan.xlsx will change" in page
    assert (
        "planned action; lead: LP → RG; success measure; timescale revised: March 2026 → July 2026; new "
        "progress update (G)"
    ) in page
    assert "New action: Open a leadership academy" in page
    assert (
        "‘DMc’ is not anyone at Northmoor Test Trust, so they become a person to invite (initials DMc)."
        in page
    )
    assert "W1b, W1c" in page  # in the plan but not in the file: left as they are
    assert "Import 2 actions" in page
    before = Action.objects.filter(plan=plan).count()
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    response = client.post(reverse("plan-import-review", args=[pending.pk]), {"fingerprint": fingerprint})
    assert response.status_code == 302
    assert Action.objects.filter(plan=plan).count() == before + 1
    assert Action.objects.get(plan=plan, reference="W1a").title == "Coach every ward leader"
    pending.refresh_from_db()
    assert (
        pending.state == ImportState.APPLIED
        and bytes(pending.content) == b""
        and pending.applied_by == editor
    )
    review = client.get(reverse("plan-import-review", args=[pending.pk]))
    result = text(review)
    assert "plan.xlsx has been imported" in result and "W1d" in result and "DMc" in result
    # The plan's name is a link, not markup shown as text.
    assert (
        f'<a href="/plans/{plan.pk}/">{plan.name}</a>' in review.content.decode()
        and "&lt;a href" not in result
    )
    before = db_state()
    again = client.post(
        reverse("plan-import-review", args=[pending.pk]), {"fingerprint": fingerprint}, follow=True
    )
    assert "This file has already been imported." in text(again)
    assert db_state() == before


@pytest.mark.django_db
def test_problems_are_listed_by_row_and_column_and_nothing_is_kept_when_the_file_has_errors(
    login, editor, plan, rg
):
    client = login(editor)
    before = db_state()
    response = client.post(reverse("plan-import", args=[plan.pk]), {"file": upload(BAD)})
    page = text(response)
    assert (
        response.status_code == 200 and "There is a problem with plan.xlsx: nothing has been imported" in page
    )
    assert "‘Spring 2026’ is not a timescale Wellled can read" in page
    assert '<td class="nhsuk-table__cell">3</td>' in page and "RAG" in page
    assert "‘Purple’ is not on Northmoor Test Trust’s delivery-status scale" in page
    assert db_state() == before and not PlanImport.objects.filter(file_name="plan.xlsx").exists()


@pytest.mark.django_db
def test_editor_imports_a_new_plan_from_the_plan_list_when_the_name_is_free(login, editor, plan, rg):
    client = login(editor)
    assert "Import a new plan from a spreadsheet" in text(client.get(reverse("plan-list")))
    taken = client.post(
        reverse("plan-import-new"), {"name": plan.name, "kind": "self_review", "file": upload(GOOD)}
    )
    assert f"There is already a plan called ‘{plan.name}’" in text(taken)
    response = client.post(
        reverse("plan-import-new"), {"name": "Culture plan 2026", "kind": "improvement", "file": upload(GOOD)}
    )
    pending = PlanImport.objects.get(plan__isnull=True, plan_name="Culture plan 2026")
    page = text(client.get(response["Location"]))
    assert "Culture plan 2026 (a new plan)" in page and "Import 2 actions" in page
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    client.post(reverse("plan-import-review", args=[pending.pk]), {"fingerprint": fingerprint})
    new = Plan.objects.get(name="Culture plan 2026")
    assert new.kind == "improvement" and new.actions.count() == 2
    pending.refresh_from_db()
    assert pending.plan == new


@pytest.mark.django_db
def test_nothing_is_imported_when_the_plan_changed_after_the_preview_was_shown(login, editor, plan, rg):
    client = login(editor)
    response = client.post(reverse("plan-import", args=[plan.pk]), {"file": upload(GOOD)})
    page = text(client.get(response["Location"]))
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    action = Action.objects.get(plan=plan, reference="W1a")
    services.action_update(
        action=action, by=editor, expected_version=action.version, title="Changed meanwhile"
    )
    before = db_state()
    response = client.post(response["Location"], {"fingerprint": fingerprint}, follow=True)
    assert "The plan has changed since this file was checked, so nothing has been imported." in text(response)
    assert db_state() == before


@pytest.mark.django_db
def test_an_upload_left_waiting_a_day_expires_and_cannot_be_imported_when_confirmed_late(
    login, editor, plan, rg
):
    client = login(editor)
    response = client.post(reverse("plan-import", args=[plan.pk]), {"file": upload(GOOD)})
    pending = PlanImport.objects.get(plan=plan, file_name="plan.xlsx")
    page = text(client.get(response["Location"]))
    fingerprint = page.split('name="fingerprint" value="')[1].split('"')[0]
    PlanImport.objects.filter(pk=pending.pk).update(
        uploaded_at=pending.uploaded_at - datetime.timedelta(hours=25)
    )
    assert "This upload has expired" in text(client.get(response["Location"]))
    before = db_state()
    response = client.post(response["Location"], {"fingerprint": fingerprint}, follow=True)
    assert "This upload has expired: upload the file again to import it." in text(response)
    assert db_state() == before
    # The next upload clears the expired file out.
    client.post(reverse("plan-import", args=[plan.pk]), {"file": upload(GOOD)})
    pending.refresh_from_db()
    assert pending.state == ImportState.EXPIRED and bytes(pending.content) == b""


@pytest.mark.django_db
def test_the_example_workbook_from_the_import_page_imports_cleanly_as_a_new_plan(login, editor, rg):
    client = login(editor)
    page = text(client.get(reverse("plan-import-new")))
    assert "Download an example workbook" in page
    example = client.get(reverse("plan-import-example"))
    assert example.status_code == 200 and "attachment" in example["Content-Disposition"]
    response = client.post(
        reverse("plan-import-new"),
        {
            "name": "Example plan",
            "kind": "self_review",
            "file": SimpleUploadedFile("wellled-example-action-plan.xlsx", example.content),
        },
    )
    assert response.status_code == 302, text(response)[:3000]
    preview = text(client.get(response["Location"]))
    assert "Import 4 actions" in preview and "Errors in" not in preview
    pending = PlanImport.objects.get(plan_name="Example plan")
    fingerprint = preview.split('name="fingerprint" value="')[1].split('"')[0]
    client.post(reverse("plan-import-review", args=[pending.pk]), {"fingerprint": fingerprint})
    plan = Plan.objects.get(name="Example plan")
    w1b = plan.actions.get(reference="W1b")
    assert [t.due_date for t in w1b.timescales.order_by("created_at", "id")] == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 9, 30),
        datetime.date(2026, 12, 31),
    ]
    assert plan.actions.get(reference="W1a").status.code == "A/G"
    assert plan.actions.get(reference="W3a").lead_note == "Varied"
    assert sorted(plan.sections.values_list("code", flat=True)) == ["W1", "W3"]
