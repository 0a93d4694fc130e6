"""Chair's reports and referred items in the API (issue 22, ADR 0063): read only, in the token's trust, drafts kept
to their pages and private items only for the committee's members and the governance team."""

from __future__ import annotations

import datetime

import pytest
from tests.committees.builders import build_board
from tests.factories import make_organisation, make_person

from wellled.committees.choices import MeetingStatus
from wellled.committees.models import Meeting
from wellled.committees.services.escalations import escalation_raise
from wellled.committees.services.reports import chairs_report_save
from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create, portfolio_trust_add

pytestmark = pytest.mark.django_db

# This module's operations, with the object each {id} names; test_api_scoping checks every operation is tried.
OPERATIONS = {
    ("GET", "/api/chairs-reports/"): None,
    ("GET", "/api/chairs-reports/{id}/"): "report",
    ("GET", "/api/escalations/"): None,
    ("GET", "/api/escalations/{id}/"): "escalation",
}


@pytest.fixture
def b():
    """The quality committee's meeting held a week ago with its chair's report confirmed; the board meets in a
    fortnight; one item referred from the public part and one from the private part."""
    from django.utils import timezone

    board = build_board()
    board.meeting.starts_at = timezone.now() - datetime.timedelta(days=7)
    board.meeting.status = MeetingStatus.HELD
    board.meeting.save()
    Meeting.objects.create(committee=board.board, starts_at=timezone.now() + datetime.timedelta(days=14))
    board.people = {
        "public": escalation_raise(
            from_committee=board.quality,
            to_committee=board.board,
            from_item=board.public_item,
            title="Maternity staffing",
            reason="Beyond the committee's authority",
            by=board.chair,
            raised_on=board.meeting.starts_at.date(),
        ),
        "private": escalation_raise(
            from_committee=board.quality,
            to_committee=board.board,
            from_item=board.private_item,
            title="Serious incident referral",
            reason="Needs the board's view in private",
            by=board.chair,
            raised_on=board.meeting.starts_at.date(),
        ),
        "report": chairs_report_save(
            meeting=board.meeting, by=board.chair, alert="Staffing gaps on two wards", confirm=True
        ),
    }
    return board


def _url(path, b, kind):
    objects = {"report": b.people["report"], "escalation": b.people["public"]}
    return path.replace("{id}", str(objects[kind].pk)) if kind else path


def _titles(response) -> set[str]:
    return {row["title"] for row in response.json()["results"]}


def test_a_member_of_the_trust_reads_confirmed_reports_with_their_sections(api, b):
    for who in (b.governance, b.chair, b.member, b.outsider):
        listed = api(who).get("/api/chairs-reports/").json()["results"]
        assert [r["id"] for r in listed] == [b.people["report"].pk], who
        one = api(who).get(f"/api/chairs-reports/{b.people['report'].pk}/")
        assert one.status_code == 200
        body = one.json()
        assert body["alert"] == "Staffing gaps on two wards"
        assert body["committee_name"] == "Quality Committee" and body["reports_to"] == b.board.pk
        assert body["section_titles"]["alert"] == "Alert" and body["status"] == "confirmed"


def test_a_draft_stays_on_its_page_and_is_not_in_the_api(api, b):
    report = b.people["report"]
    report.status = "draft"
    report.save()
    assert api(b.governance).get("/api/chairs-reports/").json()["results"] == []
    assert api(b.governance).get(f"/api/chairs-reports/{report.pk}/").status_code == 404


def test_a_private_item_referred_is_seen_only_by_members_and_the_governance_team(api, b):
    both = {"Maternity staffing", "Serious incident referral"}
    assert _titles(api(b.governance).get("/api/escalations/")) == both
    assert _titles(api(b.chair).get("/api/escalations/")) == both
    assert _titles(api(b.member).get("/api/escalations/")) == both
    assert _titles(api(b.outsider).get("/api/escalations/")) == {"Maternity staffing"}
    hidden = f"/api/escalations/{b.people['private'].pk}/"
    assert api(b.outsider).get(hidden).status_code == 404
    assert api(b.chair).get(hidden).status_code == 200
    report = f"/api/chairs-reports/{b.people['report'].pk}/"
    assert {r["title"] for r in api(b.member).get(report).json()["referred"]} == both
    assert {r["title"] for r in api(b.outsider).get(report).json()["referred"]} == {"Maternity staffing"}


def test_each_role_of_the_trust_reads_and_none_writes(api, b):
    people = {role: make_person(b.org, role) for role in (Role.ADMINISTRATOR, Role.LEAD, Role.VIEWER)}
    for role, person in people.items():
        for (_method, path), kind in OPERATIONS.items():
            assert api(person).get(_url(path, b, kind)).status_code == 200, (role, path)
        assert api(person).post("/api/chairs-reports/", {"alert": "x"}).status_code == 405
        url = f"/api/chairs-reports/{b.people['report'].pk}/"
        assert api(person).patch(url, {"alert": "changed"}).status_code == 405
    b.people["report"].refresh_from_db()
    assert b.people["report"].alert == "Staffing gaps on two wards"


def test_another_trusts_administrator_and_an_oversight_body_get_not_found(api, b):
    elsewhere = make_person(make_organisation(), Role.ADMINISTRATOR)
    region = organisation_create(name="A Region", ods_code="ZR078", by=None, kind=OrganisationKind.OVERSIGHT)
    portfolio_trust_add(oversight_body=region, trust=b.org, by=None, joined_on=datetime.date(2024, 1, 1))
    overseer = make_person(region, Role.ADMINISTRATOR)
    for person in (elsewhere, overseer):
        for (_method, path), kind in OPERATIONS.items():
            response = api(person).get(_url(path, b, kind))
            if kind:
                assert response.status_code == 404, (person, path)
            else:
                assert response.json()["results"] == [], (person, path)


def test_anonymous_gets_401(client, b):
    for (_method, path), kind in OPERATIONS.items():
        assert client.get(_url(path, b, kind)).status_code == 401


def test_the_schema_names_the_committee_enums(api, b):
    import json

    schema = json.loads(api(b.governance).get("/api/schema/?format=json").content)
    components = schema["components"]["schemas"]
    assert components["ChairsReportStatusEnum"]["enum"] == ["draft", "confirmed", "issued"]
    assert "EscalationStatusEnum" in components
    assert "/api/chairs-reports/{id}/" in schema["paths"]
