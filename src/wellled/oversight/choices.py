"""Oversight segments, support programmes and exit-criterion judgements."""

from django.db import models


class Segment(models.IntegerChoices):
    """The numbers an oversight segment can take in any edition of the framework (1 to 4 since 2021; 5 from
    2025/26). What a number means depends on the edition the status records: read it through editions.py."""

    ONE = 1, "Segment 1"
    TWO = 2, "Segment 2"
    THREE = 3, "Segment 3"
    FOUR = 4, "Segment 4"
    FIVE = 5, "Segment 5"


class Programme(models.TextChoices):
    """The intensive-support regime a trust is in, if any: special measures until 2021, then the national intensive
    support programme, one programme renamed from the Recovery Support Programme to the Provider Improvement
    Programme (its names by date in data/frameworks.yaml; ADR 0048)."""

    NONE = "none", "Not in a support programme"
    RECOVERY_SUPPORT = "recovery_support", "National intensive support programme"
    SPECIAL_MEASURES_QUALITY = "special_measures_quality", "Special measures for quality"
    SPECIAL_MEASURES_FINANCE = "special_measures_finance", "Special measures for finance"


class Judgement(models.TextChoices):
    """An oversight body's judgement of one exit criterion at a date."""

    NOT_MET = "not_met", "Not met"
    PARTLY_MET = "partly_met", "Partly met"
    MET = "met"


class EvidenceKind(models.TextChoices):
    """What of the trust's own records an exit criterion's evidence points at."""

    ACTION = "action"
    MEASURE = "measure"
    ASSESSMENT = "assessment"
    PAPER = "paper", "Issued paper"


class MeetingStatus(models.TextChoices):
    """Where an improvement board meeting stands."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class RegulatoryActionKind(models.TextChoices):
    """Formal action a regulator takes against a trust (NHS England under the provider licence; CQC under the
    Health and Social Care Act 2008), recorded beside the trust's oversight status."""

    LICENCE_UNDERTAKINGS = "licence_undertakings", "Licence undertakings (NHS England)"
    LICENCE_CONDITIONS = "licence_conditions", "Additional licence conditions (NHS England)"
    WARNING_NOTICE = "warning_notice", "CQC warning notice"
    REQUIREMENT_NOTICE = "requirement_notice", "CQC requirement notice"
    ENFORCEMENT = "enforcement", "Other enforcement action"


class ExitDecision(models.TextChoices):
    """Where a recommendation that a trust leave intensive support stands."""

    PENDING = "pending", "Awaiting decision"
    ACCEPTED = "accepted"
    DECLINED = "declined"
