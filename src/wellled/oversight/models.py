"""Oversight of a trust by an oversight body: its oversight status over time, and the exit criteria agreed for
leaving intensive support, each with evidence from the trust's records and judgements over time (ADR 0038).

Each record belongs to the oversight body that keeps it (`oversight_body`) and is about one trust of its portfolio
(`trust`); the trust's people see their own trust's status and exit criteria, read-only, never the body's notes.
Improvement board meetings are the trust's own (ADR 0039): its governance editors write them, the body reads them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from wellled.core import limits
from wellled.core.fields import optional_link
from wellled.core.formatting import padded_date
from wellled.core.limits import LimitedTextField
from wellled.core.models import AppendOnly, Organisation, User

from .choices import EvidenceKind, Judgement, MeetingStatus, Programme, Segment


class OversightStatus(AppendOnly, models.Model):
    """A trust's oversight position from a date: segment, support programme, improvement director, buddy and
    funding. Never edited: a change is a new record, so the history reads as it was."""

    edit_refused = "An oversight status is never changed: record the new position from its date instead."
    delete_refused = "An oversight status is history and is kept."

    oversight_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    trust = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="oversight_statuses")
    effective_from = models.DateField(help_text="The day this position took effect.")
    segment = models.PositiveSmallIntegerField(choices=Segment.choices)
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
        if errors:
            raise ValidationError(errors)


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
