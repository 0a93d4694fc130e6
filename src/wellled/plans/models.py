"""Improvement plans: sections, actions with their timescales, findings, progress updates and reporting cycles."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wellled.core import limits
from wellled.core.fields import optional_link, person_who
from wellled.core.formatting import iso_day
from wellled.core.limits import LimitedTextField
from wellled.core.models import AppendOnly, DeliveryStatus, Organisation, User
from wellled.frameworks.models import Framework, FrameworkElement

from .choices import (
    ActionState,
    CycleState,
    DatePrecision,
    FindingSource,
    FindingType,
    ImportState,
    PlanKind,
    PlanOrganisedBy,
)
from .position.action import is_overdue, state_from_changes
from .position.dates import POSITION_IN_FUTURE
from .position.query import overdue_q, undelivered_q


class Plan(models.Model):
    """An action plan, e.g. a well-led self-review or the response to a CQC inspection."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=PlanKind.choices, default=PlanKind.SELF_REVIEW)
    organised_by = models.CharField(
        max_length=20, choices=PlanOrganisedBy.choices, default=PlanOrganisedBy.FRAMEWORK
    )
    framework = optional_link(Framework, related_name="+")
    description = LimitedTextField(max_length=limits.PLAN_DESCRIPTION_CHARS, blank=True)
    part_b_actions_in_part_a = models.BooleanField(
        "repeat Part B's actions in Part A",
        default=False,
        help_text="Print the actions that answer a finding, and sit in no section, in Part A as well as Part B.",
    )
    archived = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["archived", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="plans_plan_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A part of a plan: a framework element such as W1, or a workstream with its executive lead."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    framework_element = optional_link(FrameworkElement, related_name="+")
    executive_lead = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purpose = LimitedTextField(
        max_length=limits.SECTION_PURPOSE_CHARS,
        blank=True,
        help_text="What the workstream is for, printed under its heading.",
    )
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plans_section_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def organisation_id(self) -> int:
        return self.plan.organisation_id


class Finding(models.Model):
    """A numbered finding (Part B): from a CQC inspection or a self-review, answered by actions."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField()
    text = LimitedTextField(max_length=limits.FINDING_TEXT_CHARS)
    finding_type = models.CharField(
        max_length=30,
        choices=FindingType.choices,
        default=FindingType.MUST_DO,
        blank=True,
        help_text="Empty when the report gave the finding no category (none is invented).",
    )
    regulation = models.CharField(max_length=200, blank=True, help_text="For a breach, e.g. Regulation 17.")
    source = models.CharField(
        max_length=30, choices=FindingSource.choices, default=FindingSource.CQC_INSPECTION
    )
    source_date = models.DateField(null=True, blank=True)
    framework_element = optional_link(FrameworkElement, related_name="+")
    version = models.PositiveIntegerField(default=1)

    # The keys of the actions answering it, by reference, when read for the plan page (plans.selectors).
    answered_by: list[int]

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_finding_unique_number")]

    def __str__(self) -> str:
        return f"Finding {self.number}"


# A reference an action-plan spreadsheet can carry and bring back: one word with a letter or digit in it (no
# spaces: "W1 a" in a file is a heading), not ending in "." or ":" (a file's numbering adds those: "1." is read as
# 1). The importer (spreadsheet/interpret.py, reference_of and word_reference_of) reads the same.
REFERENCE_RE = r"^(?=\S*\w)\S*[^\s.:]$"
REFERENCE_RULE = (
    "Use a reference of one word, with no spaces and not ending in a full stop or colon, for example W1a, QS "
    "or QS-2: a spreadsheet could not carry it otherwise."
)
REFERENCE_VALIDATOR = RegexValidator(REFERENCE_RE, REFERENCE_RULE)


class ActionQuerySet(models.QuerySet):
    """The delivery rules in a query's words (ADR 0012), as plans.position.query writes them."""

    def undelivered(self) -> ActionQuerySet:
        """Open actions whose latest status does not mean delivered (no status counts as not delivered)."""
        return self.filter(undelivered_q())

    def overdue(self, on: datetime.date) -> ActionQuerySet:
        """Undelivered actions past their current timescale on a day."""
        return self.filter(overdue_q(on))


class Action(models.Model):
    """A planned action with a reference, a lead, a timescale that may be revised, and a delivery status."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    section = optional_link(Section, related_name="actions")
    reference = models.CharField(max_length=20, validators=[REFERENCE_VALIDATOR])
    title = LimitedTextField("planned action", max_length=limits.ACTION_TITLE_CHARS)
    lead = optional_link(User, related_name="led_actions")
    other_leads = models.ManyToManyField(User, blank=True, related_name="co_led_actions")
    lead_note = models.CharField(
        max_length=100, blank=True, help_text="When no single person leads, e.g. Varied."
    )
    success_measure = LimitedTextField(max_length=limits.SUCCESS_MEASURE_CHARS, blank=True)
    findings = models.ManyToManyField(Finding, blank=True, related_name="actions")
    due_date = models.DateField(null=True, blank=True, help_text="The current timescale (latest revision).")
    due_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    state = models.CharField(max_length=10, choices=ActionState.choices, default=ActionState.OPEN)
    assurance_evidence = LimitedTextField(
        max_length=limits.ASSURANCE_EVIDENCE_CHARS,
        blank=True,
        help_text="Evidence of assurance when the action is closed.",
    )
    status = optional_link(
        DeliveryStatus,
        related_name="+",
        help_text="The latest progress update's status.",
    )
    last_update_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every save; refuses stale edits.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    # Kept on an action read with the plan as it stands (plans.selectors._standing_detail), absent otherwise.
    co_leads_read: list[User]
    findings_read: list[Finding]
    timescales_read: list[TimescaleRevision]

    class Meta:
        ordering = ["plan", "order", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="plans_action_unique_reference")
        ]
        indexes = [models.Index(fields=["plan", "status"]), models.Index(fields=["lead", "state"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title[:80]}"

    def clean(self) -> None:
        if self.section_id and self.section.plan_id != self.plan_id:
            raise ValidationError({"section": "The section must belong to the same plan."})

    @property
    def leads_display(self) -> str:
        """Leads as boards write them: 'DMc / AK / MS', or the note (e.g. 'Varied')."""
        people = ([self.lead] if self.lead else []) + [p for p in self.co_leads if p != self.lead]
        return " / ".join(p.display_initials for p in people) or self.lead_note

    @property
    def co_leads(self) -> list[User]:
        """The other leads in the order they were written (their links' order), prefetched or read now."""
        read = getattr(self, "co_leads_read", None)  # read with the plan as it stands (plans.selectors)
        if read is not None:
            return list(read)
        if "other_leads" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.other_leads.all())
        links = Action.other_leads.through._meta.db_table
        return list(self.other_leads.extra(order_by=[f"{links}.id"]))

    @property
    def is_delivered(self) -> bool:
        """Its latest delivery status means delivered (G, B): no longer overdue nor chased for updates."""
        return self.status_id is not None and self.status.is_complete

    def is_overdue(self, on: datetime.date) -> bool:
        """Open, not yet delivered, and past its current timescale (plans.position's rule)."""
        return is_overdue(state=self.state, delivered=self.is_delivered, due_date=self.due_date, on=on)


class ActionStateChange(AppendOnly, models.Model):
    """One change of an action's state (open, completed, closed) with its evidence; never edited, so a paper for
    an earlier date shows the state the action had then."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(max_length=10, choices=ActionState.choices)
    state = models.CharField(max_length=10, choices=ActionState.choices)
    assurance_evidence = LimitedTextField(max_length=limits.ASSURANCE_EVIDENCE_CHARS, blank=True)
    created_by = person_who()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["action", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action.reference}: {self.from_state} to {self.state}"

    edit_refused = "State changes cannot be edited; set the state again instead."
    delete_refused = "State changes cannot be deleted."


def state_at(action: Action, moment: datetime.datetime) -> str:
    """The action's state at a moment, from its state changes (prefetched as `state_changes`, oldest first)."""
    return state_from_changes(action.state, list(action.state_changes.all()), moment)


class TimescaleRevision(AppendOnly, models.Model):
    """One timescale of an action: the original, then every revision with its reason (never edited)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="timescales")
    due_date = models.DateField()
    precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    reason = models.CharField(max_length=500, blank=True)
    position_date = models.DateField(
        null=True,
        blank=True,
        help_text="The position from which this timescale stands (imported history: the workbook's position "
        "date); empty means the day it was recorded.",
    )
    created_by = person_who()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["action", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action.reference} due {self.due_date}"

    edit_refused = "Timescale records cannot be changed; record a new revision instead."
    delete_refused = "Timescale records cannot be deleted."


# Updates may be asked for up to a month after the position date ("position as at 31 December, updates by
# 7 January"): a paper is written after the date it describes.
UPDATE_DEADLINE_AFTER_POSITION = datetime.timedelta(days=31)
UPDATE_DEADLINE_TOO_LATE = "The deadline for updates can be at most 31 days after the position date."


class ReportingCycle(models.Model):
    """A round of progress reporting for a plan, ending in a board paper 'position as at' a date."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=120)
    position_as_at = models.DateField()
    update_deadline = models.DateField()
    state = models.CharField(max_length=10, choices=CycleState.choices, default=CycleState.OPEN)
    opened_at = models.DateTimeField()
    opened_by = person_who()
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(state="open"), name="plans_one_open_cycle_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.update_deadline
            and self.position_as_at
            and self.update_deadline > self.position_as_at + UPDATE_DEADLINE_AFTER_POSITION
        ):
            raise ValidationError({"update_deadline": UPDATE_DEADLINE_TOO_LATE})


UPDATE_DATE_IN_FUTURE = POSITION_IN_FUTURE


class ProgressUpdateQuerySet(models.QuerySet):
    """Progress updates can be added and read, never changed or removed in bulk (append-only, like the audit log)."""

    def update(self, **kwargs):
        raise PermissionError("Progress updates cannot be changed; record a correction instead.")

    def delete(self):
        raise PermissionError("Progress updates cannot be deleted; record a correction instead.")


class ProgressUpdate(AppendOnly, models.Model):
    """A lead's dated progress update with a proposed delivery status; append-only, corrections supersede."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    cycle = optional_link(ReportingCycle, related_name="updates")
    narrative = LimitedTextField(max_length=limits.PROGRESS_NARRATIVE_CHARS)
    status = models.ForeignKey(DeliveryStatus, on_delete=models.PROTECT, related_name="+")
    update_date = models.DateField(
        "position as at",
        help_text="The position the update reports: its cycle's position date, or a date of its own (ADR 0032).",
    )
    awaited = models.BooleanField(
        default=False,
        help_text="For this position the lead's update was awaited (an imported 'UPDATE AWAITED'): the text and "
        "status are carried from before.",
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["action", "-update_date", "-created_at", "-id"]
        indexes = [models.Index(fields=["action", "created_at"]), models.Index(fields=["cycle", "action"])]

    def __str__(self) -> str:
        return f"Update to {self.action.reference} on {self.update_date}"

    @property
    def is_late(self) -> bool:
        """Recorded after its cycle's deadline for updates (a day later, in the trust's time zone)."""
        return (
            self.cycle_id is not None
            and timezone.localtime(self.created_at).date() > self.cycle.update_deadline
        )

    edit_refused = "Progress updates cannot be changed; record a correction instead."
    delete_refused = "Progress updates cannot be deleted; record a correction instead."


class ReminderSent(models.Model):
    """A reminder e-mailed to a lead during a cycle (kept so the editor sees who was chased, and when)."""

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action_count = models.PositiveIntegerField()
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Reminder to {self.recipient} on {iso_day(self.sent_at)}"


class PlanImport(models.Model):
    """A spreadsheet uploaded to create or update a plan, held until someone checks the preview and imports it.

    The file's bytes are kept only while it waits (and dropped once imported or expired); its name, size and
    checksum stay, with what the import did, so the plan's history can say which file changed it.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
        help_text="Empty when the import creates a new plan.",
    )
    plan_name = models.CharField(max_length=200, blank=True, help_text="The new plan's name.")
    plan_kind = models.CharField(max_length=30, choices=PlanKind.choices, blank=True)
    file_name = models.CharField(max_length=200)
    position_as_at = models.DateField(
        null=True, blank=True, help_text="The position date given on upload; it dates every imported update."
    )
    content = models.BinaryField(blank=True, editable=False)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.PENDING)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    applied_by = optional_link(User, related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="What the import did, for its result page.")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["organisation", "state", "uploaded_at"])]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"

    @property
    def target_name(self) -> str:
        return self.plan.name if self.plan_id else self.plan_name


class ActionStanding(models.Model):
    """An action's position as its plan stands on a day, worked out by plans.position and kept by the services
    that change it (same transaction), so a portfolio counts every trust's delivery in one query (ADR 0061).
    Overdue and awaited are judged from it in the database on the day read (plans.position.stored)."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, primary_key=True, related_name="standing")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    status = models.ForeignKey(
        DeliveryStatus,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The delivery status its position shows; empty: none yet.",
    )
    state = models.CharField(max_length=10, choices=ActionState.choices)
    due_date = models.DateField(null=True, blank=True, help_text="The timescale standing on the day.")
    awaited_as_shown = models.BooleanField(
        default=False, help_text="The update shown was imported as awaited for this very date."
    )
    cycle_unanswered = models.BooleanField(
        default=False, help_text="The day's reporting cycle has no real update from the action yet."
    )
    stands_on = models.DateField(help_text="The day it was worked out for.")
    stands_until = models.DateField(
        null=True,
        blank=True,
        help_text="The first later day on which it may read differently with nothing new recorded (a dated "
        "update, revision or cycle comes into force); empty: never.",
    )
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "stands_until"])]

    def __str__(self) -> str:
        return f"Standing position of action {self.action_id}"
