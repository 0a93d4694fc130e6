"""Choices for ward accreditation."""

from django.db import models

from wellled.core.choices import UnitKind

# Units that can be audited: wards and teams.
AUDITABLE_KINDS = (UnitKind.WARD, UnitKind.TEAM)


class AuditState(models.TextChoices):
    DRAFT = "draft", "Being recorded"
    COMPLETED = "completed"


class PanelDecision(models.TextChoices):
    """What the accreditation panel decided on a completed audit's proposed level: until then it is pending."""

    PENDING = "pending", "Awaiting the panel"
    AWARDED = "awarded", "Awarded"
    DEFERRED = "deferred", "Deferred"
    DECLINED = "declined", "Declined"


# Decisions that settle the ward's level; a deferred audit goes back to the panel.
PANEL_FINAL = (PanelDecision.AWARDED, PanelDecision.DECLINED)
