"""Writes for organisations, structure, memberships and the delivery-status scale, each audited."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .access import current_members, current_memberships, is_current_member, memberships_ever
from .audit import audit_record, snapshot
from .choices import AuditAction, OrganisationKind, Role
from .holdings import Held, person_holdings
from .models import (
    DeliveryStatus,
    Invitation,
    Membership,
    Organisation,
    OrganisationUnit,
    PortfolioEntry,
    User,
)
from .permissions import Permission, role_allows
from .service_kit import (
    AS_IT_STANDS,
    fields_update,
    people_check,
    permission_require,
    record_change,
    record_create,
    record_create_or_change,
    record_delete,
)
from .signals import membership_ended


@dataclass(frozen=True)
class StatusDefinition:
    """A delivery status as shipped by default."""

    code: str
    label: str
    meaning: str
    colour: str
    text_colour: str
    rank: int
    is_complete: bool = False
    is_exception: bool = False


# The default scale follows the four codes of the board self-review in seed 003 (meanings in our own words);
# blue "complete and assured" is the BRAG convention many trusts add (shared/domain/rag_and_reporting.md).
# Colours are NHS identity colours chosen so the code printed on them meets WCAG AA contrast.
DEFAULT_DELIVERY_STATUSES: tuple[StatusDefinition, ...] = (
    StatusDefinition(
        "B",
        "Complete and assured",
        "Delivered, and evidence shows the improvement is sustained.",
        "#005eb8",
        "#ffffff",
        5,
        is_complete=True,
    ),
    StatusDefinition(
        "G",
        "Complete",
        "Delivered, and the intended improvement has been achieved.",
        "#007f3b",
        "#ffffff",
        4,
        is_complete=True,
    ),
    StatusDefinition(
        "A/G",
        "On track",
        "A credible plan is in place and on course, but not yet finished.",
        "#ffb81c",
        "#212b32",
        3,
    ),
    StatusDefinition(
        "A/R",
        "At risk",
        "There is no plan, or little confidence that the plan will deliver.",
        "#ed8b00",
        "#212b32",
        2,
        is_exception=True,
    ),
    StatusDefinition(
        "R",
        "Off track",
        "Not delivered, or will not be delivered without intervention.",
        "#d5281b",
        "#ffffff",
        1,
        is_exception=True,
    ),
)


@transaction.atomic
def organisation_create(
    *, name: str, ods_code: str, by: User | None, kind: str = OrganisationKind.TRUST, with_blue: bool = True
) -> Organisation:
    """Create an organisation with the default delivery-status scale."""
    organisation = Organisation(name=name, ods_code=ods_code.upper(), kind=kind)
    record_create(instance=organisation, by=by, organisation=organisation, permission=None)
    for definition in DEFAULT_DELIVERY_STATUSES:
        status = DeliveryStatus.objects.create(
            organisation=organisation,
            code=definition.code,
            label=definition.label,
            meaning=definition.meaning,
            colour=definition.colour,
            text_colour=definition.text_colour,
            rank=definition.rank,
            is_complete=definition.is_complete,
            is_exception=definition.is_exception,
            active=with_blue or definition.code != "B",
        )
        audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=status)
    return organisation


@transaction.atomic
def organisation_unit_create(
    *,
    organisation: Organisation,
    kind: str,
    name: str,
    by: User | None,
    code: str = "",
    parent: OrganisationUnit | None = None,
) -> OrganisationUnit:
    """Add a site, directorate or care group to an organisation's structure."""
    unit = OrganisationUnit(organisation=organisation, kind=kind, name=name, code=code, parent=parent)
    record_create(instance=unit, by=by, organisation=organisation, permission=None)
    return unit


@transaction.atomic
def membership_set(*, user: User, organisation: Organisation, role: str, by: User | None) -> Membership:
    """Give a person a role in an organisation, or change the role they have."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}.")
    membership = Membership.objects.select_for_update().filter(user=user, organisation=organisation).first()
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=membership)
    elif membership.role != role or not membership.active:
        changes = {"role": role, "active": True, "ended_at": None}
        record_change(membership, changes, by=by, organisation=organisation)
    return membership


@transaction.atomic
def person_create(
    *,
    username: str,
    by: User | None,
    organisation: Organisation,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    initials: str = "",
    job_title: str = "",
    password: str | None = None,
) -> User:
    """Add a person to an organisation; without a password they are invited (cannot sign in until they set one)."""
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email or None,
        initials=initials,
        job_title=job_title,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=user)
    membership_set(user=user, organisation=organisation, role=role, by=by)
    return user


# An organisation's Word template for board papers ---------------------------------------------------------------

# A template holds styles, a page set-up, headers and perhaps a logo; 5 MB is far more than that needs.
WORD_TEMPLATE_MAX_BYTES = 5 * 1024 * 1024
# Unzipped, every part together: the template is opened for each Word paper, so a zip that unpacks to gigabytes
# would cost that memory on every download.
WORD_TEMPLATE_MAX_EXPANDED_BYTES = 25 * 1024 * 1024
WORD_TEMPLATE_FIELDS = ("filename", "size", "sha256", "uploaded_by_id", "uploaded_at")


class WordTemplateError(ValueError):
    """The upload is not a Word document Wellled can use as a template; the message says why."""


def word_template_check(*, filename: str, content: bytes) -> None:
    """Refuse anything but a readable .docx of a sensible size, with a message a person can act on."""
    import io
    import zipfile

    if not filename.lower().endswith(".docx"):
        raise WordTemplateError(f"‘{filename}’ is not a Word document: upload a .docx file.")
    if len(content) > WORD_TEMPLATE_MAX_BYTES:
        raise WordTemplateError(
            f"‘{filename}’ is {len(content) / 1024 / 1024:.1f} MB: a template can be at most "
            f"{WORD_TEMPLATE_MAX_BYTES // 1024 // 1024} MB."
        )
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WordTemplateError(
            f"‘{filename}’ is password-protected or in the old .doc format: save it from Word "
            "as an unprotected .docx and upload it again."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise WordTemplateError(f"‘{filename}’ is not a Word document: upload a .docx file.")
            if sum(info.file_size for info in archive.infolist()) > WORD_TEMPLATE_MAX_EXPANDED_BYTES:
                raise WordTemplateError(
                    f"‘{filename}’ unpacks to more than {WORD_TEMPLATE_MAX_EXPANDED_BYTES // 1024 // 1024} MB: a "
                    "template needs its styles, page set-up and a logo, not large pictures or embedded files."
                )
        from docx import Document

        Document(io.BytesIO(content))
    except WordTemplateError:
        raise
    except Exception as exc:  # noqa: BLE001 (any failure to read it means the same to the person uploading)
        raise WordTemplateError(
            f"‘{filename}’ could not be read as a Word document (it may be damaged): save it "
            "again from Word and upload it."
        ) from exc


def _word_template_state(template) -> dict:
    """What the audit log keeps of a template: its name, size and checksum, not its bytes."""
    return {name: getattr(template, name) for name in WORD_TEMPLATE_FIELDS} | {
        "uploaded_at": template.uploaded_at.isoformat()
    }


@transaction.atomic
def word_template_set(*, organisation: Organisation, by: User, filename: str, content: bytes):
    """Store the organisation's Word template for board papers, replacing any earlier one."""
    import hashlib

    from django.utils import timezone

    from .models import WordTemplate

    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_PLANS)
    word_template_check(filename=filename, content=content)
    template = WordTemplate.objects.select_for_update().filter(organisation=organisation).first()
    before = _word_template_state(template) if template else None
    template = template or WordTemplate(organisation=organisation)
    template.filename = filename[-200:]
    template.content = content
    template.size = len(content)
    template.sha256 = hashlib.sha256(content).hexdigest()
    template.uploaded_by = by
    template.uploaded_at = timezone.now()
    return record_create_or_change(
        template, by=by, organisation=organisation, before=before, after=_word_template_state(template)
    )


@transaction.atomic
def word_template_remove(*, organisation: Organisation, by: User) -> bool:
    """Go back to Wellled's own styles for the board paper in Word; False if there was no template."""
    from .models import WordTemplate

    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_PLANS)
    template = WordTemplate.objects.select_for_update().filter(organisation=organisation).first()
    if template is None:
        return False
    record_delete(template, by=by, organisation=organisation, before=_word_template_state(template))
    return True


# People: invitations, roles, placeholders from imports, leavers (ADR 0025) --------------------------------------

# How long an invitation link works: long enough to cover a week's leave, short enough that a link forwarded or
# left in an inbox soon stops being a way in.
INVITATION_VALID_DAYS = 7
INVITATION_SUBJECT = "You have been invited to Wellled for {organisation}"
LAST_ADMINISTRATOR = (
    "{organisation} must keep at least one administrator: make someone else an administrator first."
)
INVITATION_BODY = """Hello {name},

{by} has invited you to Wellled, where {organisation} keeps its well-led improvement plans, progress
updates and board papers.

Open this link to set your password, or to sign in with your organisation's account if it uses one:

{link}

The link works once, for {days} days. If you were not expecting this, you can ignore this e-mail.
"""
INITIALS_TAKEN = (
    "{initials} already stands for {other} in {organisation}: choose initials no one else there has."
)


def _administrator_require(*, by: User | None, organisation: Organisation) -> None:
    from .permissions import Permission
    from .service_kit import permission_require

    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_ORGANISATION)


def token_digest(token: str) -> str:
    """What is stored of an invitation token: its SHA-256, so the table alone lets no one in."""
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def initials_check(*, person: User | None, initials: str, organisations) -> None:
    """Refuse initials that another current member of any of the organisations goes by (boards tell leads apart
    by them, and the spreadsheet import matches leads on them)."""
    wanted = initials.strip().casefold()
    if not wanted:
        return
    for organisation in organisations:
        members = current_members(organisation=organisation)
        if person is not None and person.pk:
            members = members.exclude(pk=person.pk)
        for other in members:
            if other.display_initials.casefold() == wanted:
                raise ValidationError(
                    {
                        "initials": INITIALS_TAKEN.format(
                            initials=initials.strip(), other=other, organisation=organisation.name
                        )
                    }
                )


def initials_free(*, first_name: str, last_name: str, organisation: Organisation) -> str:
    """Initials for a newcomer that no current member of the organisation has: the first letters of their names,
    else more of the last name (JS, then JSm, JSmi), else a number."""
    taken = {other.display_initials.casefold() for other in current_members(organisation=organisation)}
    first, last = first_name.strip()[:1].upper(), last_name.strip()
    candidates = [first + last[:n].capitalize() if n > 1 else first + last[:1].upper() for n in range(1, 5)]
    base = candidates[0] or "X"
    candidates += [f"{base}{n}" for n in range(2, 100)]
    return next(c for c in candidates if c and c.casefold() not in taken)[:8]


def _email_owner(email: str, *, exclude: User | None = None) -> User | None:
    people = User.objects.filter(email__iexact=email.strip())
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return people.first()


def _organisations_of(person: User):
    return [m.organisation for m in current_memberships(user=person).select_related("organisation")]


@transaction.atomic
def invitation_send(*, organisation: Organisation, person: User, by: User | None) -> Invitation:
    """E-mail the person a one-time link (valid INVITATION_VALID_DAYS days) to set a password or sign in with
    the organisation's account; any earlier link for them in this organisation stops working."""
    import secrets

    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import timezone

    from .url_kit import site_url

    _administrator_require(by=by, organisation=organisation)
    if not person.email:
        raise ValidationError(
            {"email": "Enter the person's e-mail address so the invitation can reach them."}
        )
    now = timezone.now()
    for earlier in Invitation.objects.select_for_update().filter(
        organisation=organisation, person=person, accepted_at=None, withdrawn_at=None
    ):
        earlier.withdrawn_at = now
        earlier.save(update_fields=["withdrawn_at"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        person=person,
        email=person.email,
        token_digest=token_digest(token),
        invited_by=by,
        expires_at=now + datetime.timedelta(days=INVITATION_VALID_DAYS),
    )
    audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=invitation)
    link = site_url(reverse("invitation-accept", args=[token]))
    body = INVITATION_BODY.format(
        name=person.first_name or person,
        by=by.get_full_name() or by.username if by else "An administrator",
        organisation=organisation.name,
        link=link,
        days=INVITATION_VALID_DAYS,
    )
    subject = INVITATION_SUBJECT.format(organisation=organisation.name)
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]))
    return invitation


@transaction.atomic
def person_invite(
    *,
    organisation: Organisation,
    by: User,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    initials: str = "",
    job_title: str = "",
) -> Invitation:
    """Invite someone by e-mail with a role; someone who already has a Wellled account (in another organisation)
    keeps that one account and gains a membership here."""
    _administrator_require(by=by, organisation=organisation)
    email = email.strip()
    person = _email_owner(email)
    if person is not None:
        current = is_current_member(user=person, organisation_id=organisation.pk)
        if current:
            raise ValidationError({"email": f"{email} is already a member of {organisation.name}."})
        initials_check(person=person, initials=person.display_initials, organisations=[organisation])
        membership_set(user=person, organisation=organisation, role=role, by=by)
        if not person.is_active:
            record_change(person, {"is_active": True}, by=by, organisation=organisation, versioned=False)
    else:
        initials_check(person=None, initials=initials, organisations=[organisation])
        if not initials.strip() and (first_name.strip() or last_name.strip()):
            initials = initials_free(first_name=first_name, last_name=last_name, organisation=organisation)
        person = person_create(
            username=_username_for(email),
            by=by,
            organisation=organisation,
            role=role,
            first_name=first_name,
            last_name=last_name,
            email=email,
            initials=initials,
            job_title=job_title,
        )
    return invitation_send(organisation=organisation, person=person, by=by)


def _username_for(email: str) -> str:
    """A free username from the e-mail address (people sign in with either)."""
    base = email.strip().lower()[:140]
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    username, n = base, 1
    while username in taken:
        n += 1
        username = f"{base}.{n}"
    return username


def invitation_find(*, token: str) -> Invitation | None:
    """The invitation a link names, whatever its state (the page says if it has expired or been used)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation", "person")
        .filter(token_digest=token_digest(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str | None) -> User:
    """Use an invitation: set the person's password (checked against the password rules), once."""
    from django.contrib.auth.password_validation import validate_password
    from django.utils import timezone

    invitation = invitation_find(token=token)
    now = timezone.now()
    if invitation is None or not invitation.usable(now):
        raise ValidationError("This invitation link has expired or has already been used.")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.usable(now):
        raise ValidationError("This invitation link has expired or has already been used.")
    person = User.objects.select_for_update().get(pk=invitation.person_id)
    if not person.is_active:
        raise ValidationError("This invitation link has expired or has already been used.")
    if password is not None:
        try:
            validate_password(password, user=person)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages})
        before = snapshot(person)
        person.set_password(password)
        person.save(update_fields=["password"])
        audit_record(
            by=person,
            organisation=invitation.organisation,
            action=AuditAction.UPDATE,
            instance=person,
            before=before,
            note="Set a password from an invitation",
        )
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        by=person, organisation=invitation.organisation, action=AuditAction.UPDATE, instance=invitation
    )
    return person


def _administrators(organisation: Organisation):
    return current_memberships(organisation=organisation, role=Role.ADMINISTRATOR)


@transaction.atomic
def person_role_set(
    *,
    membership: Membership,
    role: str,
    by: User,
    expected_version: int | str | None,
    successor: User | None = None,
) -> Membership:
    """Change a person's role in an organisation; the last administrator cannot be moved to another role. Open work
    the new role cannot hold (a lead made a viewer: the actions they lead, the risks they own, the projects they
    lead) is handed on to `successor` in the same transaction, each change audited; without a successor who can
    act, nothing changes."""
    from .permissions import Permission
    from .service_kit import fields_update

    organisation = membership.organisation
    _administrator_require(by=by, organisation=organisation)
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role."})
    if (
        membership.role == Role.ADMINISTRATOR
        and role != Role.ADMINISTRATOR
        and not _administrators(organisation).exclude(pk=membership.pk).exists()
    ):
        raise ValidationError({"role": LAST_ADMINISTRATOR.format(organisation=organisation.name)})
    person = membership.user
    held = person_holdings(by=by, organisation=organisation, person=person)
    losing = [h for h in held if not role_allows(role, h.holding.permission)]
    _hand_on(organisation=organisation, person=person, held=losing, successor=successor, by=by)
    return fields_update(
        instance=membership,
        by=by,
        organisation=organisation,
        permission=Permission.MANAGE_ORGANISATION,
        expected_version=expected_version,
        allowed={"role"},
        changes={"role": role},
    )


SUCCESSOR_NEEDED = "{person} still holds {what}: choose who takes them on."
SUCCESSOR_SELF = "Choose someone other than {person} to take on their work."


def holdings_text(held: list[Held]) -> str:
    """What is held, in words: "3 open actions they lead or co-lead and 1 open risk they own or handle"."""
    parts = [h.text for h in held]
    return " and ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def _hand_on(
    *, organisation: Organisation, person: User, held: list[Held], successor: User | None, by: User
) -> int:
    """Give every record held to the successor through each app's own audited services; refuse (by the successor
    field) a missing successor, the person themselves, or anyone who cannot act for what they would take on."""
    if not held:
        return 0
    if successor is None:
        raise ValidationError({"successor": SUCCESSOR_NEEDED.format(person=person, what=holdings_text(held))})
    if successor.pk == person.pk:
        raise ValidationError({"successor": SUCCESSOR_SELF.format(person=person)})
    people_check(
        organisation_id=organisation.pk,
        permissions={h.holding.permission for h in held},
        successor=successor,
    )
    return sum(h.holding.hand_on(records=h.records, person=person, to=successor, by=by) for h in held)


def _details_change_check(*, person: User, by: User) -> None:
    """An administrator changes the details of people of their own organisations only: someone who also
    belongs to an organisation where `by` is not an administrator keeps their details under their own control."""
    elsewhere = current_memberships(user=person).exclude(
        organisation__in=current_memberships(user=by, role=Role.ADMINISTRATOR).values("organisation")
    )
    if elsewhere.exists():
        raise ValidationError(
            f"{person} also belongs to another organisation, so only an administrator of every organisation "
            "they belong to can change their name or e-mail address."
        )


@transaction.atomic
def person_update(
    *,
    person: User,
    organisation: Organisation,
    by: User,
    expected_version: int | str | None,
    first_name: str,
    last_name: str,
    email: str,
    initials: str,
    job_title: str,
) -> User:
    """Complete or correct a person's details (an "Invited" lead from an import gets a name and e-mail here)."""
    from .permissions import Permission
    from .service_kit import fields_update

    _administrator_require(by=by, organisation=organisation)
    if not memberships_ever(user=person, organisation=organisation).exists():
        raise ValidationError("This person does not belong to the organisation.")
    _details_change_check(person=person, by=by)
    email = email.strip()
    if email and _email_owner(email, exclude=person) is not None:
        raise ValidationError(
            {
                "email": f"{email} is already the address of someone in Wellled: if this is the same person, "
                "merge the two instead."
            }
        )
    initials_check(person=person, initials=initials, organisations=_organisations_of(person))
    return fields_update(
        instance=person,
        by=by,
        organisation=organisation,
        permission=Permission.MANAGE_ORGANISATION,
        expected_version=expected_version,
        allowed={"first_name", "last_name", "email", "initials", "job_title"},
        changes={
            "first_name": first_name,
            "last_name": last_name,
            "email": email or None,
            "initials": initials.strip(),
            "job_title": job_title,
        },
        validate=False,
    )


def is_placeholder(person: User) -> bool:
    """Someone known only from an import or an invitation: never signed in, no password, no linked account."""
    return person.last_login is None and not person.has_usable_password()


# Relations to a person that a merge never moves: their own memberships and invitations, and history.
MERGE_KEPT_RELATIONS = frozenset(
    {
        ("core", "membership"),
        ("core", "invitation"),
        ("core", "auditlog"),
        ("socialaccount", "socialaccount"),
        ("account", "emailaddress"),
        ("otp_totp", "totpdevice"),
        ("axes", "accessattempt"),
    }
)


@transaction.atomic
def person_merge(*, placeholder: User, into: User, organisation: Organisation, by: User) -> User:
    """An imported placeholder turns out to be someone already here: everything that names the placeholder (an
    action's lead, its other leads) names that person instead, each change audited; the placeholder's membership
    ends. Core knows no other app, so the references are found through the model relations."""
    from django.utils import timezone

    from .audit import AuditEntry, audit_record_many

    _administrator_require(by=by, organisation=organisation)
    if placeholder.pk == into.pk:
        raise ValidationError({"into": "Choose someone other than the person being merged."})
    if not is_placeholder(placeholder) or placeholder.memberships.exclude(organisation=organisation).exists():
        raise ValidationError(
            f"{placeholder} has signed in or belongs to another organisation, so cannot be merged into someone else."
        )
    if not is_current_member(user=into, organisation_id=organisation.pk):
        raise ValidationError({"into": "Choose a current member of the organisation."})
    entries: list[AuditEntry] = []
    for relation in User._meta.related_objects:
        model = relation.related_model
        if (model._meta.app_label, model._meta.model_name) in MERGE_KEPT_RELATIONS:
            continue
        if relation.many_to_many:
            field = relation.field
            owners = list(model._default_manager.filter(**{field.name: placeholder}))
            for owner in owners:
                before = snapshot(owner)
                getattr(owner, field.name).remove(placeholder)
                getattr(owner, field.name).add(into)
                entries.append(
                    AuditEntry(AuditAction.UPDATE, owner, before, None, "Merged an imported person")
                )
        elif relation.one_to_many:
            field = relation.field
            rows = list(model._default_manager.filter(**{field.name: placeholder}))
            versioned = any(f.name == "version" for f in model._meta.concrete_fields)
            for row in rows:
                before = snapshot(row)
                changes = {field.name: into} | ({"version": models.F("version") + 1} if versioned else {})
                model._default_manager.filter(pk=row.pk).update(**changes)
                row.refresh_from_db()
                entries.append(AuditEntry(AuditAction.UPDATE, row, before, None, "Merged an imported person"))
    audit_record_many(by=by, organisation=organisation, entries=entries)
    now = timezone.now()
    for membership in Membership.objects.select_for_update().filter(user=placeholder, active=True):
        ended = {"active": False, "ended_at": now}
        note = f"Merged into {into}"
        record_change(membership, ended, by=by, organisation=organisation, note=note)
        membership_ended.send(sender=Membership, membership=membership, by=by)
    record_change(placeholder, {"is_active": False}, by=by, organisation=organisation, versioned=False)
    if not into.initials and placeholder.initials:
        record_change(
            into, {"initials": placeholder.initials}, by=by, organisation=organisation, versioned=False
        )
    return into


@transaction.atomic
def person_deactivate(
    *,
    membership: Membership,
    by: User,
    expected_version: int | str | None,
    successor: User | None = None,
) -> Membership:
    """A leaver: their open work (actions they lead, risks they own or handle, QI projects they lead: every kind in
    core.holdings) is handed on to `successor`, each change audited, so no cycle awaits them and no reminder goes to
    them; their membership ends (their name stays on everything they did), their invitations stop working, and
    with no other organisation left they can no longer sign in. One transaction: all of it, or nothing. The one
    place a membership ends."""
    from django.utils import timezone

    from .service_kit import locked_get, version_check

    organisation = membership.organisation
    _administrator_require(by=by, organisation=organisation)
    membership = locked_get(Membership, membership.pk)
    version_check(membership, expected_version)
    if not membership.active:
        raise ValidationError(f"{membership.user} has already left {organisation.name}.")
    if membership.user_id == by.pk:
        raise ValidationError("You cannot deactivate yourself: ask another administrator.")
    if (
        membership.role == Role.ADMINISTRATOR
        and not _administrators(organisation).exclude(pk=membership.pk).exists()
    ):
        raise ValidationError(LAST_ADMINISTRATOR.format(organisation=organisation.name))
    person = membership.user
    held = person_holdings(by=by, organisation=organisation, person=person)
    _hand_on(organisation=organisation, person=person, held=held, successor=successor, by=by)
    now = timezone.now()
    ended = {"active": False, "ended_at": now}
    record_change(membership, ended, by=by, organisation=organisation)
    membership_ended.send(sender=Membership, membership=membership, by=by)
    Invitation.objects.filter(
        organisation=organisation, person_id=membership.user_id, accepted_at=None, withdrawn_at=None
    ).update(withdrawn_at=now)
    person = User.objects.select_for_update().get(pk=membership.user_id)
    if person.is_active and not current_memberships(user=person).exists():
        record_change(person, {"is_active": False}, by=by, organisation=organisation, versioned=False)
    return membership


@transaction.atomic
def two_factor_required_set(*, organisation: Organisation, required: bool, by: User) -> Organisation:
    """Require (or stop requiring) a code from an authenticator app from everyone who signs in with a password."""
    from .permissions import Permission
    from .service_kit import permission_require

    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_ORGANISATION)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.two_factor_required != required:
        record_change(
            organisation, {"two_factor_required": required}, by=by, organisation=organisation, versioned=False
        )
    return organisation


# Single sign-on: the organisation's set-up, and a person arriving through it (ADR 0024) -------------------------

SIGN_ON_FIELDS = ("enabled", "issuer", "client_id", "allowed_domains", "new_person_role")


@transaction.atomic
def single_sign_on_set(
    *,
    organisation: Organisation,
    by: User,
    expected_version: int | str | None,
    enabled: bool,
    issuer: str,
    client_id: str,
    client_secret: str,
    allowed_domains: str,
    new_person_role: str,
):
    """Set up (or change) the organisation's OpenID Connect provider; a blank secret keeps the stored one."""
    from .crypto import seal
    from .models import SingleSignOn
    from .service_kit import version_bump, version_check

    _administrator_require(by=by, organisation=organisation)
    sign_on = SingleSignOn.objects.select_for_update().filter(organisation=organisation).first()
    before = snapshot(sign_on) if sign_on else None
    if sign_on is None:
        sign_on = SingleSignOn(organisation=organisation)
    else:
        version_check(sign_on, expected_version)
    sign_on.enabled = enabled
    sign_on.issuer = issuer.strip().rstrip("/")
    sign_on.client_id = client_id.strip()
    sign_on.allowed_domains = ", ".join(
        d.strip().lower().lstrip("@") for d in allowed_domains.split(",") if d.strip()
    )
    sign_on.new_person_role = new_person_role
    if client_secret:
        sign_on.client_secret_encrypted = seal(client_secret)
    errors: dict[str, Any] = {}
    if not sign_on.domains:
        errors["allowed_domains"] = "Enter at least one e-mail domain, such as northmoor.nhs.uk."
    if not sign_on.client_secret_encrypted:
        errors["client_secret"] = "Enter the client secret the identity provider gave you."  # noqa: S105
    if new_person_role == Role.ADMINISTRATOR:
        errors["new_person_role"] = "People arriving by single sign-on cannot start as administrators."
    try:
        sign_on.full_clean(exclude=["organisation", "client_secret_encrypted"])
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    if before is None:
        sign_on.save()
        audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=sign_on)
    else:
        version_bump(sign_on, [*SIGN_ON_FIELDS, "client_secret_encrypted"])
        audit_record(
            by=by,
            organisation=organisation,
            action=AuditAction.UPDATE,
            instance=sign_on,
            before=before,
            note="Client secret replaced" if client_secret else "",
        )
    return sign_on


@transaction.atomic
def person_sign_on_join(*, sign_on, email: str, first_name: str, last_name: str, person: User | None) -> User:
    """Someone the organisation's identity provider signed in: the person already linked, else the person with
    that e-mail address (one account across organisations), else a new person with the organisation's role for
    newcomers. A leaver's ended membership is not revived; an open invitation counts as used."""
    from django.utils import timezone

    organisation = sign_on.organisation
    if person is None:
        person = _email_owner(email)
    if person is None:
        person = User(
            username=_username_for(email),
            email=email.strip(),
            first_name=first_name[:150],
            last_name=last_name[:150],
            initials=initials_free(first_name=first_name, last_name=last_name, organisation=organisation),
        )
        person.set_unusable_password()
        person.full_clean(exclude=["password"])
        person.save()
        audit_record(
            by=person,
            organisation=organisation,
            action=AuditAction.CREATE,
            instance=person,
            note="Single sign-on",
        )
    if not memberships_ever(user=person, organisation=organisation).exists() and person.is_active:
        membership = Membership.objects.create(
            user=person, organisation=organisation, role=sign_on.new_person_role
        )
        audit_record(
            by=person,
            organisation=organisation,
            action=AuditAction.CREATE,
            instance=membership,
            note="Joined by single sign-on",
        )
    for invitation in Invitation.objects.select_for_update().filter(
        organisation=organisation, person=person, accepted_at=None, withdrawn_at=None
    ):
        if invitation.usable(timezone.now()):
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
            audit_record(by=person, organisation=organisation, action=AuditAction.UPDATE, instance=invitation)
    return person


@transaction.atomic
def two_factor_enable(*, device, code: str, by: User) -> None:
    """Confirm the person's authenticator app with a code it shows; from then on signing in asks for one."""
    from .second_factor import sign_in_change_audit

    device = type(device).objects.select_for_update().get(pk=device.pk, user=by)
    if not device.verify_token(code):
        raise ValidationError({"code": "That code is not right."})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    sign_in_change_audit(by, "Turned on two-factor sign-in")


TWO_FACTOR_RESET_SUBJECT = "Your two-factor sign-in to Wellled was reset"
TWO_FACTOR_RESET_BODY = """Dear {name},

{by} reset the two-factor sign-in of your Wellled account, for {organisation}. Your authenticator app and your
recovery codes no longer work for Wellled.

Next time you sign in with your password you can set up an authenticator app again (you will be asked to at once
if {organisation} requires it): {link}

If you did not ask for this, tell an administrator of {organisation} straight away.
"""


@transaction.atomic
def two_factor_reset(*, membership: Membership, by: User) -> int:
    """Someone has lost the phone with their authenticator app: remove it and their recovery codes, so they sign
    in with their password and set up a new one (at once, where the organisation requires it). Audited, and the
    person is told by e-mail (if they have an address), so a reset they did not ask for does not go unnoticed.
    Returns how many apps were removed."""
    from django.core.mail import send_mail
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .second_factor import recovery_codes_remove
    from .url_kit import site_url

    organisation = membership.organisation
    _administrator_require(by=by, organisation=organisation)
    person = membership.user
    _details_change_check(person=person, by=by)
    removed, _ = TOTPDevice.objects.filter(user=person).delete()
    codes = recovery_codes_remove(user=person)
    if not removed and not codes:
        return 0
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.UPDATE,
        instance=person,
        before=snapshot(person),
        note="Two-factor sign-in reset by an administrator",
    )
    if person.email:
        body = TWO_FACTOR_RESET_BODY.format(
            name=person.first_name or person,
            by=by.get_full_name() or by.username,
            organisation=organisation.name,
            link=site_url(reverse("account")),
        )
        address = person.email
        transaction.on_commit(lambda: send_mail(TWO_FACTOR_RESET_SUBJECT, body, None, [address]))
    return removed


# The delivery-status scale -------------------------------------------------------------------------------------

SCALE_EDITABLE = ("label", "meaning", "active")
SCALE_NONE_IN_USE = "Keep at least one status in use: progress updates need a status to choose."
SCALE_NO_DELIVERED = (
    "Keep at least one status that means delivered (such as G) in use: without one no action can be reported "
    "complete."
)


@transaction.atomic
def delivery_scale_update(
    *, organisation: Organisation, by: User, changes: Mapping[int, Mapping[str, Any]]
) -> list[DeliveryStatus]:
    """Change the wording of the organisation's delivery statuses and which are in use (an administrator's
    decision, audited status by status). Codes, colours and ranks stay: papers already issued print them."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_ORGANISATION)
    statuses = {s.pk: s for s in DeliveryStatus.objects.select_for_update().filter(organisation=organisation)}
    for pk, fields in changes.items():
        if pk not in statuses or set(fields) - set(SCALE_EDITABLE):
            raise ValueError(f"delivery_scale_update cannot change {sorted(fields)} of status {pk}.")
    changed = []
    for pk, fields in changes.items():
        status = statuses[pk]
        before = snapshot(status)
        for name, value in fields.items():
            setattr(status, name, value.strip() if isinstance(value, str) else value)
        if snapshot(status) == before:
            continue
        status.full_clean()
        status.save(update_fields=list(fields))
        audit_record(
            by=by, organisation=organisation, action=AuditAction.UPDATE, instance=status, before=before
        )
        changed.append(status)
    in_use = [s for s in statuses.values() if s.active]
    if not in_use:
        raise ValidationError(SCALE_NONE_IN_USE)
    if not any(s.is_complete for s in in_use):
        raise ValidationError(SCALE_NO_DELIVERED)
    return changed


@transaction.atomic
def portfolio_trust_add(
    *, oversight_body: Organisation, trust: Organisation, by: User | None, joined_on: datetime.date
) -> PortfolioEntry:
    """Put a trust in an oversight body's portfolio: from `joined_on` the body's people see it, read-only."""
    if by is not None:
        permission_require(
            user=by, organisation_id=oversight_body.pk, permission=Permission.MANAGE_ORGANISATION
        )
    if PortfolioEntry.objects.filter(
        oversight_body=oversight_body, trust=trust, left_on__isnull=True
    ).exists():
        raise ValidationError(
            {"trust": f"{trust.name} is already in the portfolio of {oversight_body.name}."}
        )
    entry = PortfolioEntry(oversight_body=oversight_body, trust=trust, joined_on=joined_on)
    record_create(instance=entry, by=by, organisation=oversight_body, permission=None)
    return entry


@transaction.atomic
def portfolio_trust_remove(
    *, entry: PortfolioEntry, by: User | None, left_on: datetime.date
) -> PortfolioEntry:
    """Take a trust out of a portfolio from `left_on`: the entry stays, as history, and the view it lent ends."""

    def still_in(row: PortfolioEntry, _: object) -> None:
        if row.left_on is not None:
            raise ValidationError({"left_on": f"{row.trust} already left this portfolio."})

    return fields_update(
        instance=entry,
        by=by,
        organisation=entry.oversight_body,
        permission=Permission.MANAGE_ORGANISATION if by is not None else None,
        expected_version=AS_IT_STANDS,
        allowed={"left_on"},
        changes={"left_on": left_on},
        check=still_in,
    )
