"""Choices shared across the project: organisation kinds, structure kinds, roles, audit actions."""

from django.db import models


class OrganisationKind(models.TextChoices):
    TRUST = "trust", "NHS trust"
    FOUNDATION_TRUST = "foundation_trust", "NHS foundation trust"
    ICB = "icb", "Integrated care board"
    OVERSIGHT = "oversight", "Oversight body"


# Who may hold a portfolio of trusts (an NHS England region, an integrated care board), and who may be in one.
OVERSIGHT_KINDS = frozenset({OrganisationKind.ICB, OrganisationKind.OVERSIGHT})
PROVIDER_KINDS = frozenset({OrganisationKind.TRUST, OrganisationKind.FOUNDATION_TRUST})


class UnitKind(models.TextChoices):
    SITE = "site", "Site"
    DIRECTORATE = "directorate", "Directorate"
    CARE_GROUP = "care_group", "Care group"
    SERVICE = "service", "Service"
    WARD = "ward", "Ward"
    TEAM = "team", "Team"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    GOVERNANCE_EDITOR = "governance_editor", "Governance editor"
    LEAD = "lead", "Lead"
    VIEWER = "viewer", "Viewer"


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
