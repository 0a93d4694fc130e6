"""Demo step: chair's reports, escalation and the BAF by committee (issue 22, ADR 0062). Runs after the committees
step: it looks the demo trust's committees up by name and does nothing when there are none. It links the BAF's lead
committee texts, records each committee's review of its principal risks, issues the chair's report of last month's
meetings onto the next agenda of the body each committee reports to, and refers one item up."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.committees.choices import AssuranceLevel, MeetingStatus
from wellled.committees.models import ChairsReport, Committee, Escalation, Meeting, RiskReview
from wellled.committees.selectors.links import link_proposals
from wellled.committees.selectors.reports import alert_candidates
from wellled.committees.services.escalations import escalation_raise
from wellled.committees.services.links import risks_link
from wellled.committees.services.reports import chairs_report_issue, chairs_report_save
from wellled.committees.services.risk_reviews import risk_review_record
from wellled.core.selectors import command_actor
from wellled.risks.models import Risk

from .loader import DemoDates, Writer, say_to
from .plans import demo_trust

# What the demo's chairs report, in the demo's own words (the alert section also takes Wellled's suggestions).
ADVISE = "The committee approved its revised terms of reference for the board's ratification next month."
ASSURE = "The committee took reasonable assurance on the delivery of the quality improvement plan."
ESCALATED = (
    "Estates backlog affecting ward environments",
    "Needs investment beyond the committee's delegation",
)
REVIEW_ASSURANCE = (AssuranceLevel.REASONABLE, AssuranceLevel.LIMITED, AssuranceLevel.SUBSTANTIAL)


def committees_reports_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Link, review, report and escalate in the demo trust once; returns the number of chair's reports issued."""
    say = say_to(stdout)
    dates = dates or DemoDates()
    organisation = demo_trust(say, missing="no chair's reports added")
    if organisation is None:
        return 0
    committees = list(Committee.objects.filter(organisation=organisation).select_related("reports_to"))
    if not committees:
        say("The demo trust has no committees yet; no chair's reports added.")
        return 0
    if ChairsReport.objects.filter(meeting__committee__organisation=organisation).exists():
        say("Demo chair's reports are already loaded; nothing changed.")
        return 0
    by = command_actor(organisation=organisation, username=None)
    with transaction.atomic():
        proposals = link_proposals(user=by, organisation=organisation)
        linked = risks_link(
            organisation=organisation, by=by, chosen={p.text: p.committee for p in proposals if p.committee}
        )
        reviews = _reviews(organisation, by, dates.today)
    issued = 0
    month_ago = timezone.make_aware(
        datetime.datetime.combine(dates.today, datetime.time())
    ) - datetime.timedelta(days=45)
    held = (
        Meeting.objects.filter(
            committee__organisation=organisation,
            committee__reports_to__isnull=False,
            starts_at__gte=month_ago,
            starts_at__lte=timezone.now(),
        )
        .exclude(status__in=(MeetingStatus.PLANNED, MeetingStatus.CANCELLED))
        .select_related("committee__reports_to")
        .order_by("starts_at")
    )
    escalated = False
    for meeting in held:
        if not escalated and meeting.committee.reports_to is not None:
            first = meeting.items.order_by("position").first()
            escalation_raise(
                from_committee=meeting.committee,
                to_committee=meeting.committee.reports_to,
                from_item=first if first is not None and not first.private else None,
                title=ESCALATED[0],
                reason=ESCALATED[1],
                by=by,
                raised_on=timezone.localdate(meeting.starts_at),
            )
            escalated = True
        report = chairs_report_save(meeting=meeting, by=by, advise=ADVISE, assure=ASSURE)
        report = chairs_report_save(
            meeting=meeting,
            by=by,
            expected_version=report.version,
            advise=ADVISE,
            assure=ASSURE,
            candidates=alert_candidates(user=by, meeting=meeting)[:4],
            confirm=True,
        )
        try:
            chairs_report_issue(report=report, by=by)
        except ValidationError as exc:  # the body it reports to has no meeting planned: it stays confirmed
            say(f"The chair's report of {meeting} stays confirmed: {' '.join(exc.messages)}")
        else:
            issued += 1
    say(
        f"Linked {linked} risks to committees, recorded {reviews} committee reviews, issued {issued} chair's "
        f"reports and {Escalation.objects.filter(from_committee__organisation=organisation).count()} escalation."
    )
    return issued


def _reviews(organisation, by, today: datetime.date) -> int:
    """Each principal risk linked to a committee reviewed by it: most recently, one deep dive a cycle ago."""
    count = 0
    risks = Risk.objects.filter(organisation=organisation, principal=True, committee__isnull=False).order_by(
        "reference"
    )
    for n, risk in enumerate(risks):
        if RiskReview.objects.filter(risk=risk).exists():
            continue
        committee = Committee.objects.get(risks=risk)
        # Every third risk last reviewed longer ago than its committee's cycle, so the BAF shows the flag.
        days_ago = committee.cycle_days + 10 if n % 3 == 2 else 12 + n
        risk_review_record(
            committee=committee,
            risk=risk,
            by=by,
            reviewed_on=today - datetime.timedelta(days=days_ago),
            assurance=REVIEW_ASSURANCE[n % len(REVIEW_ASSURANCE)],
            deep_dive=n % 2 == 0,
            note="Deep dive into the controls and the gaps in assurance." if n % 2 == 0 else "",
        )
        count += 1
    return count
