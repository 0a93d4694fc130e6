"""The audit log: written in the writer's transaction, never changed or removed, free of secrets, shown as History."""

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from tests.factories import PASSWORD, db_state, make_person, named_url_patterns

from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction, Role
from wellled.core.models import AuditLog, User
from wellled.jinja2 import long_date
from wellled.plans.models import Action


def audit_rows():
    return list(AuditLog.objects.order_by("pk").values())


@pytest.mark.django_db
def test_audit_record_cannot_be_changed_or_deleted_through_the_orm_when_written(plan):
    record = AuditLog.objects.order_by("pk").first()
    before = audit_rows()
    record.note = "tampered"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=record.pk).update(note="tampered")
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    with (
        pytest.raises(PermissionError),
        transaction.atomic(),
    ):  # bulk_update poisons the enclosing transaction
        AuditLog.objects.bulk_update([record], ["note"])
    assert audit_rows() == before


@pytest.mark.django_db
def test_no_url_edits_or_deletes_audit_records_when_the_url_map_is_read():
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    # A ward's accreditation audit is another sense of the word: those routes write audits, not the audit log.
    audit_urls = [
        (name, route)
        for name, route, _ in named_url_patterns()
        if ("audit" in name or "audit" in route) and "ward-audit" not in name
    ]
    assert audit_urls == [("audit-log", "organisation/audit/")]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.GOVERNANCE_EDITOR])
def test_posting_to_the_audit_and_history_pages_changes_nothing_when_an_administrator_tries(
    login, people, objects, role
):
    client = login(people[role])
    record = AuditLog.objects.order_by("pk").first()
    before = db_state()
    tampering = {
        "id": record.pk,
        "pk": record.pk,
        "note": "tampered",
        "action": "delete",
        "delete": record.pk,
        "before": "{}",
        "after": "{}",
        "actor": people[role].pk,
    }
    urls = [reverse("audit-log")] + [
        reverse(name, args=[objects[kind].pk])
        for name, kind in [
            ("plan-history", "plan"),
            ("section-history", "section"),
            ("action-history", "action"),
            ("update-history", "update"),
            ("finding-history", "finding"),
            ("cycle-history", "cycle"),
        ]
    ]
    for url in urls:
        response = client.post(url, tampering)
        assert response.status_code in (200, 405), url
        assert db_state() == before, url


@pytest.mark.django_db(transaction=True)
def test_audit_record_is_refused_when_written_outside_a_transaction(org):
    count = AuditLog.objects.count()
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit_record(by=None, organisation=org, action=AuditAction.UPDATE, instance=org)
    assert AuditLog.objects.count() == count


@pytest.mark.django_db
def test_snapshots_never_include_the_password_hash_when_people_are_recorded(org, editor):
    person = make_person(org, role=Role.LEAD, username="newlead")
    assert "password" not in snapshot(person)
    stored = User.objects.get(pk=person.pk).password
    assert stored and PASSWORD not in stored
    for row in AuditLog.objects.all():
        text = repr(row.before) + repr(row.after)
        assert stored not in text and PASSWORD not in text
        assert "password" not in (row.before or {}) and "password" not in (row.after or {})
    created = AuditLog.objects.get(content_type__model="user", object_id=str(person.pk), action="create")
    assert created.after["username"] == "newlead"


@pytest.mark.django_db
def test_a_failed_write_leaves_no_audit_record_when_the_transaction_rolls_back(editor, plan):
    count = AuditLog.objects.count()
    action = Action.objects.get(plan=plan, reference="W1a")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(
            by=editor,
            organisation=plan.organisation,
            action=AuditAction.UPDATE,
            instance=action,
            before=snapshot(action),
        )
        1 / 0  # noqa: B018 - the writer fails after auditing
    assert AuditLog.objects.count() == count


@pytest.mark.django_db
def test_history_page_shows_each_change_with_who_and_when_when_an_action_is_edited(
    login, editor, viewer, plan
):
    action = Action.objects.get(plan=plan, reference="W1a")
    client = login(editor)
    response = client.post(
        reverse("action-edit", args=[action.pk]),
        {
            "reference": "W1a",
            "title": "Recruit a second cohort of ward leaders",
            "version": action.version,
        },
    )
    assert response.status_code == 302
    change = AuditLog.objects.filter(
        object_id=str(action.pk), content_type__model="action", action="update"
    ).get()
    assert change.actor == editor and change.request_id
    history = login(viewer).get(reverse("action-history", args=[action.pk]))
    assert history.status_code == 200
    body = history.content.decode()
    assert "Recruit a second cohort of ward leaders" in body  # after
    assert "Planned action 1" in body  # before
    assert str(editor) in body  # who
    assert long_date(change.created_at) in body  # when
    assert "Changed" in body and "Created" in body
    # The action's page shows the change in its timeline too.
    detail = client.get(reverse("action-detail", args=[action.pk])).content.decode()
    assert str(editor) in detail


@pytest.mark.django_db
def test_records_written_by_one_request_share_its_request_id_when_a_page_saves(login, org, lead, plan):
    from tests.factories import status

    action = Action.objects.get(plan=plan, reference="W1a")
    count = AuditLog.objects.count()
    login(lead).post(
        reverse("action-update", args=[action.pk]),
        {
            "narrative": "Cohort one complete",
            "status": status(org, "A/G").pk,
            "update_date": "2026-11-20",
            "version": action.version,
        },
    )
    written = list(AuditLog.objects.all()[: AuditLog.objects.count() - count])
    assert len(written) == 2  # the update, and the action's new status
    assert {r.actor for r in written} == {lead}
    assert len({r.request_id for r in written}) == 1 and written[0].request_id


@pytest.mark.django_db
def test_audit_log_page_lists_the_organisations_changes_when_an_administrator_reads_it(
    login, people, plan, outsider
):
    client = login(people[Role.ADMINISTRATOR])
    body = client.get(reverse("audit-log")).content.decode()
    assert "Well-led self-review" in body
    assert "Southvale plan" not in body  # the other organisation's record is not listed


@pytest.mark.django_db
def test_history_names_fields_people_and_statuses_in_words_not_ids(login, editor, viewer, lead, plan):
    from tests.factories import status

    from wellled.plans import services

    action = Action.objects.get(plan=plan, reference="W1a")
    services.progress_update_record(
        action=action,
        by=lead,
        narrative="Cohort two recruited.",
        status=status(plan.organisation, "A/R"),
        expected_version=None,
    )
    action.refresh_from_db()
    services.action_update(action=action, by=editor, expected_version=action.version, lead=editor)
    body = login(viewer).get(reverse("action-history", args=[action.pk])).content.decode()
    assert "status_id" not in body and "lead_id" not in body and "version:" not in body.lower()
    assert "A/R (At risk)" in body  # the status by its code and label
    assert f"Lead:</span> {editor}" in body and f"Lead:</span> {lead}" in body  # before and after, by name
