"""Accreditation schemes as loaded, and the audits of wards and teams against them."""

from __future__ import annotations

from django.db import models

from wellled.core import limits
from wellled.core.formatting import long_date
from wellled.core.limits import LimitedTextField
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.measures.models import Measure
from wellled.plans.models import Action

from .choices import AuditState, PanelDecision
from .scheme import Scheme, scheme_parse

# A scheme file of a few hundred standards is tens of kilobytes; a megabyte is certainly a mistake.
SCHEME_FILE_CHARS = 1_000_000


class AccreditationScheme(models.Model):
    """A versioned scheme file as loaded: shipped ones belong to no organisation, a trust's own to that trust."""

    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="accreditation_schemes"
    )
    source = LimitedTextField(
        max_length=SCHEME_FILE_CHARS,
        help_text="The scheme file as loaded; the audit's level is worked from it.",
    )
    source_checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=models.Q(organisation__isnull=True),
                name="accreditation_shipped_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "key", "version"], name="accreditation_trust_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def scheme(self) -> Scheme:
        """The scheme parsed from its stored file (cached on the instance)."""
        cached = getattr(self, "_parsed", None)
        if cached is None:
            cached = self._parsed = scheme_parse(self.source)
        return cached


class WardAudit(models.Model):
    """One audit of a ward or team against a scheme: the answers, evidence, auditor, the level it proposes
    (`level_code`, `level_name`) and the panel's decision, which gives the ward its level (`awarded_level_*`)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="ward_audits")
    unit = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="audits")
    scheme = models.ForeignKey(AccreditationScheme, on_delete=models.PROTECT, related_name="audits")
    audited_on = models.DateField()
    auditor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="ward_audits")
    state = models.CharField(max_length=12, choices=AuditState.choices, default=AuditState.DRAFT)
    answers = models.JSONField(default=dict, blank=True, help_text="Standard code → answer code.")
    evidence = models.JSONField(default=dict, blank=True, help_text="Standard code → what the auditor saw.")
    summary = LimitedTextField(blank=True, max_length=limits.WARD_VISIT_SUMMARY_CHARS)
    level_code = models.CharField(max_length=40, blank=True)
    level_name = models.CharField(max_length=80, blank=True)
    percent = models.FloatField(null=True, blank=True)
    renew_by = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=PanelDecision.choices, default=PanelDecision.PENDING)
    awarded_level_code = models.CharField(max_length=40, blank=True)
    awarded_level_name = models.CharField(max_length=80, blank=True)
    decision_reason = LimitedTextField(blank=True, max_length=limits.WARD_VISIT_SUMMARY_CHARS)
    decided_on = models.DateField(null=True, blank=True, help_text="The day the panel met.")
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="ward_audit_decisions"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-audited_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "unit", "-audited_on"])]

    def __str__(self) -> str:
        return f"Audit of {self.unit.name}, {long_date(self.audited_on)}"

    @property
    def is_completed(self) -> bool:
        return self.state == AuditState.COMPLETED

    @property
    def awaits_panel(self) -> bool:
        """Completed, and its proposed level not yet awarded or declined (pending or deferred)."""
        return self.is_completed and self.decision in (PanelDecision.PENDING, PanelDecision.DEFERRED)


class WardMeasure(models.Model):
    """The measure that carries a ward's audit scores over time, so they are charted with SPC like any other."""

    unit = models.OneToOneField(
        OrganisationUnit, on_delete=models.CASCADE, related_name="accreditation_measure"
    )
    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return str(self.measure)


class AuditFindingAction(models.Model):
    """A plan action raised from an audit's finding (a standard not fully met), so the ward's work on it is
    followed like any other action; one action per standard per audit."""

    audit = models.ForeignKey(WardAudit, on_delete=models.CASCADE, related_name="finding_actions")
    standard_code = models.CharField(max_length=40)
    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["audit", "standard_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "standard_code"], name="accreditation_one_action_a_finding"
            )
        ]

    def __str__(self) -> str:
        return f"Action {self.action.reference} from {self.audit}, standard {self.standard_code}"
