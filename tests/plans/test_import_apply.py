"""Applying an import: re-imports update actions by reference and say what changed, people are invited, the whole
import lands or none of it, and nobody imports into another organisation's plan or beyond their role."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from tests.factories import db_state, make_person, make_plan, status
from tests.spreadsheets import HEADER, xlsx_file

from wellled.core.choices import Role
from wellled.core.models import AuditLog, User
from wellled.core.service_kit import AS_IT_STANDS
from wellled.plans import services
from wellled.plans.models import Action, ProgressUpdate
from wellled.plans.spreadsheet.importer import (
    ImportOutOfDate,
    plan_import_apply,
    plan_import_preview,
)


@pytest.fixture
def leads(org):
    return {
        "RG": make_person(
            org, role=Role.LEAD, username="rosa", first_name="Rosa", last_name="Green", initials="RG"
        ),
        "AK": make_person(
            org, role=Role.LEAD, username="amir", first_name="Amir", last_name="Khan", initials="AK"
        ),
    }


FIRST = [
    HEADER,
    ["W1 Leadership capacity"],
    ["W1a", "Coach ward leaders", "March 2026", "RG", "60 coached", "Coaching has started.", "A/G"],
    ["W1b", "Agree succession plans", "April 2026", "RG", "Plan agreed", None, "A/G"],
    ["W2 Vision and strategy"],
    ["W2a", "Refresh the strategy", "March 2026", "AK", "Strategy approved", None, "A/G"],
    ["W2b", "Deliver the IT plan", "May 2026", "AK", "Uptime 99%", "Servers replaced.", "G"],
    ["W2c", "Run the leadership forum", "June 2026", "DMc", "Forum monthly", "Forum met twice.", "A/G"],
    ["W2d", "Publish the estates plan", "July 2026", "AK", "Plan published", None, "R"],
]
SECOND = [
    HEADER,
    ["W1 Leadership capacity"],
    ["W1a", "Coach every ward leader", "March 2026", "RG", "60 coached", "Coaching has started.", "A/G"],
    ["W1b", "Agree succession plans", "April 2026", "AK", "Plan agreed", None, "A/G"],
    ["W2 Vision and strategy"],
    ["W2a", "Refresh the strategy", "March 2026 June 2026", "AK", "Strategy approved", None, "A/G"],
    ["W2b", "Deliver the IT plan", "May 2026", "AK", "Uptime 99%", None, "A/R"],
    ["W2c", "Run the leadership forum", "June 2026", "dmc", "Forum monthly", "Forum met four times.", "G"],
    ["W3 Culture"],
    ["W3a", "Survey staff on speaking up", "September 2026", "RG", "Response rate 40%", None, None],
]


def apply(org, editor, plan, rows, name="plan.xlsx"):
    return plan_import_apply(
        organisation=org,
        plan_or_none=plan,
        file=xlsx_file(rows, name=name),
        by=editor,
        plan_name="" if plan else "Imported",
    )


@pytest.mark.django_db
def test_reimport_updates_actions_by_reference_and_says_what_changed_in_each_when_previewed(
    org, editor, leads
):
    plan = apply(org, editor, None, FIRST).plan
    preview = plan_import_preview(organisation=org, plan_or_none=plan, file=xlsx_file(SECOND), by=editor)
    assert [str(p) for p in preview.problems] == []
    assert [(a.reference, a.kind, a.changes) for a in preview.actions] == [
        ("W1a", "update", ["planned action"]),
        ("W1b", "update", ["lead: RG → AK"]),
        ("W2a", "update", ["timescale revised: March 2026 → June 2026"]),
        ("W2b", "update", ["status: G → A/R"]),
        ("W2c", "update", ["new progress update (G)"]),
        ("W3a", "create", []),
    ]
    assert preview.untouched == ["W2d"] and [s.code for s in preview.new_sections] == ["W3"]
    assert (
        preview.invitees == []
    )  # DMc was invited by the first import and is now one of the organisation's people


@pytest.mark.django_db
def test_reimport_writes_each_change_with_its_history_and_audit_record_when_applied(org, editor, leads):
    plan = apply(org, editor, None, FIRST).plan
    versions = dict(Action.objects.filter(plan=plan).values_list("reference", "version"))
    result = apply(org, editor, plan, SECOND, name="plan-october.xlsx")
    assert result.created == ["W3a"] and result.unchanged == 0
    assert [r for r, _ in result.updated] == ["W1a", "W1b", "W2a", "W2b", "W2c"]
    actions = {a.reference: a for a in Action.objects.filter(plan=plan)}
    assert actions["W1a"].title == "Coach every ward leader"
    assert actions["W1b"].lead == leads["AK"] and not actions["W1b"].other_leads.exists()
    revision = actions["W2a"].timescales.last()
    assert (revision.due_date, revision.reason) == (
        datetime.date(2026, 6, 30),
        "Revised in the imported spreadsheet plan-october.xlsx",
    )
    assert actions["W2a"].due_date == datetime.date(2026, 6, 30)
    # A status changed with no progress text becomes an update that says so: the status is always the latest update's.
    assert actions["W2b"].status.code == "A/R" and [u.narrative for u in actions["W2b"].updates.all()] == [
        "Status set to A/R in the imported spreadsheet plan-october.xlsx; the file gave no progress text.",
        "Servers replaced.",
    ]
    assert [u.narrative for u in actions["W2c"].updates.all()] == [
        "Forum met four times.",
        "Forum met twice.",
    ]
    assert actions["W2c"].status.code == "G" and actions["W2c"].lead.initials == "DMc"
    assert actions["W3a"].section.code == "W3" and actions["W3a"].status is None
    assert all(actions[r].version > versions[r] for r in ["W1a", "W1b", "W2a", "W2b", "W2c"])
    assert actions["W2d"].version == versions["W2d"]

    def notes(reference):
        return sorted(
            AuditLog.objects.filter(
                content_type__model="action", action="update", object_id=str(actions[reference].pk)
            ).values_list("note", flat=True)
        )

    assert notes("W1a") == [""]
    assert notes("W2a") == ["Timescale revised: Revised in the imported spreadsheet plan-october.xlsx"]
    assert notes("W2b") == ["Progress update recorded: A/R"]
    assert notes("W2c") == ["Progress update recorded: G"]
    change = AuditLog.objects.get(
        content_type__model="action", action="update", object_id=str(actions["W1b"].pk)
    )
    assert change.before["lead_id"] == leads["RG"].pk and change.after["lead_id"] == leads["AK"].pk
    assert change.actor == editor and change.organisation == org
    update = actions["W2c"].updates.first()
    assert AuditLog.objects.filter(
        content_type__model="progressupdate", object_id=str(update.pk), action="create", actor=editor
    ).exists()


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing_when_applied(org, editor, leads):
    plan = apply(org, editor, None, FIRST).plan
    before = db_state()
    result = apply(org, editor, plan, FIRST)
    assert result.created == [] and result.updated == [] and result.unchanged == 6
    assert db_state() == before


@pytest.mark.django_db
def test_unknown_leads_are_invited_once_as_leads_with_no_password_when_imported(org, editor, leads):
    rows = [
        HEADER,
        ["W1a", "Coach ward leaders", "March 2026", "DMc / Jane Doe", None, None, "G"],
        ["W1b", "Agree succession plans", "April 2026", "dmc", None, None, "G"],
    ]
    result = apply(org, editor, None, rows)
    assert result.invited == ["DMc", "Jane Doe (JD)"]
    dmc, jane = User.objects.get(initials="DMc"), User.objects.get(first_name="Jane", last_name="Doe")
    assert jane.initials == "JD" and jane.username == "jane.doe" and dmc.username == "znt01.dmc"
    assert not dmc.has_usable_password() and dmc.memberships.get().role == Role.LEAD
    assert Action.objects.get(reference="W1b").lead == dmc
    assert (
        AuditLog.objects.filter(content_type__model="membership", action="create", actor=editor).count() == 2
    )


@pytest.mark.django_db
def test_import_is_refused_and_nothing_saved_when_the_plan_changed_after_the_preview(org, editor, leads):
    plan = apply(org, editor, None, FIRST).plan
    preview = plan_import_preview(organisation=org, plan_or_none=plan, file=xlsx_file(SECOND), by=editor)
    w1a = Action.objects.get(plan=plan, reference="W1a")
    services.action_update(action=w1a, by=editor, expected_version=w1a.version, success_measure="70 coached")
    before = db_state()
    with pytest.raises(ImportOutOfDate) as caught:
        plan_import_apply(
            organisation=org,
            plan_or_none=plan,
            file=xlsx_file(SECOND),
            by=editor,
            expected_fingerprint=preview.fingerprint,
        )
    assert str(caught.value).startswith("The plan has changed since this file was checked")
    assert db_state() == before


@pytest.mark.django_db
def test_progress_updates_belong_to_the_open_reporting_cycle_when_imported(org, editor, leads):
    plan = apply(org, editor, None, FIRST).plan
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="October board",
        position_as_at=datetime.date(2026, 10, 31),
        update_deadline=datetime.date(2026, 10, 20),
    )
    rows = [
        HEADER,
        ["W1a", "Coach ward leaders", "March 2026", "RG", "60 coached", "All wards coached.", "G"],
    ]
    apply(org, editor, plan, rows)
    assert ProgressUpdate.objects.get(narrative="All wards coached.").cycle == cycle


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.VIEWER, Role.LEAD])
def test_people_whose_role_does_not_allow_it_cannot_preview_or_import_when_they_try(org, people, plan, role):
    before = db_state()
    for call in (plan_import_preview, plan_import_apply):
        with pytest.raises(PermissionDenied):
            call(organisation=org, plan_or_none=plan, file=xlsx_file(FIRST), by=people[role])
    assert db_state() == before


@pytest.mark.django_db
def test_outsider_cannot_preview_or_import_into_another_organisations_plan_when_they_try(
    org, other_org, plan, outsider, editor, login
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    before = db_state()
    for call in (plan_import_preview, plan_import_apply):
        with pytest.raises(PermissionDenied):  # not a member of `org`
            call(organisation=org, plan_or_none=plan, file=xlsx_file(FIRST), by=outsider)
        with pytest.raises(PermissionDenied):  # their own organisation, but `org`'s plan
            call(organisation=other_org, plan_or_none=plan, file=xlsx_file(FIRST), by=outsider)
    client = login(outsider)
    upload = SimpleUploadedFile("plan.xlsx", xlsx_file(FIRST).data)
    assert client.post(reverse("plan-import", args=[plan.pk]), {"file": upload}).status_code == 404
    assert client.get(reverse("plan-export", args=[plan.pk, "csv"])).status_code == 404
    assert db_state() == before


@pytest.mark.django_db
def test_import_into_an_existing_plan_keeps_its_sections_and_findings_when_they_match(org, editor, lead):
    plan = make_plan(org, editor, name="Factory plan", lead=lead)
    rows = [
        ["Section", "Ref", "Planned action", "Status", "Findings"],
        ["W1: Leadership capacity", "W1a", "Planned action 1", "A/R", "1. Leaders were not always visible."],
    ]
    preview = plan_import_preview(organisation=org, plan_or_none=plan, file=xlsx_file(rows), by=editor)
    assert preview.new_sections == [] and preview.new_findings == {} and preview.changed_findings == {}
    assert [(a.reference, a.changes) for a in preview.actions] == [("W1a", ["status: none → A/R"])]
    plan_import_apply(organisation=org, plan_or_none=plan, file=xlsx_file(rows), by=editor)
    assert Action.objects.get(plan=plan, reference="W1a").status == status(org, "A/R")


@pytest.mark.django_db
def test_a_file_cannot_give_a_closed_action_new_progress_nor_date_an_update_in_the_future(org, editor, leads):
    plan = apply(org, editor, None, FIRST).plan
    w2b = Action.objects.get(plan=plan, reference="W2b")
    services.action_state_set(
        action=w2b,
        by=editor,
        expected_version=AS_IT_STANDS,
        state="closed",
        assurance_evidence="Audit report",
    )
    later = [row[:] for row in FIRST]
    later[6][5] = "Servers replaced; monitoring added."  # W2b: a new update on a closed action
    preview = plan_import_preview(organisation=org, plan_or_none=plan, file=xlsx_file(later), by=editor)
    assert [str(p) for p in preview.errors] == [
        "Sheet ‘Action plan’, row 7: W2b is closed with evidence of assurance, so it takes no new progress update or "
        "status: reopen it first, or leave its progress and status cells as they are."
    ]

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    dated = [
        HEADER + ["Update date"],
        [
            "W1a",
            "Coach ward leaders",
            "March 2026",
            "RG",
            "60 coached",
            "Coaching has started.",
            "A/G",
            tomorrow.strftime("%d/%m/%Y"),
        ],
    ]
    preview = plan_import_preview(
        organisation=org, plan_or_none=None, file=xlsx_file(dated), by=editor, plan_name="Dated"
    )
    assert [str(p) for p in preview.errors] == [
        f"Row 2, column ‘Update date’: ‘{tomorrow:%d/%m/%Y}’ is in the future: give the date the update describes, "
        "today or earlier."
    ]
