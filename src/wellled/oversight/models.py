"""Oversight of a trust by an oversight body: its oversight status over time, and the exit criteria agreed for
leaving intensive support, each with evidence from the trust's records and judgements over time (ADR 0038).

Each record belongs to the oversight body that keeps it (`oversight_body`) and is about one trust of its portfolio
(`trust`); the trust's people see their own trust's status and exit criteria, read-only, never the body's notes.
Improvement board meetings are the trust's own (ADR 0039): its governance editors write them, the body reads them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from wellled.core import limits
from wellled.core.fields import optional_link
from wellled.core.formatting import long_date, padded_date
from wellled.core.limits import LimitedTextField
from wellled.core.models import AppendOnly, Organisation, User

from .choices import (
    EvidenceKind,
    ExitDecision,
    Judgement,
    MeetingStatus,
    Programme,
    RegulatoryActionKind,
    Segment,
)
from .editions import Edition, SegmentMeaning, frameworks, months_between

# A criterion is met only once met at this many judgements in a row, unless the body sets its own rule for it.
# Wellled's default (ADR 0048): exit needs improvement shown to be sustained (shared/domain/cqc_scoring.md, after
# NHS England's exit criteria for intensive support); at the quarterly reviews of the 2025/26 framework, three
# judgements in a row span at least six months.
DEFAULT_SUSTAINED_JUDGEMENTS = 3


def default_edition() -> str:
    """New statuses are given under the framework edition the frameworks file names as current."""
    return frameworks().default_key


def edition_choices() -> list[tuple[str, str]]:
    return frameworks().choices


class OversightStatus(AppendOnly, models.Model):
    """A trust's oversight position from a date: segment, support programme, improvement director, buddy and
    funding. Never edited: a change is a new record, so the history reads as it was."""

    edit_refused = "An oversight status is never changed: record the new position from its date instead."
    delete_refused = "An oversight status is history and is kept."

    oversight_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="oversight_statuses")
    effective_from = models.DateField(help_text="The day this position took effect.")
    edition = models.CharField(
        "framework edition", max_length=10, choices=edition_choices, default=default_edition
    )
    segment = models.PositiveSmallIntegerField(choices=Segment.choices)
    average_score = models.DecimalField(
        "average metric score", max_digits=3, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(null=True, blank=True)
    ranked_among = models.PositiveIntegerField("out of", null=True, blank=True)
    financial_override = models.BooleanField(
        default=False,
        help_text="Placed no higher than the override allows, as in deficit or on deficit support.",
    )
    programme = models.CharField(max_length=30, choices=Programme.choices, default=Programme.NONE)
    programme_entered_on = models.DateField("entered the programme on", null=True, blank=True)
    programme_exited_on = models.DateField("left the programme on", null=True, blank=True)
    improvement_director = optional_link(User, related_name="+")
    buddy_organisation = models.CharField(
        max_length=200, blank=True, help_text="The trust that supports this one as its buddy, if any."
    )
    improvement_funding = models.DecimalField(
        "improvement funding (£)", max_digits=12, decimal_places=0, null=True, blank=True
    )
    note = LimitedTextField(max_length=limits.OVERSIGHT_NOTE_CHARS, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-effective_from", "-recorded_at", "-id"]
        verbose_name_plural = "oversight statuses"
        indexes = [models.Index(fields=["trust", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.trust}: segment {self.segment} from {padded_date(self.effective_from)}"

    def clean(self) -> None:
        errors = {}
        if self.programme == Programme.NONE and self.programme_entered_on:
            errors["programme"] = "Choose the programme the trust entered."
        if self.programme != Programme.NONE and not self.programme_entered_on:
            errors["programme_entered_on"] = "Enter the date the trust entered the programme."
        if (
            self.programme_entered_on
            and self.programme_exited_on
            and self.programme_exited_on < self.programme_entered_on
        ):
            errors["programme_exited_on"] = "A trust cannot leave a programme before it entered it."
        if self.improvement_funding is not None and self.improvement_funding < 0:
            errors["improvement_funding"] = "Funding cannot be negative."
        try:
            edition = self.edition_info
        except ValueError:
            errors["edition"] = "Choose a framework edition Wellled knows."
        else:
            errors.update(
                edition.placement_errors(
                    segment=self.segment,
                    score=self.average_score,
                    rank=self.rank,
                    financial_override=self.financial_override,
                )
            )
        if self.ranked_among is not None and self.rank is None:
            errors["rank"] = "Enter the rank, or leave both rank and 'out of' blank."
        elif self.ranked_among is not None and self.rank is not None and self.rank > self.ranked_among:
            errors["rank"] = f"The rank cannot be beyond the {self.ranked_among} trusts ranked."
        if errors:
            raise ValidationError(errors)

    @property
    def edition_info(self) -> Edition:
        """The framework edition this status was given under."""
        return frameworks().edition(self.edition)

    @property
    def segment_meaning(self) -> SegmentMeaning:
        """The segment with the meaning it had in the status's edition."""
        return self.edition_info.segment(self.segment)

    @property
    def segment_text(self) -> str:
        """For example "4: Lowest performing quarter (2025/26 framework)"."""
        try:
            return f"{self.segment_meaning.text} ({self.edition_info.short})"
        except ValueError:
            return f"Segment {self.segment}"

    @property
    def programme_name(self) -> str:
        """The programme as it was called on the status's date (a renamed programme keeps its history)."""
        named = frameworks().programme_name(self.programme, self.effective_from)
        return named or self.get_programme_display()

    @property
    def rank_text(self) -> str:
        if self.rank is None:
            return ""
        return f"{self.rank} of {self.ranked_among}" if self.ranked_among else str(self.rank)


class ExitCriterion(models.Model):
    """A condition agreed with a trust for leaving intensive support, shown with its evidence and the latest
    judgement of whether it is met."""

    oversight_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="exit_criteria")
    reference = models.CharField(max_length=20, help_text="For example EC3.")
    title = models.CharField(max_length=300)
    description = LimitedTextField(max_length=limits.EXIT_CRITERION_CHARS, blank=True)
    agreed_on = models.DateField()
    order = models.PositiveIntegerField(default=0)
    sustained_judgements = models.PositiveSmallIntegerField(
        "judgements in a row",
        null=True,
        blank=True,
        default=DEFAULT_SUSTAINED_JUDGEMENTS,
        help_text="Met only once judged met this many times in a row (blank: by months alone).",
    )
    sustained_months = models.PositiveSmallIntegerField(
        "months met",
        null=True,
        blank=True,
        help_text="Or met only once judged met throughout this many months (blank: by judgements alone).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["trust__name", "order", "reference"]
        verbose_name_plural = "exit criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["oversight_body", "trust", "reference"], name="oversight_exit_criterion_unique_ref"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        if not self.sustained_judgements and not self.sustained_months:
            raise ValidationError(
                {
                    "sustained_judgements": "Say how long the criterion must stay met: judgements in a row, or months."
                }
            )

    @property
    def sustained_rule_text(self) -> str:
        """The criterion's rule for being met, in words."""
        parts = []
        if self.sustained_judgements:
            parts.append(f"{self.sustained_judgements} judgements in a row")
        if self.sustained_months:
            parts.append(f"{self.sustained_months} months")
        return "Met once judged met for " + " or ".join(parts)


class ExitCriterionJudgement(AppendOnly, models.Model):
    """The oversight body's judgement of one exit criterion at a date, with its reasons; kept as history."""

    edit_refused = "A judgement is never changed: record a new one."
    delete_refused = "A judgement is history and is kept."

    criterion = models.ForeignKey(ExitCriterion, on_delete=models.PROTECT, related_name="judgements")
    judgement = models.CharField(max_length=12, choices=Judgement.choices)
    judged_on = models.DateField()
    rationale = LimitedTextField(max_length=limits.EXIT_JUDGEMENT_CHARS)
    judged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-judged_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["criterion", "judged_on"])]

    def __str__(self) -> str:
        return f"{self.criterion.reference}: {self.get_judgement_display()} on {padded_date(self.judged_on)}"


@dataclass(frozen=True)
class Sustained:
    """Whether a criterion is met under its rule on a day: the run of "met" judgements up to its latest judgement,
    and the months from the first to the last of them."""

    met: bool
    run: int
    months: int
    since: datetime.date | None
    rule: str

    @property
    def text(self) -> str:
        if self.met:
            return f"Met and sustained: judged met {self.run} times in a row since {long_date(self.since)}"
        if self.run:
            return (
                f"Met, not yet sustained: judged met {self.run} "
                f"{'time' if self.run == 1 else 'times'} in a row over {self.months} months since "
                f"{long_date(self.since)} ({self.rule.lower()})"
            )
        return "Not met"


def sustained_read(
    criterion: ExitCriterion, judgements: Sequence[ExitCriterionJudgement], on: datetime.date | None = None
) -> Sustained:
    """Read a criterion's judgements (any order) on a day: met only when the judgements up to then end in a run
    of "met" as long as its rule asks, counted in judgements or in months from the first to the last of the run."""
    on = on or timezone.localdate()
    ordered = sorted(
        (j for j in judgements if j.judged_on <= on),
        key=lambda j: (j.judged_on, j.recorded_at, j.pk or 0),
        reverse=True,
    )
    run: list[ExitCriterionJudgement] = []
    for judgement in ordered:
        if judgement.judgement != Judgement.MET:
            break
        run.append(judgement)
    if not run:
        return Sustained(False, 0, 0, None, criterion.sustained_rule_text)
    months = months_between(run[-1].judged_on, run[0].judged_on)
    needed_run, needed_months = criterion.sustained_judgements, criterion.sustained_months
    by_count = needed_run is not None and needed_run > 0 and len(run) >= needed_run
    by_months = needed_months is not None and needed_months > 0 and months >= needed_months
    return Sustained(
        by_count or by_months, len(run), months, run[-1].judged_on, criterion.sustained_rule_text
    )


class ExitCriterionEvidence(models.Model):
    """A record of the trust's (an action, a measure, an assessment, an issued paper) offered as evidence for an
    exit criterion; `label` keeps what it was called when linked."""

    criterion = models.ForeignKey(ExitCriterion, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=12, choices=EvidenceKind.choices)
    object_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=300)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "label"]
        verbose_name_plural = "exit criterion evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "kind", "object_id"], name="oversight_evidence_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"


class OversightNote(models.Model):
    """An oversight body's own note about a trust of its portfolio (a visit, a call, a concern): private to the
    body, so the trust's people never see it."""

    oversight_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    noted_on = models.DateField("date")
    text = LimitedTextField("note", max_length=limits.OVERSIGHT_NOTE_CHARS)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-noted_on", "-written_at", "-id"]
        indexes = [models.Index(fields=["oversight_body", "trust", "noted_on"])]

    def __str__(self) -> str:
        return f"Note on {self.trust} of {padded_date(self.noted_on)}"


class ImprovementBoardMeeting(models.Model):
    """A meeting of the trust's improvement board (the trust with its oversight body and partners) held to check
    progress out of intensive support. The trust's own record (ADR 0039): its governance editors write it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="improvement_board_meetings"
    )
    held_on = models.DateField("date")
    chair = models.CharField(max_length=200, blank=True)
    attendees = LimitedTextField(max_length=limits.IMPROVEMENT_BOARD_ATTENDEES_CHARS, blank=True)
    status = models.CharField(max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = LimitedTextField(
        "notes or minutes", max_length=limits.IMPROVEMENT_BOARD_MINUTES_CHARS, blank=True
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return f"Improvement board of {padded_date(self.held_on)}"


class MeetingAgendaItem(models.Model):
    """One item on an improvement board meeting's agenda, with what was said about it."""

    meeting = models.ForeignKey(
        ImprovementBoardMeeting, on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    notes = LimitedTextField(max_length=limits.IMPROVEMENT_BOARD_MINUTES_CHARS, blank=True)

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title


class MeetingAction(models.Model):
    """An ordinary Wellled action raised at an improvement board meeting: the action lives in one of the trust's
    plans (updated, reported and closed there); this row only says which meeting raised it."""

    meeting = models.ForeignKey(ImprovementBoardMeeting, on_delete=models.CASCADE, related_name="raised")
    action = models.ForeignKey("plans.Action", on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "raised_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "action"], name="oversight_meeting_action_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: action {self.action_id}"


class RegulatoryAction(models.Model):
    """Formal action a regulator took against a trust (licence undertakings, a CQC warning or requirement notice,
    other enforcement), from the day issued to the day lifted; kept by the oversight body beside the status."""

    oversight_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="regulatory_actions")
    kind = models.CharField(max_length=24, choices=RegulatoryActionKind.choices)
    reference = models.CharField(max_length=60, blank=True, help_text="The regulator's reference, if any.")
    summary = LimitedTextField(max_length=limits.OVERSIGHT_NOTE_CHARS)
    issued_on = models.DateField("issued on")
    lifted_on = models.DateField("lifted on", null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["trust", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} issued {padded_date(self.issued_on)}"

    def clean(self) -> None:
        if self.lifted_on and self.issued_on and self.lifted_on < self.issued_on:
            raise ValidationError({"lifted_on": "An action cannot be lifted before it was issued."})

    def in_force(self, on: datetime.date | None = None) -> bool:
        """Issued by the day and not lifted by it."""
        on = on or timezone.localdate()
        return self.issued_on <= on and (self.lifted_on is None or self.lifted_on > on)


class ExitRecommendation(models.Model):
    """A recommendation that a trust leave intensive support (who made it, when, why) and the decision on it
    (accepted or declined, by whom, when, why): both audited, neither deleted."""

    oversight_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="exit_recommendations")
    recommended_on = models.DateField()
    recommended_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = LimitedTextField(max_length=limits.EXIT_JUDGEMENT_CHARS)
    decision = models.CharField(max_length=10, choices=ExitDecision.choices, default=ExitDecision.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = optional_link(User, related_name="+")
    decision_reason = LimitedTextField(max_length=limits.EXIT_JUDGEMENT_CHARS, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-recommended_on", "-id"]

    def __str__(self) -> str:
        return f"Exit recommended for {self.trust} on {padded_date(self.recommended_on)}"
