"""Risk registers: risks with their 5 x 5 scores and scoring history, controls and assurances, dated reviews,
escalations to the corporate register, appetite by category, and the BAF's strategic objectives."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wellled.core import limits
from wellled.core.fields import optional_link, person_who
from wellled.core.formatting import iso_day
from wellled.core.limits import LimitedTextField
from wellled.core.models import AppendOnly, Organisation, OrganisationUnit, User
from wellled.measures.models import Measure
from wellled.plans.models import Action, Finding

from .appetite import ASSURANCE_STALE_DAYS
from .choices import (
    REVIEW_FREQUENCIES,
    Appetite,
    AssuranceLevel,
    AssuranceLine,
    AssuranceOutcome,
    ConsequenceDomain,
    ControlEffectiveness,
    EscalationDirection,
    GapKind,
    RiskStatus,
    ScoreKind,
)
from .convention import convention

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class RiskPolicy(models.Model):
    """An organisation's own risk rules: the score at which a risk goes to the corporate register."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="risk_policy")
    escalation_threshold = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    assurance_stale_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3660)],
        help_text=f"An assurance older than this many days is stale; empty: {ASSURANCE_STALE_DAYS}.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "risk policies"

    def __str__(self) -> str:
        return f"Risk policy of {self.organisation}"

    def clean(self) -> None:
        if self.escalation_threshold not in convention().possible_scores:
            raise ValidationError({"escalation_threshold": "Choose a score the 5 x 5 matrix can give."})


def assurance_stale_days(organisation: Organisation) -> int:
    """The age in days after which an assurance is stale: the organisation's own, else ASSURANCE_STALE_DAYS."""
    days = RiskPolicy.objects.filter(organisation=organisation).values_list("assurance_stale_days", flat=True)
    return days.first() or ASSURANCE_STALE_DAYS


class RiskCategory(models.Model):
    """A category of risk (patient safety, finance, workforce...) with the board's appetite for it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="risk_categories")
    name = models.CharField(max_length=100)
    appetite = models.CharField(max_length=10, choices=Appetite.choices, default=Appetite.CAUTIOUS)
    tolerance = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text="The highest current score the board accepts in this category.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "risk categories"
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="risks_category_unique")]

    def __str__(self) -> str:
        return self.name


class StrategicObjective(models.Model):
    """One of the board's strategic objectives; the BAF groups principal risks under them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="strategic_objectives"
    )
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    # The board's appetite for risk to this objective (GGI risk appetite matrix); empty: each risk's category's.
    appetite = models.CharField(max_length=10, choices=Appetite.choices, blank=True)
    tolerance = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text="The highest current score the board accepts for risks to this objective.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="risks_objective_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def clean(self) -> None:
        if bool(self.appetite) != (self.tolerance is not None):
            raise ValidationError(
                {
                    "tolerance": "Give the objective both an appetite and a tolerance, or neither (then each "
                    "risk's category's apply)."
                }
            )
        if self.tolerance is not None and self.tolerance not in convention().possible_scores:
            raise ValidationError({"tolerance": "Choose a score the 5 x 5 matrix can give."})


class Risk(models.Model):
    """A risk on the register of an organisation (and of a directorate or service), with its three scores."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="risks")
    unit = optional_link(
        OrganisationUnit,
        related_name="risks",
        help_text="The directorate or service whose register holds it; empty for the corporate register only.",
    )
    reference = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    cause = LimitedTextField(max_length=limits.RISK_DESCRIPTION_CHARS, blank=True, help_text="Because of…")
    event = LimitedTextField(
        max_length=limits.RISK_DESCRIPTION_CHARS, blank=True, help_text="There is a risk that…"
    )
    effect = LimitedTextField(
        max_length=limits.RISK_DESCRIPTION_CHARS, blank=True, help_text="Which would lead to…"
    )
    category = optional_link(RiskCategory, related_name="risks")
    owner = optional_link(User, related_name="owned_risks")
    handler = optional_link(
        User,
        related_name="handled_risks",
        help_text="The person who manages the risk day to day for its owner.",
    )
    opened_on = models.DateField("date opened")
    inherent_likelihood = models.PositiveSmallIntegerField(validators=SCALE)
    inherent_consequence = models.PositiveSmallIntegerField(validators=SCALE)
    current_likelihood = models.PositiveSmallIntegerField(validators=SCALE)
    current_consequence = models.PositiveSmallIntegerField(validators=SCALE)
    target_likelihood = models.PositiveSmallIntegerField(validators=SCALE)
    target_consequence = models.PositiveSmallIntegerField(validators=SCALE)
    target_on = models.DateField(
        "target date", null=True, blank=True, help_text="When the target score should be reached."
    )
    consequence_domain = models.CharField(max_length=12, choices=ConsequenceDomain.choices, blank=True)
    # Kept beside its parts so the register can filter and sort by it (set by the services, never typed).
    current_score = models.PositiveSmallIntegerField(editable=False, default=1)
    gaps_in_control = LimitedTextField(max_length=limits.RISK_DESCRIPTION_CHARS, blank=True)
    gaps_in_assurance = LimitedTextField(max_length=limits.RISK_DESCRIPTION_CHARS, blank=True)
    review_frequency_days = models.PositiveSmallIntegerField(choices=REVIEW_FREQUENCIES, default=0)
    next_review_on = models.DateField("next review date")
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    status_reason = LimitedTextField(
        max_length=limits.RISK_STATUS_REASON_CHARS, blank=True, help_text="Why it is tolerated or closed."
    )
    escalated = models.BooleanField(default=False, help_text="On the corporate risk register.")
    # The board assurance framework: a principal risk is the same record, marked and placed under an objective.
    principal = models.BooleanField("principal risk on the BAF", default=False)
    objective = optional_link(StrategicObjective, related_name="risks")
    lead_committee = models.CharField(max_length=120, blank=True)
    # The committee that leads on it (issue 22, ADR 0062), by label: committees sits above risks. The text above is
    # what was typed before committees existed; `wellled committees link-risks` turns it into this link.
    committee = optional_link(
        "committees.Committee",  # type: ignore[arg-type]
        related_name="risks",
        verbose_name="lead committee",
        help_text="The board committee that seeks assurance on this risk.",
    )
    lead_executive = optional_link(User, related_name="+")
    assurance_rating = models.CharField(max_length=12, choices=AssuranceLevel.choices, blank=True)
    assurance_rating_reason = LimitedTextField(
        max_length=limits.RISK_STATUS_REASON_CHARS,
        blank=True,
        help_text="Why the rating differs from the one the weakest current assurance suggests.",
    )
    # An operational risk feeds the principal risk it sits beneath, so the BAF links to the local registers.
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="beneath",
        verbose_name="principal risk it feeds",
    )
    actions = models.ManyToManyField(
        Action, blank=True, related_name="risks", help_text="Actions that mitigate it."
    )
    measures = models.ManyToManyField(
        Measure, blank=True, related_name="risks", help_text="Key risk indicators."
    )
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="risks", help_text="Findings it arises from."
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="risks_risk_unique_reference"),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "current_score"]),
            models.Index(fields=["organisation", "next_review_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title[:80]}"

    def clean(self) -> None:
        errors = {}
        if self.unit is not None and self.unit.organisation_id != self.organisation_id:
            errors["unit"] = "The directorate or service must belong to the same organisation."
        if self.category is not None and self.category.organisation_id != self.organisation_id:
            errors["category"] = "The category must belong to the same organisation."
        if self.objective is not None and self.objective.organisation_id != self.organisation_id:
            errors["objective"] = "The strategic objective must belong to the same organisation."
        if self.status != RiskStatus.OPEN and not self.status_reason.strip():
            errors["status_reason"] = f"Say why the risk is {self.get_status_display().lower()}."
        if self.parent is not None and (
            self.parent.organisation_id != self.organisation_id
            or not self.parent.principal
            or self.parent.pk == self.pk
        ):
            errors["parent"] = "Choose one of this organisation's principal risks (not the risk itself)."
        if self.principal and not self.objective_id:
            errors["objective"] = "A principal risk needs the strategic objective it threatens."
        if errors:
            raise ValidationError(errors)

    # Scores, read through the convention ------------------------------------------------------------------

    def scores(self, kind: str) -> tuple[int, int]:
        return getattr(self, f"{kind}_likelihood"), getattr(self, f"{kind}_consequence")

    @property
    def inherent_score(self) -> int:
        return self.inherent_likelihood * self.inherent_consequence

    @property
    def target_score(self) -> int:
        return self.target_likelihood * self.target_consequence

    @property
    def band(self):
        return convention().band(self.current_score)

    @property
    def frequency_days(self) -> int:
        """The review interval in days: the chosen one, else the band's."""
        return self.review_frequency_days or convention().review_days[self.band.key]

    def is_review_overdue(self, on: datetime.date) -> bool:
        return self.status != RiskStatus.CLOSED and self.next_review_on < on

    @property
    def appetite_from(self) -> StrategicObjective | RiskCategory | None:
        """Where its appetite and tolerance come from: its strategic objective's when the board set them, else its
        category's (the default)."""
        if self.objective is not None and self.objective.tolerance is not None:
            return self.objective
        return self.category

    @property
    def tolerance(self) -> int | None:
        source = self.appetite_from
        return source.tolerance if source is not None else None

    @property
    def above_appetite(self) -> bool:
        """Its current score is above the tolerance of its objective (or, by default, of its category)."""
        tolerance = self.tolerance
        return tolerance is not None and self.current_score > tolerance

    @property
    def target_above_tolerance(self) -> bool:
        """Even its target score is above the tolerance: the board plans to live outside appetite."""
        tolerance = self.tolerance
        return tolerance is not None and self.target_score > tolerance


def above_tolerance_q() -> models.Q:
    """Risk.above_appetite in SQL: above its objective's tolerance where the board set one, else its category's."""
    by_objective = models.Q(
        objective__tolerance__isnull=False, current_score__gt=models.F("objective__tolerance")
    )
    by_category = models.Q(
        objective__tolerance__isnull=True,
        category__isnull=False,
        current_score__gt=models.F("category__tolerance"),
    )
    return by_objective | by_category


class Control(models.Model):
    """Something in place that reduces a risk's likelihood or consequence."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="controls")
    description = LimitedTextField(max_length=limits.RISK_CONTROL_CHARS)
    order = models.PositiveIntegerField(default=0)
    effectiveness = models.CharField(
        max_length=12, choices=ControlEffectiveness.choices, default=ControlEffectiveness.NOT_ASSESSED
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["risk", "order", "id"]

    def __str__(self) -> str:
        return f"Control on {self.risk.reference}: {self.description[:60]}"


class Assurance(models.Model):
    """Evidence that a control works (a report, an audit), on one of the three lines, with its level."""

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="assurances")
    source = LimitedTextField(max_length=limits.RISK_CONTROL_CHARS)
    line = models.CharField(max_length=10, choices=AssuranceLine.choices)
    level = models.CharField(max_length=12, choices=AssuranceLevel.choices)
    outcome = models.CharField(
        max_length=8,
        choices=AssuranceOutcome.choices,
        blank=True,
        help_text="Positive: the evidence says the control works; negative: it says it does not.",
    )
    reported_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["control", "line", "id"]

    def __str__(self) -> str:
        return f"{self.get_line_display()}: {self.source[:60]}"


class Gap(models.Model):
    """A gap in control or in assurance on a risk, tied to the control it undermines and the plan action that
    closes it."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="gaps")
    kind = models.CharField(max_length=10, choices=GapKind.choices)
    description = LimitedTextField(max_length=limits.RISK_CONTROL_CHARS)
    control = models.ForeignKey(
        Control,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gaps",
        help_text="The control it undermines.",
    )
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_gaps",
        help_text="The plan action that closes it.",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["risk", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.risk.reference}: {self.description[:60]}"


class RiskScore(AppendOnly, models.Model):
    """One scoring of a risk (inherent, current or target): the scoring history, never edited."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="score_history")
    kind = models.CharField(max_length=10, choices=ScoreKind.choices)
    likelihood = models.PositiveSmallIntegerField(validators=SCALE)
    consequence = models.PositiveSmallIntegerField(validators=SCALE)
    score = models.PositiveSmallIntegerField()
    recorded_by = person_who()
    recorded_at = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["risk", "recorded_at", "id"]
        indexes = [models.Index(fields=["risk", "kind", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.risk.reference} {self.kind} {self.likelihood}x{self.consequence}={self.score}"

    edit_refused = "A risk score cannot be changed; score the risk again instead."
    delete_refused = "A risk score cannot be deleted."


class RiskReview(AppendOnly, models.Model):
    """A dated review of a risk by its owner or handler, with the current score before and after."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    narrative = LimitedTextField(max_length=limits.RISK_REVIEW_CHARS)
    likelihood_before = models.PositiveSmallIntegerField()
    consequence_before = models.PositiveSmallIntegerField()
    likelihood = models.PositiveSmallIntegerField(validators=SCALE)
    consequence = models.PositiveSmallIntegerField(validators=SCALE)
    next_review_on = models.DateField()
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["risk", "-reviewed_on", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.risk.reference} on {self.reviewed_on}"

    @property
    def score_before(self) -> int:
        return self.likelihood_before * self.consequence_before

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def movement(self) -> int:
        """Up (positive) or down (negative) in score since the review before it."""
        return self.score - self.score_before

    edit_refused = "A risk review cannot be changed; record another review instead."
    delete_refused = "A risk review cannot be deleted."


class RiskEscalation(AppendOnly, models.Model):
    """A risk going onto the corporate register (its score reached the threshold) or coming off it."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="escalations")
    direction = models.CharField(max_length=12, choices=EscalationDirection.choices)
    score = models.PositiveSmallIntegerField()
    threshold = models.PositiveSmallIntegerField()
    created_by = person_who()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["risk", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.risk.reference} {self.get_direction_display().lower()}"

    edit_refused = "An escalation record cannot be changed."
    delete_refused = "An escalation record cannot be deleted."


class ReviewReminder(models.Model):
    """A reminder e-mailed to a risk's owner about their overdue reviews (kept so managers see who was chased)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    risk_count = models.PositiveIntegerField()
    sent_by = person_who()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Review reminder to {self.recipient} on {iso_day(self.sent_at)}"
