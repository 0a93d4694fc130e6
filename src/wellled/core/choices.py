"""Choices shared across the project: organisation kinds, structure kinds, roles, audit actions."""

from django.db import models

# A member written without a label is shown as its name in words (Django's rule, e.g. DRAFT as "Draft"): only
# labels that say more than the name are written out.


class OrganisationKind(models.TextChoices):
    TRUST = "trust", "NHS trust"
    FOUNDATION_TRUST = "foundation_trust", "NHS foundation trust"
    ICB = "icb", "Integrated care board"
    OVERSIGHT = "oversight", "Oversight body"


# Who may hold a portfolio of trusts (an NHS England region, an integrated care board), and who may be in one.
OVERSIGHT_KINDS = frozenset({OrganisationKind.ICB, OrganisationKind.OVERSIGHT})
PROVIDER_KINDS = frozenset({OrganisationKind.TRUST, OrganisationKind.FOUNDATION_TRUST})


class UnitKind(models.TextChoices):
    SITE = "site"
    DIRECTORATE = "directorate"
    CARE_GROUP = "care_group", "Care group"
    SERVICE = "service"
    WARD = "ward"
    TEAM = "team"


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator"
    GOVERNANCE_EDITOR = "governance_editor", "Governance editor"
    LEAD = "lead"
    VIEWER = "viewer"


class SpeakUpRole(models.TextChoices):
    """A person's Freedom to Speak Up role in an organisation, held beside their role (issue 23, ADR 0054): only a
    guardian sees the cases; a champion records contacts and sees only their own. No other role implies either."""

    NONE = "", "None"
    GUARDIAN = "guardian", "Freedom to Speak Up guardian"
    CHAMPION = "champion", "Freedom to Speak Up champion"


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
