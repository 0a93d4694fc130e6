"""Oversight segments, support programmes and exit-criterion judgements."""

from django.db import models


class Segment(models.IntegerChoices):
    """NHS Oversight Framework segments (shared/domain/cqc_scoring.md): 1 to 4 since 2021, with 5 added by the
    2025/26 framework for the Provider Improvement Programme. Labels in our words."""

    ONE = 1, "1: no specific support needed"
    TWO = 2, "2: flexible, targeted support"
    THREE = 3, "3: support mandated by NHS England"
    FOUR = 4, "4: intensive support (Recovery Support Programme)"
    FIVE = 5, "5: Provider Improvement Programme"


class Programme(models.TextChoices):
    """The intensive-support regime a trust is in, if any (special measures until 2021, then the Recovery Support
    Programme; shared/domain/cqc_scoring.md)."""

    NONE = "none", "Not in a support programme"
    RECOVERY_SUPPORT = "recovery_support", "Recovery Support Programme"
    SPECIAL_MEASURES_QUALITY = "special_measures_quality", "Special measures for quality"
    SPECIAL_MEASURES_FINANCE = "special_measures_finance", "Special measures for finance"
    PROVIDER_IMPROVEMENT = "provider_improvement", "Provider Improvement Programme"


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
