"""Writes for organisations, structure, memberships and the delivery-status scale, each audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from .audit import audit_record, snapshot
from .choices import AuditAction, OrganisationKind, Role
from .models import DeliveryStatus, Membership, Organisation, OrganisationUnit, User
from .permissions import Permission
from .service_kit import permission_require


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
    organisation.full_clean()
    organisation.save()
    audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=organisation)
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
    unit.full_clean()
    unit.save()
    audit_record(by=by, organisation=organisation, action=AuditAction.CREATE, instance=unit)
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
    elif membership.role != role:
        before = snapshot(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(
            by=by, organisation=organisation, action=AuditAction.UPDATE, instance=membership, before=before
        )
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
    template.save()
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        instance=template,
        before=before,
        after=_word_template_state(template),
    )
    return template


@transaction.atomic
def word_template_remove(*, organisation: Organisation, by: User) -> bool:
    """Go back to Wellled's own styles for the board paper in Word; False if there was no template."""
    from .models import WordTemplate

    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_PLANS)
    template = WordTemplate.objects.select_for_update().filter(organisation=organisation).first()
    if template is None:
        return False
    audit_record(
        by=by,
        organisation=organisation,
        action=AuditAction.DELETE,
        instance=template,
        before=_word_template_state(template),
    )
    template.delete()
    return True
