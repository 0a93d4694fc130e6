"""Choices for measures: what kind of number it is, which way is better, how often it is measured."""

from django.db import models

# A member written without a label is shown as its name in words (Django's rule, e.g. DRAFT as "Draft"): only
# labels that say more than the name are written out.


class MeasureKind(models.TextChoices):
    VALUE = "value", "A value (XmR chart)"
    PROPORTION = "proportion", "A proportion: numerator over denominator (p chart)"
    RATE = "rate", "A rate per N: numerator over denominator (u chart)"
    COUNT = "count", "A count of events (c chart)"


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"
    NEUTRAL = "neutral", "Neither (monitor only)"


class Frequency(models.TextChoices):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    # Halves and years of the NHS financial year (1 April to 31 March), as quarters already are.
    SIX_MONTHLY = "halfyear", "Six-monthly"
    ANNUAL = "annual"


class YearStart(models.TextChoices):
    """Which year an annual measure counts in: the NHS financial year, or the calendar year (the NHS Staff Survey is
    named by the calendar year of its autumn fieldwork: "the 2024 survey")."""

    FINANCIAL = "financial", "Financial year (April to March)"
    CALENDAR = "calendar", "Calendar year (January to December)"


# The periods of an annual measure counted in calendar years (measures/periods.py reads it as a frequency).
CALENDAR_YEAR = "calendar_year"


# What the NHS Staff Survey scores out of 10, in its own order: the seven People Promise elements, then staff
# engagement and morale (stored key: the words the survey's benchmark report uses).
SURVEY_ELEMENTS: dict[str, str] = {
    "compassionate": "We are compassionate and inclusive",
    "recognised": "We are recognised and rewarded",
    "voice": "We each have a voice that counts",
    "safe": "We are safe and healthy",
    "learning": "We are always learning",
    "flexibly": "We work flexibly",
    "team": "We are a team",
    "engagement": "Staff engagement",
    "morale": "Morale",
}

# The column headings a staff survey spreadsheet may use (the survey's benchmark report says "your org", "average"
# for the group's median, "best" and "worst"); the first of each is what Wellled writes.
SURVEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("survey year", "year", "survey"),
    "element": ("element", "theme", "people promise element", "measure"),
    "score": ("score", "trust", "your org", "organisation score", "trust score"),
    "median": ("benchmark median", "median", "average", "benchmark average"),
    "best": ("benchmark best", "best"),
    "worst": ("benchmark worst", "worst"),
}


class MetWhen(models.TextChoices):
    """When a success measure's target counts as met; "direction" follows the measure's own direction."""

    DIRECTION = "direction", "As the measure's direction says"
    AT_LEAST = "at_least", "The latest value is at or above the target"
    AT_MOST = "at_most", "The latest value is at or below the target"


# The chart each kind of measure is drawn on (wellled.spc ChartType values).
CHART_FOR_KIND = {
    MeasureKind.VALUE: "xmr",
    MeasureKind.PROPORTION: "p",
    MeasureKind.RATE: "u",
    MeasureKind.COUNT: "c",
}
