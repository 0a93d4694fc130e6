"""The plan services: every write audited with who, where, before and after; failed writes leave nothing;
progress updates append-only; timescales, closing, cycles, "Update awaited", reminders and movement."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.factories import db_state, make_person, status

from wellled.core.choices import AuditAction, Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import AS_IT_STANDS
from wellled.plans import selectors, services
from wellled.plans.choices import ActionState, CycleState, PlanKind, PlanOrganisedBy
from wellled.plans.models import (
    Action,
    ActionStateChange,
    ProgressUpdate,
    ReminderSent,
    ReportingCycle,
    Section,
    TimescaleRevision,
)
from wellled.reports.board_paper import board_paper_build


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=datetime.UTC)


def records_for(instance, action=None):
    rows = AuditLog.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=str(instance.pk)
    )
    return list(rows.filter(action=action) if action else rows)


def only_record(instance, action):
    rows = records_for(instance, action)
    assert len(rows) == 1, rows
    return rows[0]


# Audit records ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_plan_section_finding_and_action_writes_a_create_record_when_saved(org, editor, lead):
    plan = services.plan_create(
        organisation=org,
        by=editor,
        name="CQC inspection October 2026",
        kind=PlanKind.INSPECTION_RESPONSE,
        organised_by=PlanOrganisedBy.WORKSTREAM,
    )
    section = services.section_create(plan=plan, by=editor, code="WS1", title="Governance")
    finding = services.finding_create(plan=plan, by=editor, text="Risk registers were out of date.")
    action = services.action_create(
        plan=plan,
        by=editor,
        reference="WS1a",
        title="Refresh the risk register",
        section=section,
        lead=lead,
        findings=[finding],
        due_date=datetime.date(2027, 3, 31),
    )
    for instance in (plan, section, finding, action):
        record = only_record(instance, AuditAction.CREATE)
        assert record.actor == editor
        assert record.organisation == org
        assert record.before is None
        assert record.object_id == str(instance.pk)
    assert only_record(plan, "create").after["name"] == "CQC inspection October 2026"
    after = only_record(action, "create").after
    assert after["reference"] == "WS1a" and after["lead_id"] == lead.pk and after["findings"] == [finding.pk]
    assert after["due_date"] == "2027-03-31"


@pytest.mark.django_db
def test_changing_a_plan_records_before_and_after_when_saved(org, editor, plan):
    services.plan_update(
        plan=plan,
        by=editor,
        expected_version=plan.version,
        name="Well-led review 2026/27",
        description="Board self-review",
    )
    record = only_record(plan, AuditAction.UPDATE)
    assert (record.actor, record.organisation) == (editor, org)
    assert (
        record.before["name"] == "Well-led self-review" and record.after["name"] == "Well-led review 2026/27"
    )
    assert record.before["version"] == 1 and record.after["version"] == 2
    assert {k: (b, a) for k, b, a in record.changes}["description"] == ("", "Board self-review")


@pytest.mark.django_db
def test_changing_an_action_records_leads_and_findings_before_and_after_when_saved(org, editor, lead, plan):
    action = Action.objects.get(plan=plan, reference="W1b")
    co_lead = make_person(org, role=Role.LEAD, username="colead")
    finding = plan.findings.get()
    services.action_update(
        action=action,
        by=editor,
        expected_version=action.version,
        title="Sharper wording",
        other_leads=[co_lead],
        findings=[finding],
    )
    record = only_record(action, AuditAction.UPDATE)
    assert record.before["title"] == "Planned action 2" and record.after["title"] == "Sharper wording"
    assert record.before["other_leads"] == [] and record.after["other_leads"] == [co_lead.pk]
    assert record.before["findings"] == [] and record.after["findings"] == [finding.pk]


@pytest.mark.django_db
def test_section_and_finding_changes_record_before_and_after_when_saved(org, editor, lead, plan):
    section, finding = plan.sections.get(), plan.findings.get()
    services.section_update(
        section=section, by=editor, expected_version=1, title="Capacity", executive_lead=lead
    )
    services.finding_update(
        finding=finding, by=editor, expected_version=1, finding_type="breach", regulation="Regulation 17"
    )
    record = only_record(section, AuditAction.UPDATE)
    assert record.before["executive_lead_id"] is None and record.after["executive_lead_id"] == lead.pk
    record = only_record(finding, AuditAction.UPDATE)
    assert (record.before["finding_type"], record.after["finding_type"]) == ("must_do", "breach")
    assert record.after["regulation"] == "Regulation 17"
    assert record.actor == editor and record.organisation == org


@pytest.mark.django_db
def test_progress_update_writes_the_update_and_the_status_change_when_recorded(org, lead, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    update = services.progress_update_record(
        action=action,
        by=lead,
        narrative="Two cohorts enrolled",
        status=status(org, "A/R"),
        expected_version=action.version,
    )
    created = only_record(update, AuditAction.CREATE)
    assert created.actor == lead and created.organisation == org
    assert (
        created.after["narrative"] == "Two cohorts enrolled"
        and created.after["status_id"] == status(org, "A/R").pk
    )
    changed = only_record(action, AuditAction.UPDATE)
    assert changed.before["status_id"] is None and changed.after["status_id"] == status(org, "A/R").pk
    assert changed.actor == lead


@pytest.mark.django_db
def test_timescale_state_and_cycle_services_write_audit_records_when_they_change_things(org, editor, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    services.action_timescale_revise(
        action=action,
        by=editor,
        expected_version=action.version,
        due_date=datetime.date(2026, 7, 31),
        reason="Recruitment delayed",
    )
    action.refresh_from_db()
    services.action_state_set(
        action=action,
        by=editor,
        expected_version=action.version,
        state=ActionState.CLOSED,
        assurance_evidence="Audit report, October",
    )
    timescale, state = sorted(records_for(action, AuditAction.UPDATE), key=lambda r: r.pk)
    assert (timescale.before["due_date"], timescale.after["due_date"]) == ("2026-03-31", "2026-07-31")
    assert "Recruitment delayed" in timescale.note
    assert (state.before["state"], state.after["state"]) == ("open", "closed")
    assert state.after["assurance_evidence"] == "Audit report, October"
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Nov",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 20),
    )
    assert only_record(cycle, AuditAction.CREATE).actor == editor
    services.cycle_close(cycle=cycle, by=editor)
    closed = only_record(cycle, AuditAction.UPDATE)
    assert (closed.before["state"], closed.after["state"]) == ("open", "closed")
    assert all(r.organisation == org for r in AuditLog.objects.all() if r.actor == editor)


# Failed writes leave nothing ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nothing_is_written_when_a_service_refuses_invalid_input(
    org, other_org, editor, lead, plan, outsider
):
    action = Action.objects.get(plan=plan, reference="W1a")
    other_section = Section.objects.get(plan__organisation=other_org)
    before = db_state()
    attempts = [
        lambda: services.plan_create(
            organisation=org,
            by=editor,
            name="Well-led self-review",
            kind=PlanKind.SELF_REVIEW,
            organised_by=PlanOrganisedBy.WORKSTREAM,
        ),
        lambda: services.action_create(plan=plan, by=editor, reference="W1a", title="Duplicate reference"),
        lambda: services.action_create(plan=plan, by=editor, reference="W1z", title="", due_date=None),
        lambda: services.action_update(
            action=action, by=editor, expected_version=AS_IT_STANDS, section=other_section
        ),
        lambda: services.section_create(plan=plan, by=editor, code="W1", title="Duplicate code"),
        lambda: services.progress_update_record(
            action=action, by=lead, narrative="   ", status=status(org, "G"), expected_version=None
        ),
        lambda: services.progress_update_record(
            action=action,
            by=lead,
            narrative="Wrong scale",
            status=status(other_org, "G"),
            expected_version=None,
        ),
        lambda: services.action_timescale_revise(
            action=action,
            by=editor,
            expected_version=AS_IT_STANDS,
            due_date=datetime.date(2026, 6, 30),
            reason="  ",
        ),
        lambda: services.action_timescale_revise(
            action=action,
            by=editor,
            expected_version=AS_IT_STANDS,
            due_date=action.due_date,
            precision=action.due_precision,
            reason="No change",
        ),
        lambda: services.action_state_set(
            action=action, by=editor, expected_version=AS_IT_STANDS, state="closed", assurance_evidence=" "
        ),
        lambda: services.cycle_open(
            plan=plan,
            by=editor,
            name="Bad",
            position_as_at=datetime.date(2026, 11, 1),
            update_deadline=datetime.date(2027, 1, 15),  # more than 31 days after the position date
        ),
    ]
    for number, attempt in enumerate(attempts):
        with pytest.raises(ValidationError):
            attempt()
        assert db_state() == before, f"attempt {number} left rows behind"


@pytest.mark.django_db
def test_previous_cycle_stays_open_when_opening_the_next_one_fails_validation(editor, plan):
    """cycle_open closes the previous cycle first; a refused new cycle must undo that close too."""
    first = services.cycle_open(
        plan=plan,
        by=editor,
        name="October",
        position_as_at=datetime.date(2026, 10, 31),
        update_deadline=datetime.date(2026, 10, 20),
    )
    before = db_state()
    with pytest.raises(ValidationError):
        services.cycle_open(
            plan=plan,
            by=editor,
            name="November",
            position_as_at=datetime.date(2026, 11, 1),
            update_deadline=datetime.date(2027, 1, 15),  # more than 31 days after the position date
        )
    first.refresh_from_db()
    assert first.state == CycleState.OPEN and first.closed_at is None
    assert db_state() == before


# Progress updates are append-only -----------------------------------------------------------------------------


@pytest.fixture
def recorded(org, lead, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    return services.progress_update_record(
        action=action,
        by=lead,
        narrative="Recruitment under way",
        status=status(org, "A/G"),
        expected_version=action.version,
    )


@pytest.mark.django_db
def test_progress_update_cannot_be_changed_or_deleted_when_recorded(recorded):
    before = db_state()
    recorded.narrative = "Rewritten history"
    with pytest.raises(PermissionError):
        recorded.save()
    with pytest.raises(PermissionError):
        recorded.delete()
    with pytest.raises(PermissionError):
        ProgressUpdate.objects.filter(pk=recorded.pk).update(narrative="Rewritten history")
    with pytest.raises(PermissionError):
        ProgressUpdate.objects.filter(pk=recorded.pk).delete()
    assert db_state() == before
    assert ProgressUpdate.objects.get(pk=recorded.pk).narrative == "Recruitment under way"


@pytest.mark.django_db
def test_correction_becomes_the_status_and_the_original_stays_when_recorded(org, lead, recorded):
    action = recorded.action
    action.refresh_from_db()
    correction = services.progress_update_record(
        action=action,
        by=lead,
        narrative="Recruitment paused",
        status=status(org, "R"),
        expected_version=action.version,
        supersedes=recorded,
    )
    action.refresh_from_db()
    assert action.status == status(org, "R")
    assert ProgressUpdate.objects.filter(action=action).count() == 2
    original = ProgressUpdate.objects.get(pk=recorded.pk)
    assert original.narrative == "Recruitment under way" and original.status == status(org, "A/G")
    assert original.superseded_by == correction
    row = selectors.plan_actions(user=lead, organisation=org, plan=action.plan)[0]
    assert row.latest_update == correction


@pytest.mark.django_db
def test_correcting_the_same_update_twice_is_refused_when_already_corrected(org, lead, recorded):
    action = Action.objects.get(pk=recorded.action_id)
    services.progress_update_record(
        action=action,
        by=lead,
        narrative="First correction",
        status=status(org, "R"),
        expected_version=None,
        supersedes=recorded,
    )
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        services.progress_update_record(
            action=action,
            by=lead,
            narrative="Second correction",
            status=status(org, "G"),
            expected_version=None,
            supersedes=recorded,
        )
    assert "already been corrected" in str(caught.value)
    assert db_state() == before


@pytest.mark.django_db
def test_correction_is_refused_when_it_names_an_update_of_another_action(org, lead, plan, recorded):
    other = Action.objects.get(plan=plan, reference="W1b")
    before = db_state()
    with pytest.raises(ValidationError):
        services.progress_update_record(
            action=other,
            by=lead,
            narrative="Wrong action",
            status=status(org, "G"),
            expected_version=None,
            supersedes=recorded,
        )
    assert db_state() == before


@pytest.mark.django_db
def test_correction_page_keeps_the_original_when_a_lead_corrects_an_update(login, org, lead, recorded):
    client = login(lead)
    url = f"/actions/{recorded.action_id}/update/?correct={recorded.pk}"
    page = client.get(url).content.decode()
    assert "Correct a progress update" in page and "Recruitment under way" in page
    action = Action.objects.get(pk=recorded.action_id)
    response = client.post(
        url,
        {
            "narrative": "Recruitment paused",
            "status": status(org, "R").pk,
            "update_date": timezone.localdate().isoformat(),
            "version": action.version,
        },
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get(supersedes=recorded).narrative == "Recruitment paused"
    assert ProgressUpdate.objects.get(pk=recorded.pk).narrative == "Recruitment under way"
    # A second correction of the same update is shown as an error, not saved.
    before = db_state()
    action.refresh_from_db()
    response = client.post(
        url,
        {
            "narrative": "Again",
            "status": status(org, "G").pk,
            "update_date": timezone.localdate().isoformat(),
            "version": action.version,
        },
    )
    assert response.status_code == 200 and "already been corrected" in response.content.decode()
    assert db_state() == before


# Timescales, closing, cycles ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_timescale_revision_keeps_the_old_date_and_its_reason_when_revised(editor, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    services.action_timescale_revise(
        action=action,
        by=editor,
        expected_version=action.version,
        due_date=datetime.date(2026, 7, 31),
        reason="Recruitment delayed",
    )
    action.refresh_from_db()
    assert action.due_date == datetime.date(2026, 7, 31)
    history = list(TimescaleRevision.objects.filter(action=action).order_by("created_at", "id"))
    assert [t.due_date for t in history] == [datetime.date(2026, 3, 31), datetime.date(2026, 7, 31)]
    assert [t.reason for t in history] == ["Original timescale", "Recruitment delayed"]
    assert history[1].created_by == editor
    row = selectors.action_row(action, cycle=None, on=datetime.date(2026, 5, 1))
    assert row.slipped and not row.overdue


@pytest.mark.django_db
def test_timescale_revision_is_refused_when_no_reason_is_given(editor, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as caught:
            services.action_timescale_revise(
                action=action,
                by=editor,
                expected_version=action.version,
                due_date=datetime.date(2026, 7, 31),
                reason=reason,
            )
        assert "reason" in caught.value.message_dict
    assert TimescaleRevision.objects.filter(action=action).count() == 1


@pytest.mark.django_db
def test_closing_is_refused_when_there_is_no_evidence_of_assurance(editor, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    with pytest.raises(ValidationError) as caught:
        services.action_state_set(action=action, by=editor, expected_version=action.version, state="closed")
    assert "assurance_evidence" in caught.value.message_dict
    action.refresh_from_db()
    assert action.state == ActionState.OPEN
    done = services.action_state_set(
        action=action, by=editor, expected_version=action.version, state="completed"
    )
    assert done.state == ActionState.COMPLETED


@pytest.mark.django_db
def test_closing_through_the_page_shows_the_error_when_evidence_is_missing(login, editor, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    response = login(editor).post(
        f"/actions/{action.pk}/state/",
        {"state": "closed", "assurance_evidence": "", "version": action.version},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Action.objects.get(pk=action.pk).state == ActionState.OPEN


@pytest.mark.django_db
def test_opening_a_cycle_closes_the_previous_one_when_one_is_open(editor, plan):
    first = services.cycle_open(
        plan=plan,
        by=editor,
        name="October",
        position_as_at=datetime.date(2026, 10, 31),
        update_deadline=datetime.date(2026, 10, 20),
    )
    second = services.cycle_open(
        plan=plan,
        by=editor,
        name="November",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 20),
    )
    first.refresh_from_db()
    assert first.state == CycleState.CLOSED and first.closed_at is not None
    assert selectors.open_cycle(plan=plan) == second
    assert list(ReportingCycle.objects.filter(plan=plan, state=CycleState.OPEN)) == [second]


@pytest.mark.django_db
def test_update_belongs_to_the_open_cycle_when_recorded(org, editor, lead, plan):
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Nov",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 20),
    )
    action = Action.objects.get(plan=plan, reference="W1a")
    update = services.progress_update_record(
        action=action, by=lead, narrative="x", status=status(org, "G"), expected_version=None
    )
    assert update.cycle == cycle
    services.cycle_close(cycle=cycle, by=editor)
    action.refresh_from_db()
    later = services.progress_update_record(
        action=action, by=lead, narrative="y", status=status(org, "G"), expected_version=None
    )
    assert later.cycle is None


# "Update awaited" ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_update_awaited_lists_exactly_the_open_actions_without_an_update_in_the_cycle_when_a_cycle_is_open(
    org, editor, lead, plan
):
    co_lead = make_person(org, role=Role.LEAD, username="colead", first_name="Cora", last_name="Lead")
    a, b, c = (Action.objects.get(plan=plan, reference=r) for r in ("W1a", "W1b", "W1c"))
    services.action_create(
        plan=plan, by=editor, reference="W1d", title="Shared", lead=lead, other_leads=[co_lead]
    )
    services.action_create(plan=plan, by=editor, reference="W1e", title="Varied", lead_note="Varied")
    # W1c updated before the cycle: that does not count for this cycle.
    services.progress_update_record(
        action=c, by=lead, narrative="Before", status=status(org, "A/G"), expected_version=None
    )
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Nov",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 20),
    )
    services.progress_update_record(
        action=a, by=lead, narrative="In cycle", status=status(org, "A/G"), expected_version=None
    )
    services.action_state_set(action=b, by=editor, expected_version=AS_IT_STANDS, state="completed")

    rows = {r.reference: r for r in selectors.plan_actions(user=editor, organisation=org, plan=plan)}
    assert {ref for ref, r in rows.items() if r.update_awaited} == {"W1c", "W1d", "W1e"}
    awaiting = selectors.cycle_awaiting_by_lead(user=editor, organisation=org, cycle=cycle)
    by_person = {
        person.username if person else None: [x.reference for x in acts] for person, acts in awaiting.items()
    }
    # Actions with no named lead ("Varied") are listed too, last, so the editor can chase them by hand.
    assert by_person == {"lead": ["W1c", "W1d"], "colead": ["W1d"], None: ["W1e"]}
    assert list(by_person)[-1] is None
    board = selectors.dashboard(user=editor, organisation=org)
    assert {x.reference for x in board.awaiting} == {"W1c", "W1d", "W1e"}
    mine = {x.reference: x.update_awaited for x in selectors.my_actions(user=co_lead, organisation=org)}
    assert mine == {"W1d": True}


@pytest.mark.django_db
def test_an_action_reported_delivered_is_neither_overdue_nor_chased_until_it_is_closed(
    org, editor, lead, plan
):
    late, delivered = (Action.objects.get(plan=plan, reference=r) for r in ("W1a", "W1b"))
    services.progress_update_record(
        action=late, by=lead, narrative="Half way", status=status(org, "A/R"), expected_version=None
    )
    services.progress_update_record(
        action=delivered, by=lead, narrative="Done", status=status(org, "G"), expected_version=None
    )
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Next",
        position_as_at=timezone.localdate(),
        update_deadline=timezone.localdate(),
    )
    today = timezone.localdate()
    assert late.due_date < today and delivered.due_date < today

    rows = {
        r.reference: r for r in selectors.plan_actions(user=editor, organisation=org, plan=plan, on=today)
    }
    assert rows["W1a"].overdue and rows["W1a"].update_awaited
    assert not rows["W1b"].overdue and not rows["W1b"].update_awaited
    overdue_only = selectors.plan_actions(
        user=editor, organisation=org, plan=plan, on=today, filters=selectors.ActionFilters(overdue=True)
    )
    assert "W1b" not in {r.reference for r in overdue_only} and "W1a" in {r.reference for r in overdue_only}
    awaiting = selectors.cycle_awaiting_by_lead(user=editor, organisation=org, cycle=cycle)
    assert "W1b" not in {a.reference for acts in awaiting.values() for a in acts}

    paper = board_paper_build(user=editor, organisation=org, plan=plan, as_at=today)
    paper_rows = {r.reference: r for r in paper.rows}
    assert paper_rows["W1a"].overdue and not paper_rows["W1b"].overdue
    assert "W1b" not in {r.reference for r in paper.exceptions.awaiting}
    board = selectors.dashboard(user=editor, organisation=org)
    assert [a.reference for a in board.ready_to_close] == ["W1b"]
    services.action_state_set(action=delivered, by=editor, expected_version=AS_IT_STANDS, state="completed")
    assert selectors.dashboard(user=editor, organisation=org).ready_to_close == []


@pytest.mark.django_db
def test_dashboard_lists_delivered_actions_awaiting_closure_and_links_long_lists_to_the_filtered_plan(
    login, org, editor, lead, plan
):
    delivered = Action.objects.get(plan=plan, reference="W1b")
    services.progress_update_record(
        action=delivered, by=lead, narrative="Done", status=status(org, "G"), expected_version=None
    )
    past = timezone.localdate() - datetime.timedelta(days=30)
    for index in range(13):
        services.action_create(
            plan=plan,
            by=editor,
            reference=f"L{index:02d}",
            title=f"Late action {index}",
            lead=lead,
            due_date=past,
            due_precision="day",
        )
    body = login(editor).get("/").content.decode()
    ready = body.split("Reported delivered, not yet closed", 1)[1].split("</ul>", 1)[0]
    assert ">W1b</a>" in ready and ">W1a</a>" not in ready
    assert f'href="/plans/{plan.pk}/?overdue=1"' in body
    # The late actions have no section, in a plan with findings: the plan page still lists them (Other actions).
    overdue = login(editor).get(f"/plans/{plan.pk}/?overdue=1").content.decode()
    assert all(f">L{index:02d}</a>" in overdue for index in range(13)) and ">W1b</a>" not in overdue


@pytest.mark.django_db
def test_nothing_is_awaited_when_no_cycle_is_open(org, editor, plan):
    rows = selectors.plan_actions(user=editor, organisation=org, plan=plan)
    assert rows and not any(r.update_awaited for r in rows)


@pytest.mark.django_db
def test_cycle_page_shows_update_awaited_and_who_has_not_updated_when_a_cycle_is_open(
    login, org, editor, lead, plan
):
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Nov",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 20),
    )
    client = login(editor)
    body = client.get(f"/plans/{plan.pk}/").content.decode()
    assert body.count("Update awaited") >= 3
    body = client.get(f"/cycles/{cycle.pk}/").content.decode()
    assert str(lead) in body


# Reminders ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_go_only_to_leads_with_an_address_and_are_audited_when_sent(
    settings, org, editor, lead, plan
):
    settings.SITE_URL = "https://wellled.example.nhs.uk"
    silent = make_person(org, role=Role.LEAD, username="silent", email="")
    services.action_create(plan=plan, by=editor, reference="W1s", title="Quiet", lead=silent)
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Nov",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 20),
    )
    a = Action.objects.get(plan=plan, reference="W1a")
    services.progress_update_record(
        action=a, by=lead, narrative="Done", status=status(org, "G"), expected_version=None
    )
    awaiting = selectors.cycle_awaiting_by_lead(user=editor, organisation=org, cycle=cycle)
    mail.outbox.clear()
    sent = services.cycle_send_reminders(cycle=cycle, by=editor, awaiting=awaiting)
    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [lead.email]
    assert (
        message.subject == f"Progress updates were due by 20 November 2026: {plan.name}"
    )  # the deadline has passed
    b, c = (Action.objects.get(plan=plan, reference=r) for r in ("W1b", "W1c"))
    assert "W1b" in message.body and "W1c" in message.body and "W1a" not in message.body
    assert "Updates were due by 20 November 2026: please record yours as soon as you can" in message.body
    assert f"https://wellled.example.nhs.uk/actions/{b.pk}/update/" in message.body
    assert f"https://wellled.example.nhs.uk/actions/{c.pk}/update/" in message.body
    reminder = ReminderSent.objects.get()
    assert (reminder.recipient, reminder.action_count, reminder.sent_by) == (lead, 2, editor)
    record = only_record(reminder, AuditAction.CREATE)
    assert record.actor == editor and record.organisation == org
    assert not ReminderSent.objects.filter(recipient=silent).exists()


@pytest.mark.django_db
def test_reminder_page_sends_only_to_the_chosen_leads_and_says_who_was_missed_when_posted(
    login, org, editor, lead, plan
):
    silent = make_person(
        org, role=Role.LEAD, username="silent", email="", first_name="Sam", last_name="Quiet"
    )
    services.action_create(plan=plan, by=editor, reference="W1s", title="Quiet", lead=silent)
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Nov",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 20),
    )
    client = login(editor)
    mail.outbox.clear()
    response = client.post(f"/cycles/{cycle.pk}/remind/", {"lead": [silent.pk]}, follow=True)
    assert mail.outbox == []
    assert "Not sent to Sam Quiet (no e-mail address)" in response.content.decode()
    client.post(f"/cycles/{cycle.pk}/remind/", {"lead": [lead.pk]})
    assert [m.to for m in mail.outbox] == [[lead.email]]


# Movement since the last cycle --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_movement_counts_improved_worsened_newly_completed_and_slipped_when_compared_with_a_baseline(
    org, editor, lead
):
    plan = services.plan_create(
        organisation=org,
        by=editor,
        name="Movement plan",
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.WORKSTREAM,
    )
    baseline = at(10, 1)

    def make(reference, before=None, now=(), revised=None):
        action = services.action_create(
            plan=plan,
            by=editor,
            reference=reference,
            title=reference,
            lead=lead,
            due_date=datetime.date(2026, 12, 31),
            at=at(8, 1),
        )
        if before:
            services.progress_update_record(
                action=action,
                by=lead,
                narrative="then",
                status=status(org, before),
                expected_version=None,
                at=at(9, 1),
            )
        for code in now:
            services.progress_update_record(
                action=action,
                by=lead,
                narrative="now",
                status=status(org, code),
                expected_version=None,
                at=at(10, 15),
            )
        if revised:
            services.action_timescale_revise(
                action=action,
                by=editor,
                expected_version=AS_IT_STANDS,
                due_date=datetime.date(2027, 3, 31),
                reason="Later",
                at=revised,
            )
        return action

    make("worse", before="A/G", now=["R"])
    make("better", before="R", now=["A/G"])
    make("done", before="A/G", now=["G"])
    make("first-done", now=["G"])
    make("still-done", before="G", now=["B"])  # both complete: better, but not newly completed
    make("same", before="A/R", now=["A/R"])
    make("no-news", before="A/G")
    make("slipped", before="A/G", revised=at(10, 20))
    make("slipped-earlier", before="A/G", revised=at(9, 10))

    rows = selectors.plan_actions(user=editor, organisation=org, plan=plan, on=datetime.date(2026, 11, 1))
    statuses = {s.pk: s for s in org.delivery_statuses.all()}
    movement = selectors.movement_since(actions=rows, baseline=baseline, statuses=statuses, label="October")

    def refs(items):
        return sorted(a.reference for a in items)

    assert refs(movement.improved) == ["better", "done", "still-done"]
    assert refs(movement.worsened) == ["worse"]
    assert refs(movement.newly_completed) == ["done", "first-done"]
    assert refs(movement.slipped) == ["slipped"]
    nothing = selectors.movement_since(actions=rows, baseline=None, statuses=statuses)
    assert (nothing.improved, nothing.worsened, nothing.newly_completed, nothing.slipped) == ([], [], [], [])


@pytest.mark.django_db
def test_dashboard_measures_movement_from_when_the_open_cycle_opened_when_a_cycle_is_open(
    org, editor, lead, plan
):
    a = Action.objects.get(plan=plan, reference="W1a")
    services.progress_update_record(
        action=a,
        by=lead,
        narrative="then",
        status=status(org, "A/G"),
        expected_version=None,
        at=timezone.now() - datetime.timedelta(days=10),
    )
    services.cycle_open(
        plan=plan,
        by=editor,
        name="Nov",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 20),
        at=timezone.now() - datetime.timedelta(days=5),
    )
    services.progress_update_record(
        action=a, by=lead, narrative="now", status=status(org, "R"), expected_version=None
    )
    board = selectors.dashboard(user=editor, organisation=org)
    assert [x.reference for x in board.movement.worsened] == ["W1a"]
    assert board.movement.improved == [] and board.movement.baseline_label == "Nov"


@pytest.mark.django_db
def test_only_the_latest_update_can_be_corrected_when_a_newer_update_exists(org, editor, lead, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    first = services.progress_update_record(
        action=action, by=lead, narrative="First", status=status(org, "A/G"), expected_version=None
    )
    services.progress_update_record(
        action=action, by=lead, narrative="Second", status=status(org, "A/R"), expected_version=None
    )
    with pytest.raises(ValidationError) as raised:
        services.progress_update_record(
            action=action,
            by=lead,
            narrative="Fix",
            status=status(org, "G"),
            expected_version=None,
            supersedes=first,
        )
    assert "Only the latest update can be corrected" in str(raised.value)
    action.refresh_from_db()
    assert action.status.code == "A/R"


@pytest.mark.django_db
def test_reminders_are_refused_when_the_cycle_is_closed(org, editor, lead, plan):
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Nov",
        position_as_at=datetime.date(2026, 11, 30),
        update_deadline=datetime.date(2026, 11, 20),
    )
    services.cycle_close(cycle=cycle, by=editor)
    awaiting = selectors.cycle_awaiting_by_lead(user=editor, organisation=org, cycle=cycle)
    with pytest.raises(ValidationError):
        services.cycle_send_reminders(cycle=cycle, by=editor, awaiting=awaiting)
    from django.core import mail

    assert mail.outbox == []


@pytest.mark.django_db
def test_an_update_dated_in_the_future_is_refused_in_the_form_and_in_the_service(login, org, lead, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = db_state()
    response = login(lead).post(
        f"/actions/{action.pk}/update/",
        {
            "narrative": "",
            "status": status(org, "A/G").pk,
            "update_date": tomorrow.isoformat(),
            "version": action.version,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the progress update" in page  # both problems are listed at once
    assert "The position date cannot be in the future" in page
    with pytest.raises(ValidationError) as refused:
        services.progress_update_record(
            action=action,
            by=lead,
            narrative="Ahead of time",
            status=status(org, "A/G"),
            expected_version=None,
            update_date=tomorrow,
        )
    assert "cannot be in the future" in str(refused.value.message_dict["update_date"])
    assert db_state() == before


@pytest.mark.django_db
def test_a_cycle_may_ask_for_updates_after_its_position_date_but_never_goes_back_in_time(editor, plan):
    december = services.cycle_open(
        plan=plan,
        by=editor,
        name="December board",
        position_as_at=datetime.date(2026, 12, 31),
        update_deadline=datetime.date(2027, 1, 7),
    )
    assert december.update_deadline == datetime.date(2027, 1, 7)
    before = db_state()
    with pytest.raises(ValidationError) as refused:
        services.cycle_open(
            plan=plan,
            by=editor,
            name="Back-dated",
            position_as_at=datetime.date(2026, 10, 15),
            update_deadline=datetime.date(2026, 10, 10),
        )
    assert refused.value.message_dict["position_as_at"] == [
        "The position date must be after the plan's latest cycle (December board, position as at 31 December 2026)."
    ]
    december.refresh_from_db()
    assert december.state == CycleState.OPEN and db_state() == before


@pytest.mark.django_db
def test_a_reference_already_in_the_plan_is_named_on_the_reference_field(login, editor, plan):
    before = db_state()
    response = login(editor).post(
        reverse("action-create", args=[plan.pk]),
        {
            "reference": "W1a",
            "title": "Another action",
            "due_precision": "month",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    message = f"{plan.name} already has an action W1a: choose another reference."
    assert page.count(message) == 2  # in the error summary and beside the reference field
    assert 'href="#id_reference"' in page and db_state() == before


@pytest.mark.django_db
def test_a_month_timescale_is_due_by_the_month_end_and_a_revision_within_the_same_month_is_refused(
    editor, plan
):
    action = services.action_create(
        plan=plan,
        by=editor,
        reference="M1",
        title="Monthly",
        due_date=datetime.date(2026, 12, 3),
        due_precision="month",
    )
    assert action.due_date == datetime.date(2026, 12, 31)
    assert not action.is_overdue(datetime.date(2026, 12, 20)) and action.is_overdue(datetime.date(2027, 1, 1))
    before = db_state()
    with pytest.raises(ValidationError) as refused:
        services.action_timescale_revise(
            action=action,
            by=editor,
            expected_version=AS_IT_STANDS,
            due_date=datetime.date(2026, 12, 15),
            reason="Same month",
        )
    assert refused.value.message_dict["due_date"] == [
        "The new timescale is the same as the current one (December 2026)."
    ]
    assert db_state() == before
    exact = services.action_timescale_revise(
        action=action,
        by=editor,
        expected_version=AS_IT_STANDS,
        due_date=datetime.date(2026, 12, 15),
        precision="day",
        reason="The committee meets on the 15th",
    )
    assert exact.due_date == datetime.date(2026, 12, 15)


@pytest.mark.django_db
def test_the_lead_filter_offers_only_the_plans_leads_and_search_finds_a_lead_by_name(
    login, org, editor, lead, plan
):
    co_lead = make_person(org, role=Role.LEAD, username="cora", first_name="Cora", last_name="Okonjo")
    services.action_create(
        plan=plan, by=editor, reference="W1k", title="Shared work", lead=lead, other_leads=[co_lead]
    )
    leads = list(selectors.plan_leads(user=editor, organisation=org, plan=plan))
    assert leads == sorted([lead, co_lead], key=lambda p: (p.last_name, p.first_name))
    assert editor not in leads
    found = selectors.plan_actions(
        user=editor, organisation=org, plan=plan, filters=selectors.ActionFilters(q="okonjo")
    )
    assert [a.reference for a in found] == ["W1k"]
    page = login(editor).get(f"/plans/{plan.pk}/").content.decode()
    lead_filter = page.split('id="filter-lead"', 1)[1].split("</select>", 1)[0]
    assert "Okonjo" in lead_filter and str(editor) not in lead_filter


@pytest.mark.django_db
def test_the_close_page_warns_when_the_lead_has_not_reported_the_action_delivered(
    login, org, editor, lead, plan
):
    late, done = (Action.objects.get(plan=plan, reference=r) for r in ("W1a", "W1b"))
    services.progress_update_record(
        action=late, by=lead, narrative="Stalled", status=status(org, "A/R"), expected_version=None
    )
    services.progress_update_record(
        action=done, by=lead, narrative="Finished", status=status(org, "G"), expected_version=None
    )
    client = login(editor)
    warning = "has not reported W1a as delivered (its status is A/R)"
    assert warning in client.get(f"/actions/{late.pk}/state/").content.decode()
    assert "Not reported as delivered" not in client.get(f"/actions/{done.pk}/state/").content.decode()


@pytest.mark.django_db
def test_a_closed_action_takes_no_more_progress_until_it_is_reopened(login, org, editor, lead, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    services.action_state_set(
        action=action,
        by=editor,
        expected_version=AS_IT_STANDS,
        state="closed",
        assurance_evidence="Audit report IA-1",
    )
    page = login(editor).get(f"/actions/{action.pk}/").content.decode()
    assert "Closed with evidence of assurance: Audit report IA-1" in page and "Reopen" in page
    assert "Record a progress update" not in page
    before = db_state()
    with pytest.raises(ValidationError, match="W1a is closed"):
        services.progress_update_record(
            action=action, by=lead, narrative="More", status=status(org, "G"), expected_version=None
        )
    assert db_state() == before
    services.action_state_set(action=action, by=editor, expected_version=AS_IT_STANDS, state="open")
    services.progress_update_record(
        action=action,
        by=lead,
        narrative="Reopened: one ward left",
        status=status(org, "A/G"),
        expected_version=None,
    )


@pytest.mark.django_db
def test_a_leads_dashboard_points_to_their_own_actions_awaiting_an_update(login, editor, lead, plan):
    services.cycle_open(
        plan=plan,
        by=editor,
        name="This month",
        position_as_at=timezone.localdate(),
        update_deadline=timezone.localdate(),
    )
    mine = [a.reference for a in selectors.dashboard(user=lead, organisation=plan.organisation).mine_awaiting]
    assert mine == ["W1a", "W1b", "W1c"]
    page = login(lead).get("/").content.decode()
    assert "3 of your actions need a progress update this cycle" in page and 'href="/my-actions/"' in page
    assert selectors.dashboard(user=editor, organisation=plan.organisation).mine_awaiting == []


@pytest.mark.django_db
def test_an_update_recorded_after_the_cycles_deadline_is_marked_late(login, org, editor, lead, plan):
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Late cycle",
        position_as_at=timezone.localdate() - datetime.timedelta(days=2),
        update_deadline=timezone.localdate() - datetime.timedelta(days=5),
        at=timezone.now() - datetime.timedelta(days=20),
    )
    action = Action.objects.get(plan=plan, reference="W1a")
    on_time = services.progress_update_record(
        action=action,
        by=lead,
        narrative="In time",
        status=status(org, "A/G"),
        expected_version=None,
        at=timezone.now() - datetime.timedelta(days=10),
        update_date=timezone.localdate() - datetime.timedelta(days=10),
    )
    late = services.progress_update_record(
        action=action, by=lead, narrative="Late", status=status(org, "A/G"), expected_version=None
    )
    assert (on_time.cycle, late.cycle) == (cycle, cycle)
    assert not on_time.is_late and late.is_late
    page = login(editor).get(f"/actions/{action.pk}/").content.decode()
    assert page.count("After the deadline of") == 1


@pytest.mark.django_db
def test_the_cycle_page_counts_late_updates_and_says_who_is_still_awaited_before_closing(
    login, org, editor, lead, plan
):
    cycle = services.cycle_open(
        plan=plan,
        by=editor,
        name="Late cycle",
        position_as_at=timezone.localdate() - datetime.timedelta(days=2),
        update_deadline=timezone.localdate() - datetime.timedelta(days=5),
        at=timezone.now() - datetime.timedelta(days=20),
    )
    action = Action.objects.get(plan=plan, reference="W1a")
    services.progress_update_record(
        action=action, by=lead, narrative="Late", status=status(org, "A/G"), expected_version=None
    )
    page = login(editor).get(f"/cycles/{cycle.pk}/").content.decode()
    assert "1 update was recorded after the deadline of" in page and "(late)" in page
    assert "Updates are still awaited from 1 lead." in page


@pytest.mark.django_db
def test_saving_the_same_state_records_no_state_change(editor, plan):
    action = Action.objects.get(plan=plan, reference="W1a")
    services.action_state_set(action=action, by=editor, expected_version=AS_IT_STANDS, state="open")
    assert not ActionStateChange.objects.filter(action=action).exists()
    services.action_state_set(action=action, by=editor, expected_version=AS_IT_STANDS, state="completed")
    services.action_state_set(
        action=action, by=editor, expected_version=AS_IT_STANDS, state="closed", assurance_evidence="Report"
    )
    assert list(ActionStateChange.objects.filter(action=action).values_list("from_state", "state")) == [
        ("open", "completed"),
        ("completed", "closed"),
    ]
