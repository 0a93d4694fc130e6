"""Choices for plans, actions, findings and reporting cycles."""

from django.db import models


class PlanKind(models.TextChoices):
    SELF_REVIEW = "self_review", "Board self-review"
    INSPECTION_RESPONSE = "inspection_response", "Response to inspection"
    IMPROVEMENT = "improvement", "Improvement programme"


class PlanOrganisedBy(models.TextChoices):
    FRAMEWORK = "framework", "Framework element"
    WORKSTREAM = "workstream"


class ActionState(models.TextChoices):
    OPEN = "open"
    COMPLETED = "completed"
    CLOSED = "closed", "Closed with evidence of assurance"


class FindingType(models.TextChoices):
    MUST_DO = "must_do", "Must do"
    SHOULD_DO = "should_do", "Should do"
    BREACH = "breach", "Breach of regulation"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
    OUTSTANDING_PRACTICE = "outstanding_practice", "Outstanding practice"


class FindingSource(models.TextChoices):
    CQC_INSPECTION = "cqc_inspection", "CQC inspection"
    SELF_REVIEW = "self_review", "Board self-review"
    MOCK_INSPECTION = "mock_inspection", "Mock inspection"
    PEER_REVIEW = "peer_review", "Peer review"
    OTHER = "other"


class DatePrecision(models.TextChoices):
    MONTH = "month"
    DAY = "day"


class CycleState(models.TextChoices):
    OPEN = "open"
    CLOSED = "closed"


class ImportState(models.TextChoices):
    PENDING = "pending", "Waiting to be imported"
    APPLIED = "applied", "Imported"
    EXPIRED = "expired"
