"""The pieces every app's services are built from: the role check, the locked fetch, optimistic locking, and the
audited writes (add a record, change its fields, record a checked change, withdraw it, delete it), each in the caller's transaction (ADR 0006,
ADR 0015, ADR 0045)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from .access import can_act, current_role, is_current_member
from .audit import audit_record, snapshot
from .choices import AuditAction, Role
from .limits import fields_clean
from .models import Organisation, User
from .permissions import Permission, role_allows
from .selectors import oversight_entries_for_user

M = TypeVar("M", bound=models.Model)

ROLE_REFUSED = "Your role does not allow this."
VERSION_MISSING = (
    "The form was incomplete (it did not say which version you opened): open the page again and save."
)


class AsItStands:
    """The version a write by Wellled itself gives (an import, the demo, a lead reassigned across actions): no form
    was opened, so the row is changed as it stands under its lock. Never what a form or the API sends."""

    def __repr__(self) -> str:
        return "AS_IT_STANDS"


AS_IT_STANDS: Final = AsItStands()

# What an edit says about the copy it was made from: the version read (a form sends it as text), or AS_IT_STANDS.
# None is accepted as a value only to be refused: a form that left its hidden version out.
ExpectedVersion = int | str | AsItStands | None


class ConcurrentEditError(Exception):
    """Someone else saved the object after this form was opened; nothing was saved."""

    def __init__(self, instance: models.Model, message: str | None = None):
        self.instance = instance
        super().__init__(
            message
            or f"{instance} was changed by someone else while you were editing it, so your changes have not been "
            "saved and nothing of theirs was overwritten. Your entries are kept below: open the page again in a "
            "new tab to see what changed, then save again if your changes still apply."
        )


def membership_role(*, user: User | None, organisation_id: int) -> str | None:
    """The person's role in the organisation, read afresh: services re-check what views checked."""
    if user is None or not user.pk:
        return None
    role = current_role(user=user, organisation_id=organisation_id)
    if role is None and oversight_entries_for_user(user=user).filter(trust_id=organisation_id).exists():
        return Role.VIEWER  # a portfolio lends its oversight body's people a view, never a write (ADR 0038)
    return role


def permission_require(*, user: User | None, organisation_id: int, permission: Permission) -> None:
    """Raise PermissionDenied unless the person's current role in the organisation grants the permission."""
    if not role_allows(membership_role(user=user, organisation_id=organisation_id), permission):
        raise PermissionDenied(ROLE_REFUSED)


CANNOT_ACT = (
    "{person} cannot be given this in {organisation}: choose someone whose role there lets them act "
    "(not a viewer, a leaver or someone who has not yet accepted their invitation)."
)


def people_check(
    *,
    organisation_id: int,
    permissions: Iterable[Permission],
    instance: models.Model | None = None,
    **chosen: Any,
) -> None:
    """Refuse, by field, anyone chosen as an owner or lead who cannot act there (core.access.people_who_can_act): a
    viewer, a leaver, an invitee who has not accepted, someone of another organisation (a crafted form). A field
    given a value may also be a list of people (co-leads, a team). Whoever the instance already names in that field
    may stay (an action led by a leaver can still be edited; only new names are checked)."""
    permissions = list(permissions)
    errors: dict[str, str] = {}
    for field, value in chosen.items():
        people = [p for p in (value if isinstance(value, list | tuple | set) else [value]) if p is not None]
        kept: set[Any] = set()
        if instance is not None and instance.pk:
            current = getattr(instance, field, None)
            if isinstance(current, models.Manager):
                kept = set(current.values_list("pk", flat=True))
            elif current is not None:
                kept = {getattr(current, "pk", current)}
        for person in people:
            pk = getattr(person, "pk", person)
            if pk in kept or can_act(person=pk, organisation_id=organisation_id, permissions=permissions):
                continue
            # Someone of another organisation is never named (a crafted form learns nothing of them).
            member = isinstance(person, User) and is_current_member(
                user=person, organisation_id=organisation_id
            )
            name = person if member else "The person chosen"
            organisation = (
                Organisation.objects.filter(pk=organisation_id).values_list("name", flat=True).first()
            )
            errors[field] = CANNOT_ACT.format(person=name, organisation=organisation or "this organisation")
            break
    if errors:
        raise ValidationError(errors)


def locked_get(model: type[M], pk: Any) -> M:
    """The row re-read under a row lock, so the version check and the save see the same state."""
    return model._default_manager.select_for_update().get(pk=pk)


def version_check(instance: models.Model, expected_version: ExpectedVersion) -> None:
    """Refuse a write based on a stale copy of the row, or on no stated copy at all (optimistic locking on its
    `version`): an edit without the version it was read at is refused, never let through (ADR 0045)."""
    if isinstance(expected_version, AsItStands):
        return
    try:
        expected = int(expected_version)  # type: ignore[arg-type]  # None is refused just below
    except (TypeError, ValueError):
        raise ValidationError({"version": VERSION_MISSING}) from None
    if expected != instance.version:  # type: ignore[attr-defined]
        raise ConcurrentEditError(instance)


def version_bump(instance: models.Model, fields: Iterable[str]) -> None:
    """Save the changed fields and move the row's version on."""
    instance.version += 1  # type: ignore[attr-defined]
    instance.save(update_fields=[*dict.fromkeys(fields), "version"])


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return getattr(field, "attname", None) or name


@transaction.atomic
def fields_update(
    *,
    instance: M,
    by: User | None,
    organisation: Organisation,
    permission: Permission | None,
    expected_version: ExpectedVersion,
    allowed: Iterable[str],
    changes: Mapping[str, Any],
    check: Callable[[M, Mapping[str, Any]], None] | None = None,
    validate: bool = True,
    note: str = "",
) -> M:
    """Change some of an object's fields: check the role, lock, check the version, set, validate, save, audit.

    `allowed` names the fields a caller may change (a programming error otherwise); many-to-many fields are
    set after the save and recorded in the audit snapshot. `permission=None` is for callers that checked a
    narrower rule themselves (for instance "the action's own lead"). `check(row, changes)` is the service's own
    rule on the locked row as it stands (a published assessment is frozen, a reference is taken): it runs before
    the version check, so a refusal that saving again would not cure is the one the person hears."""
    if permission is not None:
        permission_require(user=by, organisation_id=organisation.pk, permission=permission)
    allowed = set(allowed)
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"{type(instance).__name__} cannot change {', '.join(sorted(unknown))} here.")
    model = type(instance)
    row = locked_get(model, instance.pk)
    if check is not None:
        check(row, changes)
    version_check(row, expected_version)
    m2m_names = {f.name for f in model._meta.many_to_many}
    before = snapshot(row)
    plain = {name: value for name, value in changes.items() if name not in m2m_names}
    for name, value in plain.items():
        setattr(row, name, value)
    if validate:
        row.full_clean()
    version_bump(row, [_column(model, name) for name in plain])
    for name, value in changes.items():
        if name in m2m_names:
            getattr(row, name).set(value)
    audit_record(
        by=by, organisation=organisation, action=AuditAction.UPDATE, instance=row, before=before, note=note
    )
    return row


def record_change(
    instance: M,
    changes: Mapping[str, Any],
    *,
    by: User | None,
    organisation: Organisation,
    note: str = "",
    versioned: bool = True,
) -> M:
    """Set and save some fields of a row the service has already checked (and locked), move its version on, and
    audit the change: the tail of the changes no form makes (a state moved on, a link set, a person deactivated).
    `versioned=False` saves the fields alone (a row whose version only its own edit form moves on)."""
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    if versioned:
        version_bump(instance, changes)
    else:
        instance.save(update_fields=list(changes))
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.UPDATE,
        instance=instance,
        before=before,
        note=note,
    )
    return instance


@dataclass(frozen=True)
class EditRule:
    """Who may edit a kind of record and which fields the edit may change, declared once beside the service:
    `apply` is `fields_update` under that rule (the plans' and assessments' edits; any app's edit can use it)."""

    permission: Permission | None
    allowed: frozenset[str]
    check: Callable[[Any, Mapping[str, Any]], None] | None = None

    def apply(
        self,
        instance: M,
        *,
        by: User | None,
        expected_version: ExpectedVersion,
        changes: Mapping[str, Any],
        organisation: Organisation | None = None,
        note: str = "",
    ) -> M:
        """Edit the record under this rule; its organisation is its own unless the caller names its owner's."""
        return fields_update(
            instance=instance,
            by=by,
            organisation=organisation or instance.organisation,  # type: ignore[attr-defined]
            permission=self.permission,
            expected_version=expected_version,
            allowed=self.allowed,
            changes=changes,
            check=self.check,
            note=note,
        )


@transaction.atomic
def record_create(
    *,
    instance: M,
    by: User | None,
    organisation: Organisation,
    permission: Permission | None,
    clean: Iterable[str] | None = None,
    many: Mapping[str, Iterable[Any]] | None = None,
    note: str = "",
) -> M:
    """Add a record built (unsaved) by the service: check the role, validate, save, set its many-to-many fields and
    write the audit record (with `note`, where its History should say why), in one transaction (the tail every
    "add" service shares).

    `clean` names the only fields to validate (for a record whose other fields the service set itself); by
    default the whole record is validated. `permission=None` is for callers that checked a narrower rule."""
    if permission is not None:
        permission_require(user=by, organisation_id=organisation.pk, permission=permission)
    if clean is None:
        instance.full_clean()
    else:
        fields_clean(instance, list(clean))
    instance.save()
    for name, values in (many or {}).items():
        getattr(instance, name).set(list(values))
    audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=instance, note=note)
    return instance


def record_create_or_change(
    instance: M,
    *,
    by: User | None,
    organisation: Organisation | None,
    before: dict[str, Any] | None,
    fields: Iterable[str] | None = None,
    after: dict[str, Any] | None = None,
) -> M:
    """Save a record that is set rather than added or edited (an organisation's one template or policy, a loaded
    framework) and audit it as added when it had no state `before`, as changed otherwise. `fields` saves only
    those and moves the version on; without them the row is saved whole."""
    if fields is None:
        instance.save()
    else:
        version_bump(instance, fields)
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit_record(
        by=by, organisation=organisation, action=action, instance=instance, before=before, after=after
    )
    return instance


def record_delete(
    instance: models.Model, *, by: User | None, organisation: Organisation, before: dict | None = None
) -> None:
    """Delete a row the service has checked, audited first with the row as it was (`before`, when the service
    records it in its own shape), so its History keeps what was removed."""
    as_it_was = snapshot(instance) if before is None else before
    audit_record(
        by=by, organisation=organisation, action=AuditAction.DELETE, instance=instance, before=as_it_was
    )
    instance.delete()


def record_withdraw(
    *,
    instance: M,
    by: User | None,
    organisation: Organisation,
    permission: Permission | None,
    expected_version: ExpectedVersion,
    changes: Mapping[str, Any],
    note: str,
    check: Callable[[M, Mapping[str, Any]], None] | None = None,
) -> M:
    """Take a record out of use without deleting it (withdrawn, archived, closed): a versioned change of the
    fields that say so, audited with `note` so its History says what happened. `check` refuses a record that
    cannot be withdrawn as it stands (already withdrawn, answered)."""
    rule = EditRule(permission, frozenset(changes), check)
    return rule.apply(
        instance,
        by=by,
        organisation=organisation,
        expected_version=expected_version,
        changes=changes,
        note=note,
    )
