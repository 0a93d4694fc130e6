"""The service kit every app's writes are built from: the role is re-read and enforced, a stale or broken version
is refused with nothing saved, and the generic field update validates, saves and audits before and after."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wellled.core.choices import AuditAction, Role
from wellled.core.models import AuditLog, Membership
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    AS_IT_STANDS,
    ConcurrentEditError,
    EditRule,
    fields_update,
    locked_get,
    membership_role,
    permission_require,
    record_change,
    record_delete,
    version_bump,
    version_check,
)
from wellled.plans.models import Action, Plan, Section

pytestmark = pytest.mark.django_db


def _records(instance) -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_id=str(instance.pk), object_repr=str(instance)).order_by("pk"))


def _plan_update(plan, by, expected_version, **changes):
    return fields_update(
        instance=plan,
        by=by,
        organisation=plan.organisation,
        permission=Permission.MANAGE_PLANS,
        expected_version=expected_version,
        allowed={"name", "description"},
        changes=changes,
    )


# Roles --------------------------------------------------------------------------------------------------------


def test_the_role_is_read_afresh_from_the_membership(org, viewer):
    assert membership_role(user=viewer, organisation_id=org.pk) == Role.VIEWER
    Membership.objects.filter(user=viewer, organisation=org).update(role=Role.GOVERNANCE_EDITOR)
    assert membership_role(user=viewer, organisation_id=org.pk) == Role.GOVERNANCE_EDITOR


def test_no_role_for_nobody_or_another_organisation(org, other_org, editor):
    assert membership_role(user=None, organisation_id=org.pk) is None
    assert membership_role(user=editor, organisation_id=other_org.pk) is None


def test_a_role_without_the_permission_is_refused(org, editor, viewer, outsider):
    permission_require(user=editor, organisation_id=org.pk, permission=Permission.MANAGE_PLANS)
    with pytest.raises(PermissionDenied):
        permission_require(user=viewer, organisation_id=org.pk, permission=Permission.MANAGE_PLANS)
    with pytest.raises(PermissionDenied):  # an administrator elsewhere is nobody here
        permission_require(user=outsider, organisation_id=org.pk, permission=Permission.MANAGE_PLANS)
    with pytest.raises(PermissionDenied):
        permission_require(user=None, organisation_id=org.pk, permission=Permission.VIEW)


# Versions -----------------------------------------------------------------------------------------------------


def test_version_check_refuses_a_stale_copy_and_passes_the_current_one(plan):
    version_check(plan, plan.version)
    version_check(plan, str(plan.version))  # a form posts text
    version_check(plan, AS_IT_STANDS)  # a write Wellled makes itself, with no form opened (ADR 0045)
    with pytest.raises(ConcurrentEditError) as caught:
        version_check(plan, plan.version - 1)
    assert caught.value.instance is plan
    assert "nothing of theirs was overwritten" in str(caught.value)


@pytest.mark.parametrize("broken", [None, "", "two", "1.5", [1]])
def test_a_version_that_is_not_a_number_is_a_validation_error_not_a_crash(plan, broken):
    with pytest.raises(ValidationError) as caught:
        version_check(plan, broken)
    assert "version" in caught.value.message_dict


def test_version_bump_saves_the_named_fields_and_moves_the_version_on(plan):
    before = plan.version
    plan.name = "Renamed"
    plan.description = "not saved: not named"
    version_bump(plan, ["name", "name"])
    fresh = Plan.objects.get(pk=plan.pk)
    assert (fresh.name, fresh.version) == ("Renamed", before + 1)
    assert fresh.description != "not saved: not named"


def test_locked_get_reads_the_row_as_stored(plan):
    Plan.objects.filter(pk=plan.pk).update(name="Changed elsewhere")
    assert locked_get(Plan, plan.pk).name == "Changed elsewhere"


# The generic field update -------------------------------------------------------------------------------------


def test_fields_update_saves_bumps_and_audits_before_and_after(plan, editor):
    old_name, old_version = plan.name, plan.version
    saved = _plan_update(plan, editor, plan.version, name="Board improvement plan")
    fresh = Plan.objects.get(pk=plan.pk)
    assert (fresh.name, fresh.version) == ("Board improvement plan", old_version + 1)
    assert saved.version == fresh.version
    record = AuditLog.objects.filter(object_id=str(plan.pk), action=AuditAction.UPDATE).latest("pk")
    assert record.actor == editor
    assert record.organisation == plan.organisation
    assert record.before["name"] == old_name
    assert record.after["name"] == "Board improvement plan"
    assert record.after["version"] == old_version + 1


def test_fields_update_refuses_a_role_that_may_not_and_saves_nothing(plan, viewer):
    audited = AuditLog.objects.count()
    with pytest.raises(PermissionDenied):
        _plan_update(plan, viewer, plan.version, name="Not allowed")
    fresh = Plan.objects.get(pk=plan.pk)
    assert (fresh.name, fresh.version) == (plan.name, plan.version)
    assert AuditLog.objects.count() == audited


def test_fields_update_refuses_a_stale_version_and_saves_nothing(plan, editor):
    _plan_update(plan, editor, plan.version, name="Saved first")
    audited = AuditLog.objects.count()
    with pytest.raises(ConcurrentEditError):
        _plan_update(plan, editor, plan.version, name="Saved second from an old page")  # plan is the old copy
    fresh = Plan.objects.get(pk=plan.pk)
    assert fresh.name == "Saved first"
    assert fresh.version == plan.version + 1
    assert AuditLog.objects.count() == audited


def test_fields_update_with_a_broken_version_is_a_validation_error_and_saves_nothing(plan, editor):
    with pytest.raises(ValidationError) as caught:
        _plan_update(plan, editor, "not-a-number", name="Never saved")
    assert "version" in caught.value.message_dict
    assert Plan.objects.get(pk=plan.pk).name == plan.name


def test_fields_update_refuses_a_field_not_allowed(plan, editor):
    with pytest.raises(ValueError, match="organised_by"):
        _plan_update(plan, editor, plan.version, name="Never saved", organised_by="framework")
    assert Plan.objects.get(pk=plan.pk).name == plan.name


def test_fields_update_validates_the_model_and_saves_nothing_invalid(plan, editor):
    with pytest.raises(ValidationError) as caught:
        _plan_update(plan, editor, plan.version, name="")
    assert "name" in caught.value.message_dict
    assert Plan.objects.get(pk=plan.pk).version == plan.version


def test_fields_update_sets_a_foreign_key_by_its_column(plan, editor, lead):
    section = plan.sections.get()
    fields_update(
        instance=section,
        by=editor,
        organisation=plan.organisation,
        permission=Permission.MANAGE_PLANS,
        expected_version=section.version,
        allowed={"executive_lead"},
        changes={"executive_lead": lead},
    )
    assert Section.objects.get(pk=section.pk).executive_lead == lead


def test_fields_update_sets_many_to_many_fields_and_audits_them(plan, editor, viewer):
    action = plan.actions.order_by("pk").first()  # the factory links the first action to the finding
    finding = plan.findings.get()
    before_leads = sorted(action.other_leads.values_list("pk", flat=True))
    fields_update(
        instance=action,
        by=editor,
        organisation=plan.organisation,
        permission=Permission.MANAGE_PLANS,
        expected_version=action.version,
        allowed={"title", "other_leads", "findings"},
        changes={"title": "Named co-leads", "other_leads": [viewer], "findings": []},
    )
    fresh = Action.objects.get(pk=action.pk)
    assert fresh.title == "Named co-leads"
    assert list(fresh.other_leads.all()) == [viewer]
    assert not fresh.findings.exists()
    record = AuditLog.objects.filter(object_id=str(action.pk), action=AuditAction.UPDATE).latest("pk")
    assert record.before["other_leads"] == before_leads
    assert record.after["other_leads"] == [viewer.pk]
    assert record.before["findings"] == [finding.pk]
    assert record.after["findings"] == []


def test_fields_update_runs_the_service_rule_and_saves_nothing_it_refuses(plan, editor):
    def frozen(row, changes):
        raise ValidationError("This plan is frozen.")

    with pytest.raises(ValidationError, match="frozen"):
        fields_update(
            instance=plan,
            by=editor,
            organisation=plan.organisation,
            permission=Permission.MANAGE_PLANS,
            expected_version=plan.version,
            allowed={"name"},
            changes={"name": "Never saved"},
            check=frozen,
        )
    assert Plan.objects.get(pk=plan.pk).name == plan.name


def test_fields_update_without_a_permission_leaves_the_rule_to_the_caller(plan, lead):
    """`permission=None` is for a service that checked a narrower rule itself (the action's own lead)."""
    action = plan.actions.order_by("pk").first()
    fields_update(
        instance=action,
        by=lead,
        organisation=plan.organisation,
        permission=None,
        expected_version=action.version,
        allowed={"lead_note"},
        changes={"lead_note": "Covering while the lead is away."},
    )
    assert Action.objects.get(pk=action.pk).lead_note == "Covering while the lead is away."


# The apps' own rules, run through `check` -----------------------------------------------------------------------


def test_editing_an_action_to_a_reference_already_taken_is_refused_naming_the_field(plan, editor):
    from wellled.plans import services as plan_services

    first, second = plan.actions.order_by("pk")[:2]
    with pytest.raises(ValidationError) as caught:
        plan_services.action_update(
            action=second, by=editor, expected_version=second.version, reference=first.reference
        )
    assert caught.value.message_dict["reference"] == [
        f"{plan.name} already has an action {first.reference}: choose another reference."
    ]
    assert Action.objects.get(pk=second.pk).reference == second.reference


def test_editing_an_action_keeping_its_own_reference_is_allowed(plan, editor):
    from wellled.plans import services as plan_services

    action = plan.actions.order_by("pk").first()
    saved = plan_services.action_update(
        action=action,
        by=editor,
        expected_version=action.version,
        reference=action.reference,
        title="Retitled",
    )
    assert (saved.reference, saved.title) == (action.reference, "Retitled")


# A checked change (no form, so no version to compare) -----------------------------------------------------------


def test_record_change_saves_the_named_fields_moves_the_version_on_and_audits_with_its_note(plan, editor):
    old_name, old_version = plan.name, plan.version
    plan.description = "not saved: not named"
    record_change(plan, {"name": "Closed plan"}, by=editor, organisation=plan.organisation, note="Closed")
    fresh = Plan.objects.get(pk=plan.pk)
    assert (fresh.name, fresh.version) == ("Closed plan", old_version + 1)
    assert fresh.description != "not saved: not named"
    record = AuditLog.objects.filter(object_id=str(plan.pk), action=AuditAction.UPDATE).latest("pk")
    assert (record.actor, record.organisation, record.note) == (editor, plan.organisation, "Closed")
    assert (record.before["name"], record.after["name"]) == (old_name, "Closed plan")


def test_record_change_unversioned_leaves_the_version_where_it_was(plan, editor):
    old_version = plan.version
    record_change(
        plan, {"name": "Renamed quietly"}, by=editor, organisation=plan.organisation, versioned=False
    )
    fresh = Plan.objects.get(pk=plan.pk)
    assert (fresh.name, fresh.version) == ("Renamed quietly", old_version)
    assert AuditLog.objects.filter(object_id=str(plan.pk), action=AuditAction.UPDATE).exists()


def test_record_delete_audits_the_row_as_it_was_then_removes_it(plan, editor):
    from wellled.plans.services import section_create

    section = section_create(plan=plan, by=editor, code="X9", title="A section added in error")
    pk, title = section.pk, section.title
    record_delete(section, by=editor, organisation=plan.organisation)
    assert not Section.objects.filter(pk=pk).exists()
    record = AuditLog.objects.filter(object_id=str(pk), action=AuditAction.DELETE).latest("pk")
    assert (record.actor, record.organisation, record.before["title"]) == (editor, plan.organisation, title)


# An edit rule declared once ---------------------------------------------------------------------------------------


def test_an_edit_rule_applies_its_permission_fields_and_check_to_the_records_own_organisation(
    plan, editor, viewer
):
    def no_blank_name(row, changes):
        if not changes.get("name", row.name).strip():
            raise ValidationError({"name": "Enter a name."})

    rule = EditRule(Permission.MANAGE_PLANS, frozenset({"name"}), check=no_blank_name)
    with pytest.raises(PermissionDenied):
        rule.apply(plan, by=viewer, expected_version=plan.version, changes={"name": "Viewer's name"})
    with pytest.raises(ValueError):
        rule.apply(plan, by=editor, expected_version=plan.version, changes={"description": "Not allowed"})
    with pytest.raises(ValidationError):
        rule.apply(plan, by=editor, expected_version=plan.version, changes={"name": "  "})
    with pytest.raises(ValidationError):
        rule.apply(plan, by=editor, expected_version=None, changes={"name": "No version"})
    saved = rule.apply(
        plan, by=editor, expected_version=plan.version, changes={"name": "Ruled"}, note="By rule"
    )
    assert (Plan.objects.get(pk=plan.pk).name, saved.version) == ("Ruled", plan.version + 1)
    record = AuditLog.objects.filter(object_id=str(plan.pk), action=AuditAction.UPDATE).latest("pk")
    assert (record.organisation, record.note) == (plan.organisation, "By rule")
