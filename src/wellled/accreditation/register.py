"""Wards and their accreditation assessments in and out of a workbook, through the register round-trip kit
(core.registers): one sheet of wards and teams, one of assessments (audits).

Wards are matched by Wellled's ward ID (W12; empty for a new ward): a row renames a ward, changes its kind, code
or directorate, or adds one, through `ward_create` and `ward_update`. Assessments are matched by their ID (A34;
empty for a new one, started through `ward_audit_start` with the importer as auditor); an existing assessment's
ward, scheme and date are fixed, its summary may change while it is being recorded, and its level, score and
renewal date are Wellled's own, written for information and never read back. Nothing is deleted.
"""

from __future__ import annotations

from typing import Any

from wellled.core import registers
from wellled.core.choices import UnitKind
from wellled.core.limits import limit_of
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.permissions import Permission
from wellled.core.registers import Column, Comparison, Context, Register, cell_text
from wellled.core.service_kit import AS_IT_STANDS, permission_require

from . import selectors, services
from .choices import AuditState
from .models import AccreditationScheme, WardAudit

KINDS = {"ward": UnitKind.WARD, "team": UnitKind.TEAM}


def _name(record: Any) -> str:
    if record is None:
        return ""
    if isinstance(record, User):
        return record.get_full_name() or record.username
    return str(record) if isinstance(record, AccreditationScheme) else record.name


class _Lookup:
    """The units, wards and schemes of the organisation by the names the workbook writes."""

    def __init__(self, context: Context):
        units = OrganisationUnit.objects.filter(organisation=context.organisation)
        self.parents = {u.name.lower(): u for u in units if u.kind not in KINDS.values()}
        self.wards = {
            u.name.lower(): u
            for u in selectors.wards_for_user(user=context.by, organisation=context.organisation)
        }
        self.schemes: dict[str, AccreditationScheme] = {}
        for scheme in selectors.schemes_available(user=context.by, organisation=context.organisation):
            self.schemes.setdefault(str(scheme).lower(), scheme)
            self.schemes.setdefault(scheme.key.lower(), scheme)

    @staticmethod
    def find(found: dict, value: Any, what: str) -> Any:
        text = cell_text(value)
        if not text:
            return None
        if text.lower() not in found:
            known = sorted({_name(r) for r in found.values()})
            listed = (
                ", ".join(known[:12]) + (" and others" if len(known) > 12 else "") if known else "none yet"
            )
            raise ValueError(f"“{text[:60]}” is not one of {what} ({listed})")
        return found[text.lower()]


def _lookup_reader(attribute: str, what: str, *, required: str = ""):
    def read(value: Any, context: Context) -> Any:
        found = _Lookup.find(getattr(context.lookups, attribute), value, what)
        if found is None and required:
            raise ValueError(required)
        return found

    return read


def _numbered(noun: str, sheet: str, columns: tuple[Column, ...], records, create, update) -> Register:
    """A register of this workbook: its references are Wellled's own (W12, A34), so a row without one adds a
    record and an unknown one is refused; its readers use the organisation's units, wards and schemes."""
    return Register(
        noun=noun,
        sheet=sheet,
        reference="reference",
        columns=columns,
        records=records,
        create=create,
        update=update,
        prepare=_Lookup,
        blank_reference=True,
        creates_references=False,
    )


def _wards(context: Context):
    return selectors.wards_for_user(user=context.by, organisation=context.organisation).select_related(
        "parent"
    )


def _ward_create(context: Context, values: dict[str, Any]) -> OrganisationUnit:
    fields = {k: v for k, v in values.items() if k != "reference" and v is not None}
    return services.ward_create(organisation=context.organisation, by=context.by, **fields)


def _ward_update(context: Context, ward: OrganisationUnit, changes: dict[str, Any], values: dict) -> None:
    services.ward_update(ward=ward, by=context.by, **changes)


WARDS: Register[OrganisationUnit] = _numbered(
    "ward",
    "Wards",
    (
        registers.id_column("W", "Ward ID", "Wellled ward ID", "ID"),
        Column(
            "name",
            "Ward or team",
            lambda u: u.name,
            read=registers.text_reader(limit_of(OrganisationUnit, "name"), required="the ward has no name"),
            aliases=("Ward", "Team", "Name", "Ward name"),
            required=True,
        ),
        Column(
            "kind",
            "Kind",
            lambda u: u.kind,
            read=registers.choice_reader(KINDS, blank=UnitKind.WARD),
            show=lambda kind: str(kind),
        ),
        Column(
            "code",
            "Code",
            lambda u: u.code,
            read=registers.text_reader(limit_of(OrganisationUnit, "code")),
            aliases=("Ward code", "ODS code", "Site code"),
        ),
        Column(
            "parent",
            "Directorate or service",
            lambda u: u.parent,
            read=_lookup_reader("parents", "the organisation's directorates, services or sites"),
            cell=_name,
            show=lambda unit: _name(unit) or registers.EMPTY_SHOWN,
            aliases=("Directorate", "Division", "Care group", "Service"),
        ),
    ),
    _wards,
    _ward_create,
    _ward_update,
)


def _audits(context: Context):
    return selectors.audits_for_user(user=context.by, organisation=context.organisation).order_by(
        "unit__name", "audited_on", "pk"
    )


def _audit_create(context: Context, values: dict[str, Any]) -> WardAudit:
    audit = services.ward_audit_start(
        organisation=context.organisation,
        unit=values["unit"],
        scheme=values["scheme"],
        audited_on=values["audited_on"],
        by=context.by,
    )
    if values.get("summary"):
        services.ward_audit_answers_record(
            audit=audit,
            by=context.by,
            expected_version=audit.version,
            answers={},
            evidence={},
            summary=values["summary"],
        )
    return audit


def _audit_update(context: Context, audit: WardAudit, changes: dict[str, Any], values: dict) -> None:
    services.ward_audit_answers_record(
        audit=audit,
        by=context.by,
        expected_version=AS_IT_STANDS,  # type: ignore[arg-type]
        answers=audit.answers,
        evidence=audit.evidence,
        summary=changes["summary"],
    )


def _state(state: str) -> str:
    return AuditState(state).label if state in AuditState.values else state


ASSESSMENTS: Register[WardAudit] = _numbered(
    "assessment",
    "Assessments",
    (
        registers.id_column("A", "Assessment ID", "Audit ID", "ID"),
        Column(
            "unit",
            "Ward or team",
            lambda a: a.unit,
            read=_lookup_reader(
                "wards", "the organisation's wards and teams", required="give the ward or team"
            ),
            cell=_name,
            show=_name,
            aliases=("Ward", "Team"),
            required=True,
            fixed=True,
        ),
        Column(
            "scheme",
            "Scheme",
            lambda a: a.scheme,
            read=_lookup_reader("schemes", "the schemes available", required="give the scheme"),
            cell=_name,
            show=_name,
            aliases=("Accreditation scheme",),
            required=True,
            fixed=True,
        ),
        Column(
            "audited_on",
            "Audited on",
            lambda a: a.audited_on,
            read=registers.date_reader(required=True),
            aliases=("Date", "Audit date", "Visited on"),
            required=True,
            fixed=True,
        ),
        Column("auditor", "Auditor", lambda a: _name(a.auditor), read_only=True),
        Column("state", "State", lambda a: _state(a.state), read_only=True),
        Column("level", "Level reached", lambda a: a.level_name, read_only=True),
        Column(
            "percent",
            "Score (%)",
            lambda a: round(a.percent, 1) if a.percent is not None else None,
            read_only=True,
        ),
        Column("renew_by", "Renew by", lambda a: a.renew_by, read_only=True),
        Column(
            "summary",
            "Summary",
            lambda a: cell_text(a.summary),
            read=registers.text_reader(limit_of(WardAudit, "summary")),
        ),
    ),
    _audits,
    _audit_create,
    _audit_update,
)


def wards_export(*, user: User, organisation: Organisation) -> bytes:
    """The wards and teams and their assessments as one workbook, a sheet each, in the layout the import reads."""
    context = Context(organisation=organisation, by=user)
    return registers.registers_workbook([(WARDS, _wards(context)), (ASSESSMENTS, _audits(context))])


def wards_import(*, organisation: Organisation, by: User, file: Any, dry_run: bool) -> list[Comparison]:
    """Compare the workbook's sheet of wards (and of assessments, if it has one) with the organisation's; unless it
    is a dry run or anything is wrong, write every change in one transaction."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_ACCREDITATION)
    context = Context(organisation=organisation, by=by)
    return registers.registers_import([WARDS, ASSESSMENTS], file, context, dry_run=dry_run)


__all__ = ["ASSESSMENTS", "WARDS", "wards_export", "wards_import"]
