"""The fixed vocabularies of committees and meetings (issue 22), in the words governance teams use."""

from __future__ import annotations

from django.db import models

# The assurance a committee took from an item is the scale the BAF's assurances use (internal audit's words): one home.
from wellled.risks.choices import AssuranceLevel


class CommitteeKind(models.TextChoices):
    BOARD = "board", "Board"
    BOARD_COMMITTEE = "committee", "Board committee"
    SUB_COMMITTEE = "sub", "Sub-committee"
    EXECUTIVE_GROUP = "executive", "Executive group"


class Frequency(models.TextChoices):
    """How often a committee meets; the figure is meetings a year, for the cycle of business."""

    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    TWICE_YEARLY = "twice", "Twice a year"
    ANNUALLY = "annually", "Once a year"


MEETINGS_A_YEAR = {
    Frequency.MONTHLY: 12,
    Frequency.BIMONTHLY: 6,
    Frequency.QUARTERLY: 4,
    Frequency.TWICE_YEARLY: 2,
    Frequency.ANNUALLY: 1,
}


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice chair"
    MEMBER = "member", "Member"
    REQUIRED = "required", "Required attendee"
    IN_ATTENDANCE = "attending", "In attendance"


# Roles that count towards quorum: attendees are not members (a committee's terms of reference say who votes).
QUORATE_ROLES = frozenset({MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.MEMBER})


class Seat(models.TextChoices):
    """Which side of the board a member sits on; quorum rules and the audit committee rule count by it."""

    NON_EXECUTIVE = "non_exec", "Non-executive"
    EXECUTIVE = "exec", "Executive"
    OTHER = "other", "Other (officer, governor, partner)"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"
    INQUORATE = "inquorate", "Inquorate"


class ItemPurpose(models.TextChoices):
    DECISION = "decision", "For decision"
    ASSURANCE = "assurance", "For assurance"
    DISCUSSION = "discussion", "For discussion"
    INFORMATION = "information", "For information"


class ItemPart(models.TextChoices):
    """A board's meeting in public and its private part; a private item is seen only by members and governance."""

    PUBLIC = "public", "Public"
    PRIVATE = "private", "Private"


LOW_ASSURANCE = frozenset({AssuranceLevel.LIMITED, AssuranceLevel.NONE})


class Attendance(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    DEPUTY = "deputy", "Apologies, deputy sent"
    ABSENT = "absent", "Absent"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class PaperSource(models.TextChoices):
    """A paper is one of Wellled's own, issued and frozen for the meeting, or a file someone uploaded."""

    WELLLED = "wellled", "Wellled paper"
    UPLOAD = "upload", "Uploaded file"
    VERBAL = "verbal", "Verbal update"


class Recurrence(models.TextChoices):
    """How often the cycle of business asks for an item."""

    EVERY_MEETING = "every", "Every meeting"
    QUARTERLY = "quarterly", "Quarterly"
    TWICE_YEARLY = "twice", "Twice a year"
    ANNUAL = "annual", "Annual"
    AD_HOC = "ad_hoc", "As needed"


class CycleSource(models.TextChoices):
    """Where a cycle of business item comes from."""

    DUTY = "duty", "Duty in the terms of reference"
    BAF_DEEP_DIVE = "baf", "BAF deep dive"
    IPR = "ipr", "Integrated performance report"
    REGULATORY = "regulatory", "Regulatory report"
    ANNUAL_REPORT = "annual", "Annual report or accounts"
    OTHER = "other", "Other"


class CycleStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ON_AGENDA = "on_agenda", "On an agenda"
    DEFERRED = "deferred", "Deferred"
    DONE = "done", "Done"


class ReportSection(models.TextChoices):
    """The chair's report to the board in Alert / Advise / Assure form; the titles each trust can rename."""

    ALERT = "alert", "Alert"
    ADVISE = "advise", "Advise"
    ASSURE = "assure", "Assure"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONFIRMED = "confirmed", "Confirmed by the chair"
    ISSUED = "issued", "Issued"


class EscalationStatus(models.TextChoices):
    RAISED = "raised", "Raised"
    ON_AGENDA = "on_agenda", "On the receiving agenda"
    CLOSED = "closed", "Closed"
