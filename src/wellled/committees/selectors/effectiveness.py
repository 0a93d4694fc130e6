"""The annual effectiveness review of a committee (ADR 0063): its questions, from the committee-effectiveness
framework file, and the facts Wellled holds for the year beside the committee's answers (terms of reference
reviewed in date, cycle of business planned against done, attendance of members)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from wellled.core.formatting import long_date
from wellled.frameworks.models import Framework, FrameworkElement

from ..choices import QUORATE_ROLES, Attendance, CycleStatus, MeetingStatus
from ..models import Committee, CycleEntry, EffectivenessReview, MeetingAttendance

# The framework file's key (frameworks/data/committee_effectiveness.yaml) and its answers, in words.
FRAMEWORK_KEY = "committee-effectiveness"
RATINGS = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}
# Attendance that counts as a member being there: present, or a deputy sent (a deputy does not count to quorum,
# but the member took part).
THERE = (Attendance.PRESENT, Attendance.DEPUTY)


def questions() -> list[FrameworkElement]:
    """The review's questions, in the file's order (the latest shipped version)."""
    framework = (
        Framework.objects.filter(key=FRAMEWORK_KEY, organisation__isnull=True).order_by("-version").first()
    )
    if framework is None:
        return []
    return list(framework.elements.order_by("order"))


@dataclass(frozen=True)
class Facts:
    """What Wellled knows of the committee's year, set beside the review's answers."""

    terms_text: str
    terms_in_date: bool | None  # None: no approved terms of reference
    cycle_planned: int
    cycle_done: int
    meetings_held: int
    attendance_rate: int | None  # per cent of members' places at held meetings taken; None: nothing recorded

    @property
    def cycle_text(self) -> str:
        if not self.cycle_planned:
            return "No cycle of business items were due this year."
        return f"{self.cycle_done} of {self.cycle_planned} items due this year were done."

    @property
    def attendance_text(self) -> str:
        if self.attendance_rate is None:
            return f"No attendance recorded at the {self.meetings_held} meetings held."
        return (
            f"Members attended {self.attendance_rate}% of their places at {self.meetings_held} meetings held."
        )


def facts(committee: Committee, year: int) -> Facts:
    """The year's facts for one committee: in a fixed number of queries."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    terms = (
        committee.terms.filter(approved_on__isnull=False, approved_on__lte=end).order_by("-number").first()
    )
    if terms is None:
        terms_text, in_date = "No terms of reference approved by the board.", None
    else:
        review = terms.next_review_on
        in_date = review is not None and review >= min(end, timezone.localdate())
        terms_text = f"Version {terms.number}, approved {long_date(terms.approved_on)}; " + (
            f"review due {long_date(review)}" + ("." if in_date else ", overdue.")
            if review
            else "no review date set."
        )
    entries = CycleEntry.objects.filter(
        cycle_item__committee=committee, due_month__gte=start, due_month__lte=end
    )
    planned = entries.count()
    done = entries.filter(status=CycleStatus.DONE).count()
    places = MeetingAttendance.objects.filter(
        meeting__committee=committee,
        meeting__starts_at__date__gte=start,
        meeting__starts_at__date__lte=end,
        meeting__status__in=(MeetingStatus.HELD, MeetingStatus.INQUORATE),
        role__in=QUORATE_ROLES,
    )
    total = places.count()
    there = places.filter(attendance__in=THERE).count()
    held = committee.meetings.filter(
        starts_at__date__gte=start,
        starts_at__date__lte=end,
        status__in=(MeetingStatus.HELD, MeetingStatus.INQUORATE),
    ).count()
    return Facts(
        terms_text=terms_text,
        terms_in_date=in_date,
        cycle_planned=planned,
        cycle_done=done,
        meetings_held=held,
        attendance_rate=round(100 * there / total) if total else None,
    )


def review_of(committee: Committee, year: int) -> EffectivenessReview | None:
    return EffectivenessReview.objects.filter(committee=committee, year=year).first()
