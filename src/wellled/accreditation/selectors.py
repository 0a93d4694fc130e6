"""Reads for ward accreditation, each limited to the person's organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from wellled.core.access import is_current_member
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.selectors import get_or_404, scoped

from .choices import AUDITABLE_KINDS, PANEL_FINAL, AuditState
from .models import AccreditationScheme, AuditFindingAction, WardAudit, WardMeasure
from .scheme import AuditResult, Standard, audit_score, findings_of


@dataclass(frozen=True)
class WardRow:
    """A ward or team on the accreditation overview: its latest completed audit and when it is due again."""

    unit: OrganisationUnit
    latest: WardAudit | None
    previous: WardAudit | None
    draft: WardAudit | None
    overdue: bool
    held: WardAudit | None = None

    @property
    def level_name(self) -> str:
        """The level the ward holds: the one the panel last awarded (or its decline), not an audit's proposal."""
        if self.held is not None:
            return self.held.awarded_level_name
        return "Awaiting the panel" if self.latest else "Not yet audited"

    @property
    def level_code(self) -> str:
        return self.held.awarded_level_code if self.held else ""

    @property
    def movement(self) -> str:
        """'up', 'down', 'same' or '' against the audit before, by score."""
        if (
            not self.latest
            or not self.previous
            or self.latest.percent is None
            or self.previous.percent is None
        ):
            return ""
        if self.latest.percent > self.previous.percent:
            return "up"
        return "down" if self.latest.percent < self.previous.percent else "same"


@dataclass(frozen=True)
class AuditView:
    """An audit with its scheme and the working of its result (recomputed from the stored answers), its findings
    (standards not fully met, with their answers) and the ward actions raised from them."""

    audit: WardAudit
    result: AuditResult
    findings: tuple[tuple[Standard, str], ...] = ()
    actions: tuple[AuditFindingAction, ...] = ()


def wards_for_user(*, user: User, organisation: Organisation) -> QuerySet[OrganisationUnit]:
    """The organisation's wards and teams."""
    units = OrganisationUnit.objects.filter(kind__in=AUDITABLE_KINDS)
    return scoped(units, user=user, organisation=organisation).order_by("name")


def ward_get(*, user: User, organisation: Organisation, pk) -> OrganisationUnit:
    return get_or_404(wards_for_user(user=user, organisation=organisation), pk=pk)


def schemes_available(*, user: User, organisation: Organisation) -> QuerySet[AccreditationScheme]:
    """Shipped schemes and the organisation's own (only for a member of it)."""
    if not is_current_member(user=user, organisation_id=organisation.pk):
        return AccreditationScheme.objects.none()
    return AccreditationScheme.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


def audits_for_user(*, user: User, organisation: Organisation) -> QuerySet[WardAudit]:
    audits = WardAudit.objects.select_related("unit", "scheme", "auditor")
    return scoped(audits, user=user, organisation=organisation)


def audit_get(*, user: User, organisation: Organisation, pk) -> AuditView:
    audit = get_or_404(audits_for_user(user=user, organisation=organisation), pk=pk)
    scheme = audit.scheme.scheme
    actions = AuditFindingAction.objects.filter(audit=audit).select_related("action")
    return AuditView(
        audit=audit,
        result=audit_score(scheme, audit.answers),
        findings=tuple(findings_of(scheme, audit.answers)),
        actions=tuple(actions),
    )


def ward_overview(*, user: User, organisation: Organisation, today: datetime.date) -> list[WardRow]:
    """Every ward and team with its latest and previous completed audits, in two queries whatever the count."""
    units = list(wards_for_user(user=user, organisation=organisation))
    by_unit: dict[int, list[WardAudit]] = {unit.pk: [] for unit in units}
    drafts: dict[int, WardAudit] = {}
    for audit in audits_for_user(user=user, organisation=organisation).order_by(
        "unit_id", "-audited_on", "-pk"
    ):
        if audit.state == AuditState.COMPLETED:
            by_unit.setdefault(audit.unit_id, []).append(audit)
        else:
            drafts.setdefault(audit.unit_id, audit)
    rows = []
    for unit in units:
        done = by_unit.get(unit.pk, [])
        latest = done[0] if done else None
        rows.append(
            WardRow(
                unit=unit,
                latest=latest,
                previous=done[1] if len(done) > 1 else None,
                draft=drafts.get(unit.pk),
                overdue=latest is None or (latest.renew_by is not None and latest.renew_by < today),
                held=next((audit for audit in done if audit.decision in PANEL_FINAL), None),
            )
        )
    return rows


def audits_awaiting_panel(*, user: User, organisation: Organisation) -> list[WardAudit]:
    """Completed audits whose proposed level the panel has yet to award or decline, oldest first (its agenda)."""
    audits = audits_for_user(user=user, organisation=organisation).filter(state=AuditState.COMPLETED)
    return list(audits.exclude(decision__in=PANEL_FINAL).order_by("audited_on", "pk"))


def ward_audits(*, user: User, organisation: Organisation, unit: OrganisationUnit) -> list[WardAudit]:
    """A ward's audits, newest first."""
    return list(audits_for_user(user=user, organisation=organisation).filter(unit=unit))


def ward_measure_id(*, unit: OrganisationUnit) -> int | None:
    """The measure charting this (already scoped) ward's audit scores, if it has completed an audit."""
    return WardMeasure.objects.filter(unit=unit).values_list("measure_id", flat=True).first()
