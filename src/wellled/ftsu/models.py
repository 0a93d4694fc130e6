"""Freedom to Speak Up cases: the guardian's log, confidential by design (issue 23, ADR 0054).

Identifying text is held only sealed (the `*_sealed` columns, see sealing.py); the plain columns are the coarse
categories the return counts. An anonymous case holds no identity; an erased case keeps only its categories."""

from __future__ import annotations

from django.db import models

from wellled.core import limits
from wellled.core.formatting import day_text
from wellled.core.limits import LimitedTextField
from wellled.core.models import AppendOnly, Organisation, User

from .choices import Consent, ContactKind, Detriment, Feedback, Openness, Route, WorkerGroup
from .periods import Quarter, quarter_of


class Case(models.Model):
    """One concern raised with the guardian."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=20)
    received_on = models.DateField()
    route = models.CharField(max_length=12, choices=Route.choices)
    openness = models.CharField(max_length=12, choices=Openness.choices)
    worker_group = models.CharField(max_length=20, choices=WorkerGroup.choices, default=WorkerGroup.NOT_KNOWN)
    area = models.CharField("site or directorate", max_length=100, blank=True)
    elements = models.JSONField(default=list, blank=True)
    detriment = models.CharField(max_length=10, choices=Detriment.choices, default=Detriment.NOT_KNOWN)
    identity_sealed = models.TextField(blank=True)  # name and contact details; empty for an anonymous case
    characteristics_sealed = models.TextField(blank=True)
    concern_sealed = models.TextField(blank=True)
    consent = models.CharField(max_length=10, choices=Consent.choices, default=Consent.NONE)
    consent_to_sealed = models.TextField(blank=True)
    consent_on = models.DateField(null=True, blank=True)
    outcome_sealed = models.TextField(blank=True)
    learning_sealed = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    feedback = models.CharField(max_length=12, choices=Feedback.choices, blank=True)
    feedback_comment_sealed = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The anonymous route's case key, kept only as a keyed hash (sealing.key_digest).
    key_digest = models.CharField(max_length=64, blank=True, db_index=True)
    erased_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="ftsu_case_reference_unique")
        ]

    def __str__(self) -> str:
        # What the audit log names: the reference only, never content.
        return f"Speak-up case {self.reference}"

    @property
    def quarter(self) -> Quarter:
        return quarter_of(self.received_on)

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Contact(models.Model):
    """A dated entry in a case's journal: a meeting, a call, a note, or a message on the anonymous route."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField()
    kind = models.CharField(max_length=12, choices=ContactKind.choices)
    note_sealed = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"Journal entry on {self.case}"


class CaseAction(models.Model):
    """Something done about a concern, and who did it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    taken_on = models.DateField()
    description_sealed = models.TextField()
    taken_by_sealed = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "pk"]

    def __str__(self) -> str:
        return f"Action on {self.case}"


class CaseReading(AppendOnly, models.Model):
    """Someone opened a case: every view is kept, so the guardian sees who has read each case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="readings")
    reader = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-read_at", "-pk"]

    def __str__(self) -> str:
        return f"Reading of {self.case}"


class ConfidentialityBreak(AppendOnly, models.Model):
    """Confidentiality broken on a case (an immediate risk of harm): who, when, why and who was told, sealed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="breaks")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason_sealed = models.TextField()
    told_sealed = models.TextField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Confidentiality broken on {self.case}"


class RouteUse(models.Model):
    """One use of the anonymous route from an address (kept as a keyed hash), for its rate limit; pruned."""

    address_digest = models.CharField(max_length=64)
    kind = models.CharField(max_length=10)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Use of the anonymous route ({self.kind})"


class GuardianReport(models.Model):
    """What the guardian writes for one board report: the period it covers, themes, learning and actions in words
    meant for the board (never case text), the guardian's resourcing, the leads and the FTSU plan it tracks."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    period_from = models.DateField("period from")
    period_to = models.DateField("period to")
    themes = LimitedTextField(max_length=limits.SPEAK_UP_BOARD_TEXT_CHARS, blank=True)
    learning = LimitedTextField(max_length=limits.SPEAK_UP_BOARD_TEXT_CHARS, blank=True)
    actions = LimitedTextField(max_length=limits.SPEAK_UP_BOARD_TEXT_CHARS, blank=True)
    guardian_hours = models.DecimalField(
        "guardian hours a week", max_digits=5, decimal_places=1, null=True, blank=True
    )
    guardian_wte = models.DecimalField(
        "guardian whole-time equivalent", max_digits=4, decimal_places=2, null=True, blank=True
    )
    champions = models.PositiveIntegerField("champions", null=True, blank=True)
    executive_lead = models.CharField("executive lead", max_length=200, blank=True)
    non_executive_lead = models.CharField("non-executive lead", max_length=200, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="FTSU plan",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-period_to", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period_from", "period_to"], name="ftsu_guardianreport_period_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Guardian's report {day_text(self.period_from)} to {day_text(self.period_to)}"


class NationalFigures(models.Model):
    """One financial year's national speak-up figures, loaded from a data file, for the board report's comparison."""

    year = models.CharField("financial year", max_length=7, unique=True)  # "2024/25"
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=300)
    illustrative = models.BooleanField(default=True)
    figures = models.JSONField(default=list)  # [{"code", "label", "value", "unit"}]
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = "national figures"

    def __str__(self) -> str:
        return f"National speak-up figures {self.year}"
