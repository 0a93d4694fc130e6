"""Measures, their dated values (with every correction kept), rebases, annotations, and success-measure links."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from wellled.core import limits
from wellled.core.fields import optional_link, person_who
from wellled.core.formatting import iso_day, iso_month
from wellled.core.limits import LimitedTextField
from wellled.core.models import AppendOnly, Organisation, OrganisationUnit, User
from wellled.frameworks.models import FrameworkElement

from .choices import (
    CALENDAR_YEAR,
    CHART_FOR_KIND,
    SURVEY_ELEMENTS,
    Direction,
    Frequency,
    MeasureKind,
    MetWhen,
    YearStart,
)

NEGATIVE_ONLY_FOR_VALUES = "Only a value can be below zero: counts, rates and proportions never are."


class Measure(models.Model):
    """Something a trust counts over time, e.g. the staff survey response rate, with its target and owner."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="measures")
    unit = optional_link(
        OrganisationUnit,
        related_name="measures",
        help_text="The directorate, care group or site it belongs to; empty for the whole organisation.",
    )
    name = models.CharField(max_length=200)
    indicator_code = models.CharField(
        max_length=40,
        blank=True,
        db_index=True,
        help_text="A code shared with other trusts (a national indicator's), so an oversight body can set this "
        "measure beside theirs.",
    )
    definition = LimitedTextField(
        max_length=limits.MEASURE_DEFINITION_CHARS,
        blank=True,
        help_text="What is counted, and what is left out.",
    )
    unit_of_measurement = models.CharField(
        max_length=60, blank=True, help_text="For example %, people or days."
    )
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    target = models.FloatField(null=True, blank=True)
    trajectory = models.JSONField(
        default=list, blank=True, help_text="Dated interim targets: a list of {date, value}, earliest first."
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    year_start = models.CharField(
        "annual figures count in",
        max_length=10,
        choices=YearStart.choices,
        default=YearStart.FINANCIAL,
        help_text="For annual measures: the financial year, or the calendar year (the NHS Staff Survey is named "
        "by its calendar year, e.g. the 2024 survey).",
    )
    owner = optional_link(User, related_name="owned_measures")
    data_source = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=12, choices=MeasureKind.choices, default=MeasureKind.VALUE)
    rate_per = models.PositiveIntegerField(
        default=1000, help_text="For rates: per how many (e.g. 1,000 bed days)."
    )
    negative_allowed = models.BooleanField(
        "values can be below zero",
        default=False,
        help_text="Only a value (a net change, a balance) can be; counts, rates and proportions never are.",
    )
    run_chart = models.BooleanField(
        default=False,
        help_text="Draw a run chart (median, no limits) instead, e.g. while there are few points.",
    )
    framework_element = optional_link(FrameworkElement, related_name="+")
    # The committee that owns it in the IPR (issue 22, ADR 0062), by label: committees sits above measures.
    committee = optional_link(
        "committees.Committee",  # type: ignore[arg-type]
        related_name="measures",
        verbose_name="owning committee",
        help_text="The board committee whose section of the integrated performance report shows it.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="measures_measure_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit is not None and self.unit.organisation_id != self.organisation_id:
            raise ValidationError({"unit": "Choose a part of your own organisation."})
        if self.committee is not None and self.committee.organisation_id != self.organisation_id:
            raise ValidationError({"committee": "Choose one of your own organisation's committees."})
        if self.negative_allowed and self.kind != MeasureKind.VALUE:
            raise ValidationError({"negative_allowed": NEGATIVE_ONLY_FOR_VALUES})
        if self.kind == MeasureKind.PROPORTION and self.target is not None and not 0 <= self.target <= 100:
            raise ValidationError({"target": "A proportion's target is a percentage from 0 to 100."})

    @property
    def period_kind(self) -> str:
        """The frequency its periods follow (measures/periods.py): CALENDAR_YEAR for calendar-year annual ones."""
        if self.frequency == Frequency.ANNUAL and self.year_start == YearStart.CALENDAR:
            return CALENDAR_YEAR
        return self.frequency

    @property
    def chart(self) -> str:
        """The wellled.spc chart type: from the kind, or a run chart when asked for.

        An annual value measure is a run chart by default: XmR limits would need a dozen years of figures (Making
        Data Count), so a yearly figure is read against its benchmark instead."""
        run = self.run_chart or self.frequency == Frequency.ANNUAL
        return "run" if run and self.kind == MeasureKind.VALUE else CHART_FOR_KIND[MeasureKind(self.kind)]

    @property
    def multiplier(self) -> float:
        """Proportions show as percentages; rates per `rate_per`."""
        multipliers: dict[str, float] = {
            MeasureKind.PROPORTION: 100.0,
            MeasureKind.RATE: float(self.rate_per),
        }
        return multipliers.get(self.kind, 1.0)

    @property
    def allows_negative(self) -> bool:
        """Whether a value below zero can be right: only for a value measure that says so."""
        return self.kind == MeasureKind.VALUE and self.negative_allowed

    def negative_refusal(self) -> str:
        """What to say about a value below zero for this measure."""
        if self.kind == MeasureKind.COUNT:
            return "A count cannot be negative."
        return (
            f"{self.name} cannot be below zero. If it really can (a net change, a balance), say so on the "
            "measure's page (Values can be below zero) first."
        )

    @property
    def has_denominator(self) -> bool:
        return self.kind in (MeasureKind.PROPORTION, MeasureKind.RATE)

    @property
    def unit_label(self) -> str:
        if self.kind == MeasureKind.PROPORTION:
            return "%"
        if self.kind == MeasureKind.RATE:
            return f"per {self.rate_per:,}"
        return self.unit_of_measurement


class MeasureValue(models.Model):
    """A measure's value for one period; a blank value is a period known to be missing."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(
        help_text="The period's first day (months and quarters are stored as their first day)."
    )
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField()
    updated_by = person_who()
    source = models.CharField(
        max_length=200, blank=True, help_text="Entered on the page, or the uploaded file."
    )

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="measures_value_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {iso_day(self.period)}"

    @property
    def is_missing(self) -> bool:
        return self.value is None and (self.numerator is None or self.denominator is None)


class MeasureValueRevision(models.Model):
    """A value as it stood before a correction replaced it: never changed, never deleted."""

    measure_value = models.ForeignKey(MeasureValue, on_delete=models.CASCADE, related_name="revisions")
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    recorded_at = models.DateTimeField(help_text="When the replaced value had been recorded.")
    recorded_by = person_who()
    source = models.CharField(max_length=200, blank=True)
    replaced_at = models.DateTimeField()
    replaced_by = person_who()
    replaced_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["measure_value", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"Earlier value of {self.measure_value}"


class ChartMark(models.Model):
    """A dated mark on a measure's chart (a rebase, a note), with who made it and when."""

    date = models.DateField()
    created_by = person_who()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Rebase(ChartMark):
    """A date from which the chart's centre line and limits are recalculated, with the reason."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="rebases")
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["measure", "date"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "date"], name="measures_rebase_unique_date")
        ]

    def __str__(self) -> str:
        return f"Rebase of {self.measure} from {iso_day(self.date)}"


class Annotation(ChartMark):
    """A dated note drawn on the chart, e.g. when an intervention started."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="annotations")
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["measure", "date", "id"]

    def __str__(self) -> str:
        return f"Note on {self.measure} at {iso_day(self.date)}"


class SuccessMeasureLink(models.Model):
    """An action's success measure tied to a measure and a target, so "complete" and "improved" can be told apart."""

    action = models.OneToOneField("plans.Action", on_delete=models.CASCADE, related_name="measure_link")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="action_links")
    target = models.FloatField()
    met_when = models.CharField(max_length=10, choices=MetWhen.choices, default=MetWhen.DIRECTION)
    created_by = person_who()
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["action"]

    def __str__(self) -> str:
        return f"{self.action.reference} measured by {self.measure}"


class MeasureCommentary(AppendOnly, models.Model):
    """What the chart shows, why, and what happens next, written for a report as at a month: kept, never edited
    (a later commentary for the same month supersedes an earlier one, and both stay)."""

    edit_refused = "A commentary is kept as written: write a new one to replace it."
    delete_refused = "A commentary is kept as written."

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="commentaries")
    period = models.DateField(help_text="The month the commentary reports on (its first day).")
    shows = LimitedTextField(max_length=limits.MEASURE_COMMENTARY_CHARS, help_text="What the chart shows.")
    why = LimitedTextField(
        max_length=limits.MEASURE_COMMENTARY_CHARS,
        blank=True,
        help_text="Why: the causes, as far as they are known.",
    )
    next_steps = LimitedTextField(
        max_length=limits.MEASURE_COMMENTARY_CHARS,
        blank=True,
        help_text="What happens next, and who does it.",
    )
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "-period", "-written_at", "-pk"]
        indexes = [models.Index(fields=["measure", "-period"])]

    def __str__(self) -> str:
        return f"Commentary on {self.measure} for {iso_month(self.period)}"


class SurveyScore(models.Model):
    """One NHS Staff Survey score of a year (a People Promise element, engagement or morale, out of 10) with the
    benchmark group's median, best and worst, held on the measure the survey result is filed under."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="survey_scores")
    period = models.DateField(
        help_text="The survey's year, as the measure's period (1 January for a calendar year)."
    )
    element = models.CharField(max_length=16, choices=list(SURVEY_ELEMENTS.items()))
    score = models.FloatField(help_text="The trust's score out of 10.")
    benchmark_median = models.FloatField(help_text="The benchmark group's median, out of 10.")
    benchmark_best = models.FloatField(help_text="The benchmark group's best score, out of 10.")
    benchmark_worst = models.FloatField(help_text="The benchmark group's worst score, out of 10.")

    class Meta:
        ordering = ["measure", "-period", "element"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "element"], name="measures_surveyscore_unique_element"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period.year} {self.get_element_display()}"

    def clean(self) -> None:
        figures = {
            "score": self.score,
            "benchmark_median": self.benchmark_median,
            "benchmark_best": self.benchmark_best,
            "benchmark_worst": self.benchmark_worst,
        }
        for name, value in figures.items():
            if value is not None and not 0 <= value <= 10:
                raise ValidationError({name: "A survey score is out of 10: enter a number from 0 to 10."})
        if None not in figures.values() and not (
            self.benchmark_worst <= self.benchmark_median <= self.benchmark_best
        ):
            raise ValidationError(
                {"benchmark_median": "The benchmark's median must lie between its worst and best scores."}
            )

    @property
    def chart_row(self) -> tuple[str, float, float, float, float]:
        """(element, score, worst, median, best), as the survey chart draws it."""
        return (
            self.get_element_display(),
            self.score,
            self.benchmark_worst,
            self.benchmark_median,
            self.benchmark_best,
        )

    @property
    def against_benchmark(self) -> str:
        """Where the score sits in its benchmark group, in words."""
        if self.score >= self.benchmark_best:
            return "Best in group"
        if self.score <= self.benchmark_worst:
            return "Worst in group"
        if self.score > self.benchmark_median:
            return "Above median"
        return "Below median" if self.score < self.benchmark_median else "At median"


def survey_digest(scores) -> str:
    """What a survey year's stored scores were when a form showed them, so saving over someone else's later entry
    is refused rather than silent (the year's rows have no version of their own)."""
    return ";".join(
        f"{s.element}={s.score:g},{s.benchmark_median:g},{s.benchmark_best:g},{s.benchmark_worst:g}"
        for s in sorted(scores, key=lambda s: s.element)
    )


class MeasureSpcSummary(models.Model):
    """A measure's latest SPC summary (icons, latest value), refreshed in the transaction that changes its figures,
    rebases or definition, so pages and portfolios read it instead of computing every chart again (ADR 0051)."""

    measure = models.OneToOneField(
        Measure, on_delete=models.CASCADE, primary_key=True, related_name="spc_summary"
    )
    variation = models.CharField(
        max_length=20, blank=True, help_text="The variation icon; empty: no data yet."
    )
    assurance = models.CharField(max_length=20, blank=True, help_text="The assurance icon; empty: none.")
    latest = models.FloatField(null=True, blank=True, help_text="The latest value as shown (%, per N).")
    latest_period = models.DateField(null=True, blank=True)
    points = models.PositiveIntegerField(default=0, help_text="How many periods have a value.")
    figures = models.BinaryField(
        null=True,
        blank=True,
        editable=False,
        help_text="Every stored figure of the measure packed in period order (measures.summaries.PACKED), so a "
        "portfolio's summaries read one row a measure; empty: not packed yet.",
    )
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"SPC summary of measure {self.measure_id}"
