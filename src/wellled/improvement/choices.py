"""Choices for quality improvement projects."""

from django.db import models


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed"
    ACTIVE = "active", "Testing changes"
    SUSTAINING = "sustaining"
    CLOSED = "closed"


class MeasureRole(models.TextChoices):
    """The three families of measures in the Model for Improvement."""

    OUTCOME = "outcome", "Outcome measure"
    PROCESS = "process", "Process measure"
    BALANCING = "balancing", "Balancing measure"


class PDSADecision(models.TextChoices):
    """What the Act step decided about the change tested."""

    UNDECIDED = "", "Not decided yet"
    ADOPT = "adopt"
    ADAPT = "adapt", "Adapt and test again"
    ABANDON = "abandon"


class AimReading(models.TextChoices):
    """Where a project stands against its aim (baseline, goal and date), read from its aim measure's latest value."""

    MET = "met", "Aim met"
    NOT_YET = "not_yet", "Not yet"
    DATE_PASSED = "date_passed", "Date passed, aim not met"
    NO_DATA = "no_data", "No value yet to read it from"
