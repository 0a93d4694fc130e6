"""The annual effectiveness review of a committee (ADR 0063): its answers to the framework file's questions beside
what Wellled knows of the year (terms of reference in date, cycle of business delivered, attendance), recorded by
the committee's chair or the governance team, read by the trust's members, and by no one else."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.committees.builders import build_board
from tests.factories import make_organisation, make_person

from wellled.committees.choices import Attendance, CycleStatus, MeetingStatus, MemberRole
from wellled.committees.models import CycleEntry, CycleItem, EffectivenessReview, MeetingAttendance
from wellled.committees.selectors.effectiveness import facts, questions
from wellled.committees.services.effectiveness import effectiveness_review_save
from wellled.core.choices import AuditAction, OrganisationKind, Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import AS_IT_STANDS, ConcurrentEditError
from wellled.core.services import organisation_create, portfolio_trust_add

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def b():
    board = build_board()
    board.meeting.starts_at = timezone.make_aware(datetime.datetime(YEAR, 1, 15, 10))
    board.meeting.status = MeetingStatus.HELD
    board.meeting.save()
    MeetingAttendance.objects.create(meeting=board.meeting, person=board.chair, role=MemberRole.CHAIR)
    MeetingAttendance.objects.create(
        meeting=board.meeting, person=board.member, attendance=Attendance.APOLOGIES
    )
    item = CycleItem.objects.create(committee=board.quality, title="Annual safeguarding report")
    for month, status in ((1, CycleStatus.DONE), (2, CycleStatus.DEFERRED), (3, CycleStatus.DONE)):
        CycleEntry.objects.create(cycle_item=item, due_month=datetime.date(YEAR, month, 1), status=status)
    CycleEntry.objects.create(cycle_item=item, due_month=datetime.date(YEAR - 1, 12, 1), status="done")
    board.people = {
        "administrator": make_person(board.org, Role.ADMINISTRATOR),
        "governance": board.governance,
        "lead": make_person(board.org, Role.LEAD),
        "viewer": board.outsider,
        "chair": board.chair,
        "member": board.member,
    }
    return board


def _page(b):
    return reverse("committee-effectiveness", args=[b.quality.pk, YEAR])


def test_the_questions_come_from_the_framework_file():
    assert [q.name for q in questions()] == [
        "Membership and attendance",
        "Terms of reference reviewed",
        "Cycle of business delivered",
        "Quality of papers",
        "Assurance to the board",
        "Relationships",
    ]


def test_the_facts_count_the_cycle_and_attendance_of_the_year_only(b):
    known = facts(b.quality, YEAR)
    assert (known.cycle_planned, known.cycle_done) == (3, 2)
    assert known.attendance_rate == 50 and known.meetings_held == 1
    assert known.terms_in_date is True  # reviewed by April next year, per the builder
    assert facts(b.sub, YEAR).terms_in_date is None


def test_the_chair_records_the_review_audited_and_a_stale_save_is_refused(b):
    review = effectiveness_review_save(
        committee=b.quality,
        year=YEAR,
        answers={"E1": {"rating": "met", "comment": "Quorate every time"}},
        by=b.chair,
    )
    assert review.answers == {"E1": {"rating": "met", "comment": "Quorate every time"}}
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(review.pk)).exists()
    with pytest.raises(ConcurrentEditError):
        effectiveness_review_save(committee=b.quality, year=YEAR, answers={}, by=b.chair, expected_version=0)
    with pytest.raises(ValidationError) as refused:
        effectiveness_review_save(
            committee=b.quality,
            year=YEAR,
            answers={"E1": {"rating": "maybe"}},
            by=b.chair,
            expected_version=1,
        )
    assert "rating_E1" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        effectiveness_review_save(
            committee=b.quality, year=YEAR, answers={}, by=b.member, expected_version=AS_IT_STANDS
        )


# Who reads the page and who records: every role of the trust reads; the chair and the governance team record.
READS = {"administrator", "governance", "lead", "viewer", "chair", "member"}
WRITES = {"administrator", "governance", "chair"}


def test_each_role_reads_the_page_and_only_the_chair_and_governance_record(client, login, b):
    for who, person in b.people.items():
        client.logout()
        login(person)
        page = client.get(_page(b))
        assert page.status_code == 200, who
        text = page.content.decode()
        assert "2 of 3 items due this year were done" in text
        assert ("Save the review" in text) == (who in WRITES), who
        saved = EffectivenessReview.objects.filter(committee=b.quality, year=YEAR).first()
        body = {
            "rating_E4": "partly_met",
            "comment_E4": f"By {who}",
            "version": saved.version if saved else "",
        }
        posted = client.post(_page(b), body)
        assert posted.status_code == (302 if who in WRITES else 403), who
    review = EffectivenessReview.objects.get(committee=b.quality, year=YEAR)
    assert review.answers["E4"]["rating"] == "partly_met"


def test_another_trust_and_an_oversight_body_get_not_found(client, login, b):
    elsewhere = make_person(make_organisation(), Role.ADMINISTRATOR)
    region = organisation_create(name="A Region", ods_code="ZR079", by=None, kind=OrganisationKind.OVERSIGHT)
    portfolio_trust_add(oversight_body=region, trust=b.org, by=None, joined_on=datetime.date(2024, 1, 1))
    overseer = make_person(region, Role.ADMINISTRATOR)
    login(elsewhere)
    assert client.get(_page(b)).status_code == 404
    assert client.post(_page(b), {"rating_E1": "met"}).status_code == 404
    client.logout()
    login(overseer)
    session = client.session
    session["wellled_organisation_id"] = b.org.pk
    session.save()
    assert client.get(_page(b)).status_code == 404
    assert not EffectivenessReview.objects.exists()
    other = build_board()
    client.logout()
    login(b.governance)
    assert client.get(reverse("committee-effectiveness", args=[other.quality.pk, YEAR])).status_code == 404
