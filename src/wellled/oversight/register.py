"""Exit criteria and their evidence in and out of a workbook, through the register round-trip kit (core.registers):
for an oversight body's people, one sheet of the exit criteria agreed with the trusts of its portfolio, one of the
records offered as evidence for them.

Criteria are matched by Wellled's criterion ID (E12; empty for a new one): a row rewords or re-dates a criterion,
changes its reference, or adds one for a trust of the portfolio, through `exit_criterion_create` and
`exit_criterion_update`; its trust is fixed, and the latest judgement is written for information, never read back
(judgements are recorded on the criterion's page, with their reasons). Evidence is matched by its ID (V34; empty
for new evidence): a row without an ID offers one of the trust's records (an action, a measure, an assessment or an
issued paper, named as Wellled names it) as evidence for a criterion ("ZNT01 EC3": the trust's ODS code and the
criterion's reference), through `exit_criterion_evidence_add`; existing evidence is fixed. Nothing is deleted: a
criterion or evidence missing from the workbook is left as it is (evidence is taken off on the criterion's page).
"""

from __future__ import annotations

from typing import Any

from wellled.core import registers
from wellled.core.limits import limit_of
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.registers import Column, Comparison, Context, Register, cell_text
from wellled.core.service_kit import AS_IT_STANDS, permission_require

from . import selectors, services
from .choices import EvidenceKind
from .models import ExitCriterion, ExitCriterionEvidence

AS_IS: Any = AS_IT_STANDS  # the row was compared with the criterion as it stands (fields_update takes it)
KINDS = {
    **{str(label).lower(): value for value, label in EvidenceKind.choices},
    **{value: value for value in EvidenceKind.values},
    "paper": EvidenceKind.PAPER,
}


def _criterion_key(criterion: ExitCriterion) -> str:
    """How the evidence sheet names a criterion: its trust's ODS code and its reference ('ZNT01 EC3')."""
    return f"{criterion.trust.ods_code} {criterion.reference}"


class _Portfolio:
    """The body's trusts and their exit criteria by the names the workbook uses, and each trust's records that may
    be offered as evidence (looked up only for the trusts a new row names)."""

    def __init__(self, context: Context):
        self.context = context
        self.trusts: dict[str, Organisation] = {}
        for trust in selectors.overseen_trusts(user=context.by, organisation=context.organisation):
            self.trusts.setdefault(trust.ods_code.lower(), trust)
            self.trusts.setdefault(trust.name.lower(), trust)
        self.criteria = {_criterion_key(c).lower(): c for c in _criteria(context)}
        self._choices: dict[int, dict[tuple[str, str], list[int]]] = {}

    def records(self, trust: Organisation, kind: str, label: str) -> list[int]:
        """The ids of the trust's records of that kind called `label` (any case) that the person may see."""
        if trust.pk not in self._choices:
            found: dict[tuple[str, str], list[int]] = {}
            for choice in selectors.evidence_choices(user=self.context.by, trust=trust):
                found.setdefault((choice.kind, choice.label.lower()), []).append(choice.object_id)
            self._choices[trust.pk] = found
        return self._choices[trust.pk].get((kind, label.lower()), [])


def _find(found: dict[str, Any], value: Any, what: str, required: str) -> Any:
    text = cell_text(value)
    if not text:
        raise ValueError(required)
    if text.lower() not in found:
        raise ValueError(f"“{text[:60]}” is not one of {what}")
    return found[text.lower()]


def _trust(value: Any, context: Context) -> Organisation:
    return _find(context.lookups.trusts, value, "the trusts of your portfolio", "give the trust's ODS code")


def _criterion(value: Any, context: Context) -> ExitCriterion:
    what = "your exit criteria (a trust's ODS code and the criterion's reference, as ZNT01 EC3)"
    return _find(context.lookups.criteria, value, what, "give the criterion, as ZNT01 EC3")


def _fixed(key: str, header: str, value: Any, read: Any, aliases: tuple[str, ...], **shown: Any) -> Column:
    """A column given when the record is added and never changed by an import (a different cell is a problem)."""
    return Column(key, header, value, read=read, aliases=aliases, required=True, fixed=True, **shown)


def _ods(trust: Organisation) -> str:
    return trust.ods_code


def _kind_label(kind: str) -> str:
    return str(EvidenceKind(kind).label)


_record_name = registers.text_reader(limit_of(ExitCriterionEvidence, "label"), required="name the record")


def _criteria(context: Context):
    return selectors.body_criteria(user=context.by, organisation=context.organisation).order_by(
        "trust__name", "order", "reference", "pk"
    )


def _latest(criterion: ExitCriterion) -> Any:
    """The criterion's latest judgement, or None (judgements are ordered newest first)."""
    return criterion.judgements.first()


def _criterion_create(context: Context, values: dict[str, Any]) -> ExitCriterion:
    fields = {k: v for k, v in values.items() if k in ("reference", "title", "description", "agreed_on")}
    return services.exit_criterion_create(
        oversight_body=context.organisation, trust=values["trust"], by=context.by, **fields
    )


def _criterion_update(
    context: Context, criterion: ExitCriterion, changes: dict[str, Any], values: dict
) -> None:
    services.exit_criterion_update(criterion=criterion, by=context.by, expected_version=AS_IS, **changes)


CRITERIA: Register[ExitCriterion] = Register(
    noun="exit criterion",
    sheet="Exit criteria",
    reference="id",
    columns=(
        # Its own key: "reference" is the criterion's reference (EC3), a field of its own.
        Column("id", "Criterion ID", lambda c: f"E{c.pk}", aliases=("Wellled criterion ID", "ID")),
        _fixed(
            "trust", "Trust", lambda c: c.trust, _trust, ("ODS code", "Trust ODS code"), cell=_ods, show=str
        ),
        Column(
            "reference",
            "Reference",
            lambda c: c.reference,
            read=registers.text_reader(limit_of(ExitCriterion, "reference"), required="give the reference"),
            aliases=("Ref",),
            required=True,
        ),
        Column(
            "title",
            "Criterion",
            lambda c: c.title,
            read=registers.text_reader(
                limit_of(ExitCriterion, "title"), required="the criterion has no title"
            ),
            aliases=("Title", "Exit criterion"),
            required=True,
        ),
        Column(
            "description",
            "What it asks",
            lambda c: c.description,
            read=registers.text_reader(limit_of(ExitCriterion, "description")),
            aliases=("Description",),
        ),
        Column(
            "agreed_on",
            "Agreed on",
            lambda c: c.agreed_on,
            read=registers.date_reader(required=True),
            aliases=("Agreed", "Date agreed"),
            required=True,
        ),
        Column(
            "judgement",
            "Latest judgement",
            lambda c: _latest(c).get_judgement_display() if _latest(c) else "Not judged yet",
            read_only=True,
        ),
        Column(
            "judged_on", "Judged on", lambda c: _latest(c).judged_on if _latest(c) else None, read_only=True
        ),
    ),
    records=_criteria,
    create=_criterion_create,
    update=_criterion_update,
    prepare=_Portfolio,
    **registers.NUMBERED,
)


def _evidence(context: Context):
    return (
        ExitCriterionEvidence.objects.filter(criterion__in=_criteria(context))
        .select_related("criterion", "criterion__trust", "added_by")
        .order_by("criterion__trust__name", "criterion__order", "criterion__reference", "kind", "label", "pk")
    )


def _evidence_check(values: dict[str, Any], context: Context) -> list[tuple[str, str]]:
    """The record a new row names must be one of the criterion's trust's that the person may see, and only one."""
    criterion, kind, label = values.get("criterion"), values.get("kind"), values.get("label") or ""
    if criterion is None or kind is None or values.get("reference"):
        return []
    found = context.lookups.records(criterion.trust, kind, label)
    if not found:
        return [
            (
                "label",
                f"{criterion.trust.name} has no {EvidenceKind(kind).label.lower()} called “{label[:60]}”",
            )
        ]
    if len(found) > 1:
        return [
            (
                "label",
                f"{len(found)} of {criterion.trust.name}'s records are called “{label[:60]}”: add it on "
                "the criterion's page instead",
            )
        ]
    return []


def _evidence_add(context: Context, values: dict[str, Any]) -> ExitCriterionEvidence:
    criterion, kind = values["criterion"], values["kind"]
    (object_id,) = context.lookups.records(criterion.trust, kind, values["label"])
    return services.exit_criterion_evidence_add(
        criterion=criterion, by=context.by, kind=kind, object_id=object_id
    )


EVIDENCE: Register[ExitCriterionEvidence] = Register(
    noun="piece of evidence",
    sheet="Evidence",
    reference="reference",
    columns=(
        registers.id_column("V", "Evidence ID", "ID"),
        _fixed(
            "criterion",
            "For criterion",
            lambda e: e.criterion,
            _criterion,
            ("Criterion", "Exit criterion"),
            cell=_criterion_key,
            show=_criterion_key,
        ),
        _fixed(
            "kind",
            "Kind of record",
            lambda e: e.kind,
            registers.choice_reader(KINDS),
            ("Kind", "Type"),
            cell=_kind_label,
            show=_kind_label,
        ),
        _fixed("label", "Record", lambda e: e.label, _record_name, ("Evidence", "Record name")),
        Column(
            "added_by",
            "Added by",
            lambda e: e.added_by.get_full_name() or e.added_by.username,
            read_only=True,
        ),
        Column("added_on", "Added on", lambda e: e.added_at.date(), read_only=True),
    ),
    records=_evidence,
    create=_evidence_add,
    update=lambda context, evidence, changes, values: None,  # every column is fixed or Wellled's own
    prepare=_Portfolio,
    check=_evidence_check,
    **registers.NUMBERED,
)


def criteria_export(*, user: User, organisation: Organisation) -> bytes:
    """The body's exit criteria and their evidence as one workbook, a sheet each, in the layout the import reads."""
    context = Context(organisation=organisation, by=user)
    return registers.registers_workbook([(CRITERIA, _criteria(context)), (EVIDENCE, _evidence(context))])


def criteria_import(*, organisation: Organisation, by: User, file: Any, dry_run: bool) -> list[Comparison]:
    """Compare the workbook's sheet of exit criteria (and of evidence, if it has one) with the body's; unless it is
    a dry run or anything is wrong, write every change in one transaction."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_OVERSIGHT)
    context = Context(organisation=organisation, by=by)
    return registers.registers_import([CRITERIA, EVIDENCE], file, context, dry_run=dry_run)


__all__ = ["CRITERIA", "EVIDENCE", "criteria_export", "criteria_import"]
