"""Choices for risks: status, the kinds of score, lines of assurance and levels, appetite, BAF ratings."""

from django.db import models


class RiskStatus(models.TextChoices):
    OPEN = "open"
    TOLERATED = "tolerated"
    CLOSED = "closed"


class ScoreKind(models.TextChoices):
    INHERENT = "inherent", "Inherent"  # before any control
    CURRENT = "current", "Current"  # with the controls in place today (residual)
    TARGET = "target", "Target"  # where the mitigating actions should bring it


class AssuranceLine(models.TextChoices):
    """The three lines of assurance (HM Treasury's Orange Book; NHS Providers, The board assurance framework)."""

    FIRST = "first", "First line (the service itself)"
    SECOND = "second", "Second line (oversight within the organisation)"
    THIRD = "third", "Third line (independent)"


class AssuranceLevel(models.TextChoices):
    """How much comfort a source of assurance gives, in the words internal audit opinions use."""

    SUBSTANTIAL = "substantial"
    REASONABLE = "reasonable"
    LIMITED = "limited"
    NONE = "none", "No assurance"


class Appetite(models.TextChoices):
    """Risk appetite levels (Good Governance Institute's risk appetite matrix for NHS organisations)."""

    AVERSE = "averse"
    MINIMAL = "minimal"
    CAUTIOUS = "cautious"
    OPEN = "open"
    SEEK = "seek"


class ControlEffectiveness(models.TextChoices):
    """How well a control works, as BAFs rate them (NHS Providers and GGI, the board assurance framework)."""

    EFFECTIVE = "effective"
    PARTIAL = "partial", "Partially effective"
    INEFFECTIVE = "ineffective"
    NOT_ASSESSED = "not_assessed", "Not yet assessed"


class AssuranceOutcome(models.TextChoices):
    """What a source of assurance says of its control: it works (positive) or it does not (negative)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


class ConsequenceDomain(models.TextChoices):
    """The domain of a risk's consequence (NPSA, A risk matrix for risk managers, 2008: its consequence tables)."""

    HARM = "harm", "Harm (safety of patients, staff or public)"
    SERVICE = "service", "Service (quality, business interruption)"
    FINANCE = "finance", "Finance"
    REPUTATION = "reputation", "Reputation"
    COMPLIANCE = "compliance", "Compliance (statutory duty, inspection)"


class GapKind(models.TextChoices):
    CONTROL = "control", "Gap in control"
    ASSURANCE = "assurance", "Gap in assurance"


class EscalationDirection(models.TextChoices):
    ESCALATED = "escalated", "Escalated to the corporate risk register"
    DE_ESCALATED = "de_escalated", "De-escalated from the corporate risk register"


# Review intervals a person can choose, in days; 0 means "by the band of the current score" (convention.yaml).
REVIEW_FREQUENCIES = [
    (0, "By the risk score's band"),
    (30, "Monthly"),
    (61, "Every two months"),
    (91, "Quarterly"),
    (182, "Every six months"),
]
