"""The audited writes of the service kit (ADR 0045): adding a record checks the role, validates, saves and audits
in one go or not at all; withdrawing one is a versioned, audited change with its note; an edit that names no
version is refused."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from wellled.core.choices import AuditAction
from wellled.core.models import AuditLog
from wellled.core.permissions import Permission
from wellled.core.service_kit import AS_IT_STANDS, ConcurrentEditError, record_create, record_withdraw
from wellled.plans.models import Action, Plan, Section

pytestmark = pytest.mark.django_db


def _records(instance, action):
    kind = ContentType.objects.get_for_model(instance)
    return AuditLog.objects.filter(content_type=kind, object_id=str(instance.pk), action=action)


def _section(plan, code="W9", title="Leadership capacity"):
    return Section(plan=plan, code=code, title=title, order=9)


def test_an_added_record_is_saved_with_its_creation_audited(plan, editor):
    section = record_create(
        instance=_section(plan), by=editor, organisation=plan.organisation, permission=Permission.MANAGE_PLANS
    )
    assert Section.objects.filter(pk=section.pk, code="W9").exists()
    record = _records(section, AuditAction.CREATE).get()
    assert record.actor == editor and record.organisation == plan.organisation


def test_adding_is_refused_to_a_role_without_the_permission_and_nothing_is_kept(plan, viewer):
    audits = AuditLog.objects.count()
    with pytest.raises(PermissionDenied):
        record_create(
            instance=_section(plan),
            by=viewer,
            organisation=plan.organisation,
            permission=Permission.MANAGE_PLANS,
        )
    assert not Section.objects.filter(plan=plan, code="W9").exists()
    assert AuditLog.objects.count() == audits


def test_an_invalid_record_is_refused_field_by_field_and_nothing_is_kept(plan, editor):
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError) as refused:
        record_create(
            instance=_section(plan, title=""),
            by=editor,
            organisation=plan.organisation,
            permission=Permission.MANAGE_PLANS,
        )
    assert "title" in refused.value.message_dict
    assert AuditLog.objects.count() == audits
    with pytest.raises(ValidationError):  # only the named fields are checked, and the named field is too long
        record_create(
            instance=_section(plan, code="X" * 500),
            by=editor,
            organisation=plan.organisation,
            permission=None,
            clean=["code"],
        )


def test_many_to_many_fields_are_set_on_the_added_record(plan, editor, lead):
    action = Action(plan=plan, reference="9.1", title="Recruit two consultants", order=99)
    added = record_create(
        instance=action,
        by=editor,
        organisation=plan.organisation,
        permission=Permission.MANAGE_PLANS,
        many={"other_leads": [lead]},
    )
    assert list(Action.objects.get(pk=added.pk).other_leads.all()) == [lead]


def test_a_withdrawal_is_a_versioned_change_audited_with_its_note(plan, editor):
    withdrawn = record_withdraw(
        instance=plan,
        by=editor,
        organisation=plan.organisation,
        permission=Permission.MANAGE_PLANS,
        expected_version=plan.version,
        changes={"archived": True},
        note="Plan archived",
    )
    assert Plan.objects.get(pk=plan.pk).archived and withdrawn.version == plan.version + 1
    record = _records(plan, AuditAction.UPDATE).get()
    assert record.note == "Plan archived"


@pytest.mark.parametrize("version", [None, "", "stale"])
def test_a_withdrawal_without_the_version_read_is_refused_and_changes_nothing(plan, editor, version):
    expected = plan.version - 1 if version == "stale" else version
    with pytest.raises(ConcurrentEditError if version == "stale" else ValidationError):
        record_withdraw(
            instance=plan,
            by=editor,
            organisation=plan.organisation,
            permission=Permission.MANAGE_PLANS,
            expected_version=expected,
            changes={"archived": True},
            note="Plan archived",
        )
    assert not Plan.objects.get(pk=plan.pk).archived


def test_a_write_wellled_makes_itself_changes_the_record_as_it_stands(plan, editor):
    record_withdraw(
        instance=plan,
        by=editor,
        organisation=plan.organisation,
        permission=Permission.MANAGE_PLANS,
        expected_version=AS_IT_STANDS,
        changes={"archived": True},
        note="Plan archived",
    )
    assert Plan.objects.get(pk=plan.pk).archived
