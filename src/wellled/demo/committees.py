"""Demo step: the demo trust's board and committees (issue 22, ADR 0056), read from `data/committees.yaml`: the
non-executives added, each committee with its members and approved terms of reference owning BAF risks, last
month's meeting held with attendance, minutes, decisions and actions, and next month's planned with its agenda."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from wellled.committees.choices import Attendance, ItemPart, MeetingStatus, MemberRole, Seat
from wellled.committees.models import Committee
from wellled.committees.services import committees as committee_services
from wellled.committees.services import meetings as meeting_services
from wellled.core.models import User
from wellled.risks.models import Risk

from .loader import DemoDates, Writer, data, say_to
from .plans import demo_person_create, demo_trust

CONTENT: dict[str, Any] = data("committees.yaml")
SEATS = {"ne": Seat.NON_EXECUTIVE, "ex": Seat.EXECUTIVE, "ot": Seat.OTHER}
# When the demo's meetings sit: the second Tuesday of last month and of next month, at ten.
MEETING_HOUR = 10


def _second_tuesday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(1 - first.weekday()) % 7 + 7)


def _month(today: datetime.date, step: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 + step
    return index // 12, index % 12 + 1


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(MEETING_HOUR)))


def _agenda(meeting, items, by: User, risks: list[Risk]) -> list[Any]:
    made = []
    for title, purpose, part in items:
        made.append(
            meeting_services.item_add(
                meeting=meeting,
                by=by,
                title=title,
                purpose=purpose,
                part=ItemPart(part),
                risks=risks[:1] if purpose == "assurance" else [],
            )
        )
    return made


def _held(
    committee: Committee, spec: dict, day: datetime.date, by: User, people: dict, risks: list[Risk]
) -> None:
    meeting = meeting_services.meeting_schedule(
        committee=committee,
        by=by,
        starts_at=_at(day),
        ends_at=_at(day) + datetime.timedelta(hours=2),
        place="Boardroom, Northmoor General Hospital",
        papers_due_at=_at(day - datetime.timedelta(days=7)),
    )
    items = _agenda(meeting, spec["items"], by, risks)
    members = committee.members.filter(left_on__isnull=True).select_related("person")
    rows = [
        meeting_services.Attended(
            m.person, Attendance.APOLOGIES if m.role == MemberRole.IN_ATTENDANCE else Attendance.PRESENT
        )
        for m in members
    ]
    meeting_services.attendance_record(meeting=meeting, by=by, rows=rows)
    meeting = meeting_services.meeting_record_held(meeting=meeting, by=by, expected_version=meeting.version)
    for item, minute, assurance in zip(
        items, spec.get("minutes", []), spec.get("assurance", []), strict=False
    ):
        meeting_services.minute_record(
            item=item, by=by, expected_version=item.version, minute=minute, assurance=assurance
        )
    for position, text in spec.get("decisions", []):
        meeting_services.decision_record(meeting=meeting, by=by, text=text, item=items[position - 1])
    for position, title, owner, days in spec.get("actions", []):
        meeting_services.action_raise(
            meeting=meeting,
            by=by,
            title=title,
            lead=people[owner],
            due_date=day + datetime.timedelta(days=days),
            item=items[position - 1],
        )


def committees_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Load the demo trust's committees and their meetings, once; returns the number of committees added."""
    say = say_to(stdout)
    dates = dates or DemoDates()
    organisation = demo_trust(say, missing="no committees added")
    if organisation is None:
        return 0
    if Committee.objects.filter(organisation=organisation).exists():
        say("Demo committees are already loaded; nothing changed.")
        return 0
    by = User.objects.get(username=CONTENT["secretary"])
    domain = str(by.email).rpartition("@")[2]
    last = _second_tuesday(*_month(dates.today, -1))
    coming = _second_tuesday(*_month(dates.today, 1))
    with transaction.atomic():
        for person in CONTENT["non_executives"]:
            if not User.objects.filter(username=person["username"]).exists():
                demo_person_create(
                    person, organisation=organisation, role="viewer", email_domain=domain, by=by
                )
        names = {m[0] for spec in CONTENT["committees"] for m in spec["members"]}
        people = {u.username: u for u in User.objects.filter(username__in=names)}
        made: dict[str, Committee] = {}
        for spec in CONTENT["committees"]:
            committee = committee_services.committee_create(
                organisation=organisation,
                by=by,
                name=spec["name"],
                short_name=spec["short"],
                kind=spec["kind"],
                reports_to=made.get(spec.get("reports_to", "")),
                statutory=spec.get("statutory", False),
                audit_committee=spec.get("audit_committee", False),
                frequency=spec.get("frequency", "monthly"),
            )
            made[spec["name"]] = committee
            for username, role, seat in spec["members"]:
                committee_services.member_add(
                    committee=committee,
                    by=by,
                    person=people[username],
                    role=role,
                    seat=SEATS[seat],
                    title=people[username].job_title,
                )
            terms = spec["terms"]
            risks = list(Risk.objects.filter(organisation=organisation, reference__in=terms["risks"]))
            members, non_executives, executives = terms["quorum"]
            draft = committee_services.terms_draft(
                committee=committee,
                by=by,
                purpose=terms["purpose"],
                duties=terms["duties"],
                reporting=f"Reports to the {spec.get('reports_to', 'council of governors')} after each meeting.",
                quorum_members=members,
                quorum_non_executives=non_executives,
                quorum_executives=executives,
                risks=risks,
            )
            committee_services.terms_approve(
                terms=draft,
                by=by,
                approved_on=dates.today - datetime.timedelta(days=200),
                approved_by=made["Trust Board"],
                next_review_on=dates.today + datetime.timedelta(days=165),
            )
            _held(committee, spec["last"], last, by, people, risks)
            planned = meeting_services.meeting_schedule(
                committee=committee,
                by=by,
                starts_at=_at(coming),
                ends_at=_at(coming) + datetime.timedelta(hours=2),
                place="Boardroom, Northmoor General Hospital",
                papers_due_at=_at(coming - datetime.timedelta(days=7)),
            )
            _agenda(planned, spec["next"]["items"], by, risks)
    held = sum(1 for c in made.values() if c.meetings.filter(status=MeetingStatus.HELD).exists())
    say(f"Added {len(made)} demo committees to {organisation.name}, {held} with last month's meeting held.")
    return len(made)
