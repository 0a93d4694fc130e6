"""Every committees and meetings page for every role (ADR 0056): the governance team changes things, the trust's
people read, a non-member never sees a private item, another trust's administrator and an oversight body get 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.committees.builders import build_board
from tests.factories import make_organisation, make_person

from wellled.committees.choices import Attendance, MeetingStatus
from wellled.committees.models import AgendaItem, CommitteeMember, Decision, Meeting
from wellled.committees.services import meetings as services
from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create, portfolio_trust_add

pytestmark = pytest.mark.django_db

# Pages only the governance team opens (GET) and the buttons only it presses (POST): everyone else gets 403.
MANAGE_GET = [
    ("committee-create", None),
    ("committee-edit", "quality"),
    ("committee-member-add", "quality"),
    ("committee-member-edit", "place"),
    ("committee-terms-create", "quality"),
    ("committee-terms-edit", "terms"),
    ("committee-terms-approve", "terms"),
    ("committee-meeting-create", "quality"),
    ("committee-meeting-edit", "meeting"),
    ("agenda-item-create", "meeting"),
    ("agenda-item-edit", "public_item"),
    ("agenda-item-minute", "public_item"),
]
MANAGE_POST = [
    "committee-meeting-cancel",
    "committee-meeting-held",
    "committee-meeting-attendance",
    "committee-meeting-declare",
    "committee-meeting-decide",
    "committee-meeting-act",
    "committee-meeting-approve",
]
ITEM_POST = ["agenda-item-move", "agenda-item-remove"]
# Pages every person of the trust reads.
READ = [
    ("committee-list", None),
    ("committee-detail", "quality"),
    ("committee-history", "quality"),
    ("committee-actions", "quality"),
    ("committee-terms-detail", "terms"),
    ("committee-meeting-list", None),
    ("committee-meeting-detail", "meeting"),
    ("committee-meeting-history", "meeting"),
    ("decision-list", None),
    ("meeting-calendar", None),
]
PAGES_WITH_KEYS = [p for p in MANAGE_GET + READ if p[1]]


@pytest.fixture
def world():
    b = build_board()
    people = {
        "administrator": make_person(b.org, Role.ADMINISTRATOR),
        "governance_editor": b.governance,
        "lead": make_person(b.org, Role.LEAD),
        "viewer": b.outsider,
        "member": b.chair,  # a viewer of the trust who chairs the quality committee
    }
    objects = {
        "quality": b.quality,
        "meeting": b.meeting,
        "public_item": b.public_item,
        "private_item": b.private_item,
        "terms": b.quality.terms.get(),
        "place": CommitteeMember.objects.get(committee=b.quality, person=b.chair),
    }
    return b, people, objects


def _url(name, key, objects):
    return reverse(name, args=[objects[key].pk] if key else [])


@pytest.mark.parametrize("who", ["administrator", "governance_editor"])
def test_the_governance_team_opens_every_page(world, login, client, who):
    b, people, objects = world
    login(people[who])
    for name, key in MANAGE_GET + READ:
        assert client.get(_url(name, key, objects)).status_code == 200, name
    private = client.get(reverse("agenda-item-edit", args=[b.private_item.pk]))
    assert private.status_code == 200


@pytest.mark.parametrize("who", ["lead", "viewer", "member"])
def test_the_trusts_people_read_but_do_not_change(world, login, client, who):
    b, people, objects = world
    login(people[who])
    for name, key in READ:
        assert client.get(_url(name, key, objects)).status_code == 200, name
    for name, key in MANAGE_GET:
        assert client.get(_url(name, key, objects)).status_code == 403, name
    for name in MANAGE_POST:
        assert client.post(reverse(name, args=[b.meeting.pk]), {"version": 1}).status_code == 403, name
    for name in ITEM_POST:
        assert client.post(reverse(name, args=[b.public_item.pk])).status_code == 403, name
    assert Meeting.objects.get(pk=b.meeting.pk).status == MeetingStatus.PLANNED
    assert AgendaItem.objects.filter(meeting=b.meeting).count() == 2


def test_a_non_member_never_sees_a_private_item_and_a_member_does(world, login, client):
    b, people, objects = world
    services.decision_record(
        meeting=b.meeting, by=b.governance, text="Commission a review of the cluster.", item=b.private_item
    )
    for who in ("lead", "viewer"):
        login(people[who])
        page = client.get(reverse("committee-meeting-detail", args=[b.meeting.pk])).content.decode()
        assert "Integrated performance report: quality" in page
        assert "Serious incident" not in page and "Commission a review" not in page
        assert "1 private item not shown" in page
        decisions = client.get(reverse("decision-list") + "?q=review").content.decode()
        assert "Commission a review" not in decisions
        assert client.get(reverse("agenda-item-edit", args=[b.private_item.pk])).status_code == 404
        client.logout()
    login(people["member"])
    page = client.get(reverse("committee-meeting-detail", args=[b.meeting.pk])).content.decode()
    assert "Serious incident: confidential briefing" in page and "Commission a review of the cluster." in page


def test_another_trusts_administrator_gets_404_and_sees_nothing_in_lists(world, login, client):
    b, people, objects = world
    other = make_person(make_organisation(), Role.ADMINISTRATOR)
    login(other)
    for name, key in PAGES_WITH_KEYS:
        assert client.get(_url(name, key, objects)).status_code == 404, name
    for name in MANAGE_POST:
        assert client.post(reverse(name, args=[b.meeting.pk]), {"version": 1}).status_code == 404, name
    for name in ITEM_POST:
        assert client.post(reverse(name, args=[b.private_item.pk])).status_code == 404, name
    for name in ("committee-list", "committee-meeting-list", "decision-list"):
        assert "Quality Committee" not in client.get(reverse(name)).content.decode()


def test_an_oversight_body_sees_none_of_a_trusts_committees(world, login, client):
    b, people, objects = world
    region = organisation_create(
        name="Test Region", ods_code="ZR009", by=None, kind=OrganisationKind.OVERSIGHT
    )
    portfolio_trust_add(
        oversight_body=region,
        trust=b.org,
        by=None,
        joined_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    director = make_person(region, Role.GOVERNANCE_EDITOR)
    login(director)
    switched = client.post(reverse("organisation-switch"), {"organisation": b.org.pk, "next": "/"})
    assert switched.status_code == 302
    for name, key in PAGES_WITH_KEYS:
        assert client.get(_url(name, key, objects)).status_code == 404, name
    assert "Quality Committee" not in client.get(reverse("committee-list")).content.decode()


def test_a_governance_editor_runs_a_meeting_from_its_page(world, login, client):
    b, people, objects = world
    login(b.governance)
    starts = timezone.localtime() - datetime.timedelta(days=1)
    response = client.post(
        reverse("committee-meeting-create", args=[b.quality.pk]),
        {
            "day": starts.date().isoformat(),
            "starts": "09:30",
            "ends": "12:00",
            "place": "Boardroom",
            "papers_due": "",
        },
    )
    meeting = Meeting.objects.filter(committee=b.quality).latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse(
        "committee-meeting-detail", args=[meeting.pk]
    )
    client.post(
        reverse("agenda-item-create", args=[meeting.pk]),
        {
            "title": "Maternity safety report",
            "purpose": "assurance",
            "part": "public",
            "minutes_allowed": "15",
        },
    )
    item = meeting.items.get()
    client.post(
        reverse("committee-meeting-attendance", args=[meeting.pk]),
        {f"attended_{b.chair.pk}": Attendance.PRESENT, f"attended_{b.member.pk}": Attendance.APOLOGIES},
    )
    held = client.post(
        reverse("committee-meeting-held", args=[meeting.pk]), {"version": meeting.version}, follow=True
    )
    assert (
        "Recorded as inquorate. Not quorate: 1 member present, the terms of reference ask for 2"
        in held.content.decode()
    )
    client.post(
        reverse("agenda-item-minute", args=[item.pk]),
        {"minute": "The committee noted the report.", "assurance": "limited", "version": item.version},
    )
    client.post(
        reverse("committee-meeting-decide", args=[meeting.pk]),
        {"text": "Ask for a deep dive in March.", "item": item.pk},
    )
    item.refresh_from_db()
    assert item.minute == "The committee noted the report." and item.assurance == "limited"
    assert Decision.objects.get(meeting=meeting).text == "Ask for a deep dive in March."
    page = client.get(reverse("committee-meeting-detail", args=[meeting.pk])).content.decode()
    assert "Not quorate" in page and "Maternity safety report" in page


def test_a_schedule_the_committee_cannot_keep_is_refused_on_the_form(world, login, client):
    b, people, objects = world
    login(b.governance)
    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("committee-meeting-create", args=[b.quality.pk]),
        {"day": day, "starts": "10:00", "ends": "09:00", "papers_due": day},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "The meeting must end after it starts." in page
        and "Papers must be due before the meeting starts." in page
    )
