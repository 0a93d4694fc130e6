"""Choices for assessments, statement scores, findings and published ratings."""

from django.db import models

# A member written without a label is shown as its name in words (Django's rule, e.g. DRAFT as "Draft"): only
# labels that say more than the name are written out.


class AssessorKind(models.TextChoices):
    CQC = "cqc", "CQC assessment"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"
    MOCK_INSPECTION = "mock_inspection", "Mock inspection"
    PEER_REVIEW = "peer_review", "Peer review"


class AssessmentState(models.TextChoices):
    DRAFT = "draft"
    SUBMITTED = "submitted", "Submitted for review"
    PUBLISHED = "published"


class ScoringMethod(models.TextChoices):
    DIRECT = "direct", "One score per quality statement (CQC's method since December 2024)"
    EVIDENCE = "evidence", "Scores per evidence category (CQC's method before December 2024)"


class SubjectLevel(models.TextChoices):
    TRUST = "trust"
    LOCATION = "location"
    SERVICE = "service"


class RatingSource(models.TextChoices):
    IMPORTED = "imported", "Imported from published ratings"
    ASSESSMENT = "assessment", "Published assessment in Wellled"


class Enforcement(models.TextChoices):
    NONE = ""
    REQUIREMENT_NOTICE = "requirement_notice", "Requirement notice"
    WARNING_NOTICE = "warning_notice", "Warning notice"


class RatingValue(models.TextChoices):
    """The four ratings, stored by the scoring engine's keys (wellled.assessments.scoring.Rating)."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate"


# Key questions in CQC's order, with "overall" (the aggregate) last; the codes match the shipped CQC framework.
KEY_QUESTIONS: dict[str, str] = {
    "safe": "Safe",
    "effective": "Effective",
    "caring": "Caring",
    "responsive": "Responsive",
    "well_led": "Well-led",
}
OVERALL = "overall"
KEY_QUESTION_COLUMNS: dict[str, str] = {**KEY_QUESTIONS, OVERALL: "Overall"}
