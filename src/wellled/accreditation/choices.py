"""Choices for ward accreditation."""

from django.db import models

from wellled.core.choices import UnitKind

# Units that can be audited: wards and teams.
AUDITABLE_KINDS = (UnitKind.WARD, UnitKind.TEAM)


class AuditState(models.TextChoices):
    DRAFT = "draft", "Being recorded"
    COMPLETED = "completed"
