"""Assessments against a framework, their statement scores, evidence and findings, and ratings over time."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from wellled.core import limits
from wellled.core.choices import UnitKind
from wellled.core.fields import optional_link
from wellled.core.formatting import month_year, padded_short_date
from wellled.core.limits import LimitedTextField
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.frameworks.models import Framework, FrameworkElement
from wellled.plans.choices import FindingType
from wellled.plans.models import Finding

from .choices import (
    KEY_QUESTION_COLUMNS,
    AssessmentState,
    AssessorKind,
    Enforcement,
    RatingSource,
    RatingValue,
    ScoringMethod,
    SubjectLevel,
)
from .scoring import DEFAULT_RULES


def _default_rules() -> dict:
    return DEFAULT_RULES.to_dict()


class Subject(models.Model):
    """What is assessed or rated: the trust (no units), a location (a site), or a service (optionally at a site)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    location = optional_link(
        OrganisationUnit,
        related_name="+",
        limit_choices_to={"kind": UnitKind.SITE},
    )
    service = optional_link(
        OrganisationUnit,
        related_name="+",
        limit_choices_to={"kind": UnitKind.SERVICE},
    )

    class Meta:
        abstract = True

    @property
    def level(self) -> str:
        if self.service_id:
            return SubjectLevel.SERVICE
        if self.location_id:
            return SubjectLevel.LOCATION
        return SubjectLevel.TRUST

    @property
    def subject_key(self) -> tuple[int | None, int | None]:
        return (self.location_id, self.service_id)

    @property
    def subject_label(self) -> str:
        if self.service is not None:
            return (
                f"{self.service.name} at {self.location.name}"
                if self.location is not None
                else self.service.name
            )
        if self.location is not None:
            return self.location.name
        return self.organisation.name

    def clean(self) -> None:
        for name, kind in (("location", UnitKind.SITE), ("service", UnitKind.SERVICE)):
            unit = getattr(self, name)
            if unit is None:
                continue
            if unit.organisation_id != self.organisation_id:
                raise ValidationError({name: "Choose one of your organisation's own units."})
            if unit.kind != kind:
                raise ValidationError(
                    {name: f"Choose a {kind.label.lower()} from your organisation's structure."}
                )


class Assessment(Subject):
    """One assessment of a subject against a framework, on a date, by a kind of assessor; frozen once published."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(
        max_length=200, blank=True, help_text="Optional; a name is made from the subject."
    )
    assessed_on = models.DateField("date of the assessment")
    assessor_kind = models.CharField("assessed by", max_length=20, choices=AssessorKind.choices)
    method = models.CharField(max_length=10, choices=ScoringMethod.choices, default=ScoringMethod.DIRECT)
    scoring_rules = models.JSONField(
        default=_default_rules, help_text="ScoringRules.to_dict() of the engine."
    )
    state = models.CharField(max_length=10, choices=AssessmentState.choices, default=AssessmentState.DRAFT)
    summary = LimitedTextField(max_length=limits.ASSESSMENT_SUMMARY_CHARS, blank=True)
    review_comment = LimitedTextField(
        max_length=limits.REVIEW_COMMENT_CHARS,
        blank=True,
        help_text="The governance team's comment when it returned it.",
    )
    created_by = optional_link(User, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = optional_link(User, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = optional_link(User, related_name="+")
    overall = models.JSONField(null=True, blank=True, help_text="The aggregated overall rating, on publish.")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["organisation", "state", "assessed_on"])]

    def __str__(self) -> str:
        return (
            self.title
            or f"{self.get_assessor_kind_display()} of {self.subject_label}, {month_year(self.assessed_on)}"
        )

    @property
    def is_published(self) -> bool:
        return self.state == AssessmentState.PUBLISHED


class StatementAssessment(models.Model):
    """One quality statement (or KLOE) of an assessment: its score, narrative findings and evidence."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="statements")
    element = models.ForeignKey(FrameworkElement, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    evidence_scores = models.JSONField(
        default=dict, blank=True, help_text="Evidence category key to score 1-4."
    )
    narrative = LimitedTextField("what we found", max_length=limits.STATEMENT_NARRATIVE_CHARS, blank=True)
    updated_by = optional_link(User, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessment", "element__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "element"], name="assess_statement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.element.code} in {self.assessment}"

    @property
    def organisation_id(self) -> int:
        return self.assessment.organisation_id

    @property
    def is_scored(self) -> bool:
        return self.score is not None or bool(self.evidence_scores)


class EvidenceItem(models.Model):
    """A file uploaded for a statement (kept through Django's storage with its SHA-256, ADR 0058), or a link to
    evidence held elsewhere."""

    statement = models.ForeignKey(StatementAssessment, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="assessments/evidence/", blank=True, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(
        "SHA-256",
        max_length=64,
        blank=True,
        help_text="Of the file as uploaded; checked when it is given back.",
    )
    url = models.URLField("link", max_length=500, blank=True)
    added_by = optional_link(User, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["statement", "added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="assess_evidence_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class AssessmentFinding(models.Model):
    """A finding of an assessment (must do, should do, breach, outstanding practice), linked to a statement.

    Turned into an action, it becomes a finding of a plan (`plan_finding`) that the action answers.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    element = models.ForeignKey(FrameworkElement, on_delete=models.PROTECT, related_name="+")
    finding_type = models.CharField(max_length=30, choices=FindingType.choices, default=FindingType.MUST_DO)
    regulation = models.CharField(max_length=200, blank=True, help_text="For a breach, e.g. Regulation 12.")
    enforcement = models.CharField(max_length=20, choices=Enforcement.choices, blank=True, default="")
    text = LimitedTextField(max_length=limits.FINDING_TEXT_CHARS)
    plan_finding = models.ForeignKey(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = optional_link(User, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessment", "element__order", "id"]

    def __str__(self) -> str:
        return f"{self.get_finding_type_display()} ({self.element.code}): {self.text[:60]}"

    @property
    def organisation_id(self) -> int:
        return self.assessment.organisation_id


class RatingSnapshot(models.Model):
    """A key question's (or the overall) rating with its working, stored when the assessment is published.

    The snapshot is never recomputed, so a published result stays as it was even if the rules or the
    earlier ratings change later.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    key_question = models.CharField(max_length=20)
    name = models.CharField(max_length=60)
    rating = models.CharField(max_length=30, choices=RatingValue.choices)
    percentage_rating = models.CharField(max_length=30, choices=RatingValue.choices, blank=True)
    previous_rating = models.CharField(max_length=30, choices=RatingValue.choices, blank=True)
    percentage = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    percentage_text = models.CharField(max_length=20, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum = models.PositiveSmallIntegerField(null=True, blank=True)
    carried_forward = models.JSONField(default=list, blank=True)
    working = LimitedTextField(max_length=limits.RATING_WORKING_CHARS)
    result = models.JSONField(help_text="The engine's to_dict() of the result.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key_question"], name="assess_snapshot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_rating_display()}"

    @property
    def rating_obj(self):
        """The rating as the scoring engine's Rating (label, colours, symbol, score)."""
        from .scoring import Rating

        return Rating.parse(self.rating) if self.rating else None


class PublishedRating(Subject):
    """A rating of a subject's key question (or overall) on a date: imported from CQC, or from an assessment."""

    key_question = models.CharField(max_length=20, choices=list(KEY_QUESTION_COLUMNS.items()))
    rating = models.CharField(max_length=30, choices=RatingValue.choices)
    rated_on = models.DateField()
    assessor_kind = models.CharField(max_length=20, choices=AssessorKind.choices, default=AssessorKind.CQC)
    source = models.CharField(max_length=20, choices=RatingSource.choices)
    assessment = optional_link(Assessment, related_name="published_ratings")
    percentage = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    location_name = models.CharField(max_length=200, blank=True, help_text="As the imported file named it.")
    created_by = optional_link(User, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-rated_on", "id"]
        indexes = [models.Index(fields=["organisation", "location", "service", "key_question", "rated_on"])]

    def __str__(self) -> str:
        label = KEY_QUESTION_COLUMNS.get(self.key_question, self.key_question)
        return (
            f"{self.subject_label}, {label}: {self.get_rating_display()} ({padded_short_date(self.rated_on)})"
        )

    @property
    def rating_obj(self):
        """The rating as the scoring engine's Rating (label, colours, symbol, score)."""
        from .scoring import Rating

        return Rating.parse(self.rating) if self.rating else None
