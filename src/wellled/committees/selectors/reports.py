"""Reads for chair's reports (ADR 0062): the meetings whose chair reports, the alert candidates Wellled suggests, the
decisions taken under delegation and the items referred elsewhere. Every read is limited to the person's trust, and
private items only to those committees.access lets see them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from wellled.core.formatting import day_text
from wellled.core.models import Organisation, User
from wellled.core.selectors import get_or_404, scoped
from wellled.measures.models import Measure
from wellled.plans.selectors import ActionFilters, plan_actions
from wellled.risks.choices import RiskStatus
from wellled.risks.models import Risk, above_tolerance_q

from ..access import private_committee_ids, sees_private
from ..choices import LOW_ASSURANCE, ItemPart, MeetingStatus, ReportSection, ReportStatus
from ..models import ChairsReport, Committee, Decision, Escalation, Meeting
from .committees import own
from .meetings import meetings_for_user

# The Making Data Count icons that make a measure an exception for the committee's alert (spc.types): special cause
# of concern, in either direction, or a process that will consistently fail its target.
CONCERN_VARIATIONS = ("concern_high", "concern_low")
FAILING_ASSURANCE = "fail"


def report_meetings(*, user: User, organisation: Organisation) -> QuerySet[Meeting]:
    """Held meetings of committees that report to another (not the board's own), latest first, with their report."""
    return (
        meetings_for_user(user=user, organisation=organisation)
        .filter(committee__reports_to__isnull=False)
        .exclude(status__in=(MeetingStatus.PLANNED, MeetingStatus.CANCELLED))
        .select_related("chairs_report", "chairs_report__issued_paper")
        .order_by("-starts_at")
    )


def _reports(*, user: User, organisation: Organisation) -> QuerySet[ChairsReport]:
    """Every chair's report of the trust's committees, drafts too, for its own people: what the reads below narrow."""
    return own(
        ChairsReport.objects.select_related(
            "meeting__committee__reports_to",
            "meeting__committee__organisation",
            "confirmed_by",
            "issued_paper",
        ),
        user=user,
        organisation=organisation,
        path="meeting__committee__organisation",
    )


def _escalations(*, user: User, organisation: Organisation) -> QuerySet[Escalation]:
    """Every item referred between the trust's committees, for its own people: what the reads below narrow."""
    return own(
        Escalation.objects.select_related(
            "from_committee", "to_committee", "from_item", "received_item__meeting"
        ),
        user=user,
        organisation=organisation,
        path="from_committee__organisation",
    )


def report_get(*, user: User, organisation: Organisation, pk) -> ChairsReport:
    """One chair's report of the trust's committees, or 404."""
    return get_or_404(_reports(user=user, organisation=organisation), pk=pk)


def report_of(meeting: Meeting) -> ChairsReport | None:
    try:
        return meeting.chairs_report
    except ChairsReport.DoesNotExist:
        return None


def section_titles(committee: Committee) -> dict[str, str]:
    """The report's section titles: Alert, Advise, Assure unless the committee renamed them (a highlight report)."""
    titles = committee.report_titles if isinstance(committee.report_titles, dict) else {}
    return {s.value: str(titles.get(s.value) or s.label) for s in ReportSection}


@dataclass(frozen=True)
class Candidate:
    """Something Wellled suggests the chair alerts the board to; `key` identifies it in the form."""

    key: str
    kind: str  # in words: "IPR exception", "Principal risk above tolerance" ...
    text: str


def alert_candidates(*, user: User, meeting: Meeting) -> list[Candidate]:
    """What the committee may need to alert the board to after this meeting: its IPR exceptions, its principal risks
    above tolerance, items where it took limited or no assurance, and overdue actions on its action log."""
    committee = meeting.committee
    organisation = committee.organisation
    on = timezone.localdate(meeting.starts_at)
    found: list[Candidate] = []
    measures = (
        scoped(Measure.objects.filter(committee=committee), user=user, organisation=organisation)
        .filter(
            Q(spc_summary__variation__in=CONCERN_VARIATIONS) | Q(spc_summary__assurance=FAILING_ASSURANCE)
        )
        .select_related("spc_summary")
        .order_by("name")
    )
    for m in measures:
        why = []
        if m.spc_summary.variation in CONCERN_VARIATIONS:
            why.append("special cause of concern")
        if m.spc_summary.assurance == FAILING_ASSURANCE:
            why.append("consistently failing its target")
        found.append(Candidate(f"measure-{m.pk}", "IPR exception", f"{m.name}: {' and '.join(why)}"))
    risks = (
        scoped(Risk.objects.filter(committee=committee, principal=True), user=user, organisation=organisation)
        .exclude(status=RiskStatus.CLOSED)
        .filter(above_tolerance_q())
        .select_related("objective", "category")
        .order_by("reference")
    )
    for r in risks:
        found.append(
            Candidate(
                f"risk-{r.pk}",
                "Principal risk above tolerance",
                f"{r.reference} {r.title}: scores {r.current_score} against a tolerance of {r.tolerance}",
            )
        )
    items = meeting.items.filter(assurance__in=LOW_ASSURANCE).order_by("position")
    if not sees_private(user, committee):
        items = items.filter(part=ItemPart.PUBLIC)
    for item in items:
        found.append(
            Candidate(
                f"item-{item.pk}",
                "Limited or no assurance",
                f"{item.title}: {item.get_assurance_display().lower()} assurance",
            )
        )
    if committee.action_log is not None:
        rows = plan_actions(
            user=user,
            organisation=organisation,
            plan=committee.action_log,
            filters=ActionFilters(overdue=True),
            on=on,
            history=False,
        )
        for row in rows:
            due = f", due {day_text(row.position.due_date)}" if row.position.due_date else ""
            found.append(
                Candidate(f"action-{row.pk}", "Overdue action", f"{row.reference} {row.action.title}{due}")
            )
    return found


def delegated_decisions(*, user: User, meeting: Meeting) -> list[Decision]:
    """Decisions the meeting took under powers the board delegated (on items the person may see)."""
    decisions = meeting.decisions.filter(under_delegation=True).select_related("item")
    if not sees_private(user, meeting.committee):
        decisions = decisions.exclude(item__part=ItemPart.PRIVATE)
    return list(decisions.order_by("pk"))


def referred_items(*, user: User, meeting: Meeting) -> list[Escalation]:
    """Items this meeting referred up or across, with the committee each went to."""
    escalations = Escalation.objects.filter(from_committee=meeting.committee).filter(
        Q(from_item__meeting=meeting)
        | Q(from_item__isnull=True, raised_on=timezone.localdate(meeting.starts_at))
    )
    if not sees_private(user, meeting.committee):
        escalations = escalations.exclude(from_item__part=ItemPart.PRIVATE)
    return list(escalations.select_related("to_committee").order_by("pk"))


def next_meeting(committee: Committee, *, after: datetime.datetime) -> Meeting | None:
    """The committee's next planned meeting after a moment: where a report or a referred item goes."""
    return (
        Meeting.objects.filter(committee=committee, status=MeetingStatus.PLANNED, starts_at__gt=after)
        .order_by("starts_at", "pk")
        .first()
    )


def escalations_for_user(*, user: User, organisation: Organisation) -> list[Escalation]:
    """Items referred between the trust's committees, latest first; one from a private item only for those who see
    the private items of the committee it came from or went to."""
    rows = _escalations(user=user, organisation=organisation).order_by("-raised_on", "-pk")[:200]
    seen: dict[int, bool] = {}

    def may(committee: Committee) -> bool:
        if committee.pk not in seen:
            seen[committee.pk] = sees_private(user, committee)
        return seen[committee.pk]

    return [
        e
        for e in rows
        if e.from_item is None or not e.from_item.private or may(e.from_committee) or may(e.to_committee)
    ]


def reports_for_user(*, user: User, organisation: Organisation) -> QuerySet[ChairsReport]:
    """The trust's chair's reports the chair has confirmed or issued, latest meeting first: a draft is the chair's
    working copy and is read on its page only."""
    return (
        _reports(user=user, organisation=organisation)
        .filter(status__in=(ReportStatus.CONFIRMED, ReportStatus.ISSUED))
        .order_by("-meeting__starts_at", "-pk")
    )


def escalations_seen(*, user: User, organisation: Organisation) -> QuerySet[Escalation]:
    """`escalations_for_user` as a query (for paging and filtering): an item referred from a private item only for
    those who see the private items of the committee it came from or went to (committees.access)."""
    visible = Committee.objects.filter(private_committee_ids(user, organisation.pk)).values("pk")
    return (
        _escalations(user=user, organisation=organisation)
        .filter(
            Q(from_item__isnull=True)
            | ~Q(from_item__part=ItemPart.PRIVATE)
            | Q(from_committee__in=visible)
            | Q(to_committee__in=visible)
        )
        .order_by("-raised_on", "-pk")
    )
