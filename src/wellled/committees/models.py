"""Committees, their terms of reference, cycle of business and meetings (issue 22, ADR 0055).

A trust is led through its board and the board's committees: each committee is a node of a tree, holds members and
versions of its terms of reference, plans its year as a cycle of business and meets; each meeting has an agenda of
items with papers, attendance, minutes, decisions and an action log whose actions are plan actions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from wellled.core import limits
from wellled.core.fields import optional_link
from wellled.core.formatting import day_text, month_year
from wellled.core.limits import LimitedTextField
from wellled.core.models import Organisation, User
from wellled.plans.models import Action, Plan
from wellled.reports.models import IssuedPaper

from .choices import (
    MEETINGS_A_YEAR,
    AssuranceLevel,
    Attendance,
    CommitteeKind,
    CycleSource,
    CycleStatus,
    EscalationStatus,
    Frequency,
    ItemPart,
    ItemPurpose,
    MeetingStatus,
    MemberRole,
    MinutesStatus,
    PaperSource,
    Recurrence,
    ReportStatus,
    Seat,
)

DAYS_A_YEAR = 366  # a leap year's length, so a committee's cycle is never a day short


def cycle_days(frequency: str) -> int:
    """Days in one cycle of a committee meeting at this frequency (a year shared among its meetings, rounded up)."""
    return -(-DAYS_A_YEAR // MEETINGS_A_YEAR.get(Frequency(frequency), 12))


class Committee(models.Model):
    """The board, a board committee, a sub-committee or an executive group, and the committee it reports to."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="committees")
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="How agendas and the BAF abbreviate it."
    )
    kind = models.CharField(max_length=12, choices=CommitteeKind.choices)
    reports_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reporting_committees"
    )
    statutory = models.BooleanField(
        default=False, help_text="Required by statute or the NHS provider licence."
    )
    # An audit committee is made of non-executives only (HFMA NHS Audit Committee Handbook): checked on its members.
    audit_committee = models.BooleanField(
        default=False, help_text="Its members must all be non-executives (no executive directors)."
    )
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY)
    # The plan whose actions are this committee's action log (made when the first action is raised).
    action_log = models.OneToOneField(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="committee_of_log"
    )
    # The section titles of its chair's report; empty means Alert, Advise, Assure (issue 22: configurable).
    report_titles = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="committees_committee_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def cycle_days(self) -> int:
        """The days between its meetings by its frequency: a principal risk it leads on and has not reviewed in this
        long is flagged on the BAF (read by risks through the relation, without importing committees)."""
        return cycle_days(self.frequency)

    def clean(self) -> None:
        parent = self.reports_to
        if parent is None:
            return
        if parent.organisation_id != self.organisation_id:
            raise ValidationError({"reports_to": "A committee reports to a committee of the same trust."})
        seen = {self.pk}
        node: Committee | None = parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"reports_to": "A committee cannot report, through others, to itself."})
            seen.add(node.pk)
            node = node.reports_to


class CommitteeMember(models.Model):
    """A person's place on a committee: their role and whether they sit as a non-executive or an executive."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="committee_places")
    role = models.CharField(max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    seat = models.CharField(max_length=10, choices=Seat.choices, default=Seat.EXECUTIVE)
    title = models.CharField(
        max_length=200, blank=True, help_text="e.g. Chief Nurse; shown on attendance lists."
    )
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["committee", "role", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "person"],
                condition=models.Q(left_on__isnull=True),
                name="committees_member_current_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.committee})"


class TermsOfReference(models.Model):
    """One version of a committee's terms of reference, approved by the board on a date, with its quorum rule."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField("version")
    purpose = LimitedTextField(max_length=limits.COMMITTEE_TERMS_CHARS)
    duties = LimitedTextField(
        max_length=limits.COMMITTEE_TERMS_CHARS, help_text="Duties delegated by the board."
    )
    membership = LimitedTextField(max_length=limits.COMMITTEE_TERMS_CHARS, blank=True)
    reporting = LimitedTextField(
        "reporting line", max_length=limits.COMMITTEE_TERMS_CHARS, blank=True, help_text="To whom and how."
    )
    # The quorum rule, checked against each meeting's attendance (issue 22): at least this many members present,
    # of whom at least this many non-executives and this many executives.
    quorum_members = models.PositiveSmallIntegerField(default=3)
    quorum_non_executives = models.PositiveSmallIntegerField(default=0)
    quorum_executives = models.PositiveSmallIntegerField(default=0)
    # The principal risks on the BAF this committee owns (risks app; linked by label, no import: ADR 0055).
    risks = models.ManyToManyField("risks.Risk", blank=True, related_name="+")
    approved_on = models.DateField(null=True, blank=True, help_text="When the board approved this version.")
    approved_by = optional_link(Committee, related_name="+", help_text="Usually the board.")
    next_review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)  # a draft's optimistic lock (ADR 0056)

    class Meta:
        ordering = ["committee", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="committees_terms_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} terms of reference, version {self.number}"


class CycleItem(models.Model):
    """An item the committee's annual cycle of business asks for: what, from where, how often and in which months."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="cycle_items")
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=12, choices=CycleSource.choices, default=CycleSource.DUTY)
    recurrence = models.CharField(max_length=10, choices=Recurrence.choices, default=Recurrence.EVERY_MEETING)
    months = models.JSONField(default=list, blank=True, help_text="Month numbers (1–12) it is due in.")
    purpose = models.CharField(max_length=12, choices=ItemPurpose.choices, default=ItemPurpose.ASSURANCE)
    part = models.CharField(max_length=8, choices=ItemPart.choices, default=ItemPart.PUBLIC)
    lead = optional_link(User, related_name="+")
    # The Wellled paper that answers it, when one does (a reports paper kind key such as "ipr" or "baf").
    paper_kind = models.CharField(max_length=10, blank=True)
    # optional_link's options, written out: it types its target as a class, and this one is named by its label.
    risk = models.ForeignKey(
        "risks.Risk",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The principal risk of a BAF deep dive.",
    )
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["committee", "title"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """One meeting of a committee: when and where, its status, and when its papers are due."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True, help_text="A room, or a link to join.")
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    papers_due_at = models.DateTimeField(null=True, blank=True, help_text="Papers after this are late.")
    minutes_status = models.CharField(
        max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    minutes_approved_at = models.ForeignKey(  # optional_link's options: its target is this model itself
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The meeting at which these minutes were approved.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee", "starts_at"]

    def __str__(self) -> str:
        return f"{self.committee}, {day_text(self.starts_at)}"


class AgendaItem(models.Model):
    """An item on a meeting's agenda: its purpose, presenter, time, public or private part and the risks it bears on."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    purpose = models.CharField(max_length=12, choices=ItemPurpose.choices, default=ItemPurpose.ASSURANCE)
    part = models.CharField(max_length=8, choices=ItemPart.choices, default=ItemPart.PUBLIC)
    presenter = optional_link(User, related_name="+")
    minutes_allowed = models.PositiveSmallIntegerField(default=10)
    risks = models.ManyToManyField("risks.Risk", blank=True, related_name="+")
    cycle_item = optional_link(CycleItem, related_name="agenda_items")
    # What the committee took from it, recorded with the minutes.
    minute = LimitedTextField(max_length=limits.COMMITTEE_MINUTE_CHARS, blank=True)
    assurance = models.CharField(max_length=12, choices=AssuranceLevel.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def private(self) -> bool:
        return self.part == ItemPart.PRIVATE


class Paper(models.Model):
    """A paper for an agenda item with its cover sheet: a Wellled paper issued for the meeting, or an upload."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=8, choices=PaperSource.choices)
    issued_paper = optional_link(IssuedPaper, related_name="+")
    file = models.FileField(upload_to="committees/papers/", blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    # The cover sheet (issue 22): purpose comes from the item; these say what the paper is for.
    summary = LimitedTextField(max_length=limits.COMMITTEE_COVER_CHARS, blank=True)
    considered_before = LimitedTextField(
        "where considered before", max_length=limits.COMMITTEE_COVER_CHARS, blank=True
    )
    assurance_sought = LimitedTextField(max_length=limits.COMMITTEE_COVER_CHARS, blank=True)
    author = optional_link(User, related_name="+")
    submitted_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def late(self) -> bool:
        """Submitted after the meeting's deadline for papers."""
        due = self.item.meeting.papers_due_at
        return due is not None and self.submitted_at > due


class CycleEntry(models.Model):
    """A cycle of business item due at one meeting month: planned, on an agenda, deferred (with why) or done."""

    cycle_item = models.ForeignKey(CycleItem, on_delete=models.CASCADE, related_name="entries")
    due_month = models.DateField(help_text="The first day of the month it is due.")
    status = models.CharField(max_length=10, choices=CycleStatus.choices, default=CycleStatus.PLANNED)
    agenda_item = optional_link(AgendaItem, related_name="cycle_entries")
    deferred_reason = LimitedTextField(max_length=limits.COMMITTEE_DECISION_CHARS, blank=True)
    deferred_to = models.DateField(
        null=True, blank=True, help_text="The month a deferred item rolls forward to."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["cycle_item", "due_month"]
        constraints = [
            models.UniqueConstraint(fields=["cycle_item", "due_month"], name="committees_cycle_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_item} due {month_year(self.due_month)}"


class MeetingAttendance(models.Model):
    """Whether a member (or someone in attendance) was at a meeting; quorum is counted from these rows."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    seat = models.CharField(max_length=10, choices=Seat.choices, default=Seat.EXECUTIVE)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default=Attendance.PRESENT)
    deputy = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "role", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="committees_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}: {self.get_attendance_display()}"


class Declaration(models.Model):
    """A declaration of interest made at a meeting, on an item or on the whole meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    item = optional_link(AgendaItem, related_name="declarations")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    interest = LimitedTextField(max_length=limits.COMMITTEE_DECISION_CHARS)
    action_taken = models.CharField(max_length=300, blank=True, help_text="e.g. left the room for item 7.")

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return f"Declaration by {self.person} at {self.meeting}"


class Decision(models.Model):
    """A decision a committee took, kept as its own searchable list."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = optional_link(AgendaItem, related_name="decisions")
    text = LimitedTextField(max_length=limits.COMMITTEE_DECISION_CHARS)
    under_delegation = models.BooleanField(
        default=False, help_text="Taken under powers the board delegated; listed in the chair's report."
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting__starts_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class MeetingAction(models.Model):
    """An action from a meeting on the committee's rolling action log; the action itself is a plan action."""

    action = models.OneToOneField(Action, on_delete=models.PROTECT, related_name="meeting_link")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = optional_link(AgendaItem, related_name="actions")

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return f"Action from {self.meeting}"


class ChairsReport(models.Model):
    """The chair's report of a meeting to the board (Alert, Advise, Assure); issued into the board's next pack."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="chairs_report")
    alert = LimitedTextField(max_length=limits.COMMITTEE_REPORT_CHARS, blank=True)
    advise = LimitedTextField(max_length=limits.COMMITTEE_REPORT_CHARS, blank=True)
    assure = LimitedTextField(max_length=limits.COMMITTEE_REPORT_CHARS, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    confirmed_by = optional_link(User, related_name="+")
    issued_paper = optional_link(IssuedPaper, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-meeting__starts_at"]

    def __str__(self) -> str:
        return f"Chair's report of {self.meeting}"


class Escalation(models.Model):
    """An item referred up (sub-committee to committee to board) or across, with a reason; it appears on the
    receiving committee's next agenda and in the referring chair's report."""

    from_committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="escalations_out")
    to_committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="escalations_in")
    from_item = optional_link(AgendaItem, related_name="escalations")
    title = models.CharField(max_length=300)
    reason = LimitedTextField(max_length=limits.COMMITTEE_DECISION_CHARS)
    raised_on = models.DateField()
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    received_item = optional_link(AgendaItem, related_name="received_escalations")
    status = models.CharField(
        max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.RAISED
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-raised_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} (to {self.to_committee})"


class RiskReview(models.Model):
    """A committee's review or deep dive of a principal risk: when, the assurance it took, the score it proposed."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="risk_reviews")
    risk = models.ForeignKey("risks.Risk", on_delete=models.CASCADE, related_name="committee_reviews")
    meeting = optional_link(Meeting, related_name="risk_reviews")
    reviewed_on = models.DateField()
    deep_dive = models.BooleanField(default=False)
    assurance = models.CharField(max_length=12, choices=AssuranceLevel.choices)
    proposed_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    proposed_consequence = models.PositiveSmallIntegerField(null=True, blank=True)
    note = LimitedTextField(max_length=limits.COMMITTEE_DECISION_CHARS, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["risk", "-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.committee} review of {self.risk} on {self.reviewed_on}"


class CalendarFeed(models.Model):
    """A person's secret address for their meetings as an iCalendar feed: only the SHA-256 of the token is kept, so
    the address is shown once, and revoking it (or making a new one) stops the old address working."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-created_at"]

    def __str__(self) -> str:
        return f"Meetings calendar of {self.person}"


class MeetingPack(models.Model):
    """A meeting's pack asked for by the governance team: the background job that builds it and, once issued, the
    frozen paper (one PDF and one Word file, each with its SHA-256) of the full or the public pack (ADR 0057)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    public = models.BooleanField(default=False, help_text="The public pack: without the private items.")
    job = models.OneToOneField(
        "reports.PaperJob", on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_pack"
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_to = models.PositiveIntegerField(default=0, help_text="How many members were sent its link.")

    class Meta:
        ordering = ["meeting", "-created_at"]

    def __str__(self) -> str:
        return f"{'Public pack' if self.public else 'Pack'} for {self.meeting}"

    @property
    def paper_id(self) -> int | None:
        """The issued pack, once its job is done."""
        return self.job.paper_id if self.job is not None else None


class EffectivenessReview(models.Model):
    """A committee's annual review of its own effectiveness (ADR 0063): its answers to the questions of the
    committee-effectiveness framework file, by question code, as {"rating": ..., "comment": ...}."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="effectiveness_reviews")
    year = models.PositiveSmallIntegerField(help_text="The calendar year reviewed.")
    answers = models.JSONField(default=dict, blank=True)
    updated_by = optional_link(User, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["committee", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="committees_review_one_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} effectiveness review {self.year}"
