"""The committees endpoints (ADR 0056): read only, scoped to the token's organisation, and a private item (or a
decision or action on one) only for the committee's members and the governance team."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.api.conftest import api, token_for  # noqa: F401 (fixtures)
from tests.committees.builders import build_board
from tests.factories import make_organisation, make_person

from wellled.committees.services import meetings as services
from wellled.core.choices import Role

pytestmark = pytest.mark.django_db

# Every committees operation of the schema with the object its {id} names (tests/api/test_api_scoping.py checks
# that this list and the schema agree).
OPERATIONS = {
    ("GET", "/api/committees/"): None,
    ("GET", "/api/committees/{id}/"): "committee",
    ("GET", "/api/meetings/"): None,
    ("GET", "/api/meetings/{id}/"): "meeting",
    ("GET", "/api/decisions/"): None,
    ("GET", "/api/decisions/{id}/"): "decision",
    ("GET", "/api/committee-actions/"): None,
    ("GET", "/api/committee-actions/{id}/"): "action",
}


@pytest.fixture
def board():
    b = build_board()
    services.decision_record(
        meeting=b.meeting, by=b.governance, text="Commission an external review.", item=b.private_item
    )
    services.decision_record(
        meeting=b.meeting, by=b.governance, text="Accept the quality report.", item=b.public_item
    )
    services.action_raise(
        meeting=b.meeting,
        by=b.governance,
        title="Brief the board privately",
        lead=b.member,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        item=b.private_item,
    )
    services.action_raise(
        meeting=b.meeting,
        by=b.governance,
        title="Publish the quality account",
        lead=b.member,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        item=b.public_item,
    )
    return b


def test_a_non_member_reads_public_items_decisions_and_actions_only(api, board):  # noqa: F811
    caller = api(board.outsider)
    meeting = caller.get(f"/api/meetings/{board.meeting.pk}/").json()
    assert [i["title"] for i in meeting["items"]] == ["Integrated performance report: quality"]
    assert [d["text"] for d in caller.get("/api/decisions/").json()["results"]] == [
        "Accept the quality report."
    ]
    assert caller.get("/api/decisions/?q=review").json()["results"] == []
    assert [a["title"] for a in caller.get("/api/committee-actions/").json()["results"]] == [
        "Publish the quality account"
    ]


def test_a_member_reads_private_items_too(api, board):  # noqa: F811
    caller = api(board.chair)
    meeting = caller.get(f"/api/meetings/{board.meeting.pk}/").json()
    assert len(meeting["items"]) == 2
    assert [d["text"] for d in caller.get("/api/decisions/?q=review").json()["results"]] == [
        "Commission an external review."
    ]
    assert len(caller.get("/api/committee-actions/").json()["results"]) == 2


def test_committees_list_the_tree_and_current_members(api, board):  # noqa: F811
    rows = api(board.outsider).get("/api/committees/").json()["results"]
    quality = next(r for r in rows if r["name"] == "Quality Committee")
    assert quality["reports_to"] == board.board.pk
    assert {m["role"] for m in quality["members"]} == {"chair", "member"}


def test_another_trust_sees_nothing_and_cannot_write(api, board):  # noqa: F811
    other = api(make_person(make_organisation(), Role.ADMINISTRATOR))
    for path in ("committees", "meetings", "decisions", "committee-actions"):
        assert other.get(f"/api/{path}/").json()["results"] == [], path
    assert other.get(f"/api/meetings/{board.meeting.pk}/").status_code == 404
    assert other.get(f"/api/committees/{board.quality.pk}/").status_code == 404
    governance = api(board.governance)
    assert governance.post("/api/meetings/", {"committee": board.quality.pk}).status_code == 405


def test_every_operation_answers_the_trust_and_404s_another(api, board):  # noqa: F811
    from wellled.committees.models import Decision, MeetingAction

    objects = {
        "committee": board.quality,
        "meeting": board.meeting,
        "decision": Decision.objects.get(item=board.public_item),
        "action": MeetingAction.objects.get(item=board.public_item),
    }
    own, other = api(board.outsider), api(make_person(make_organisation(), Role.ADMINISTRATOR))
    for (_method, path), kind in OPERATIONS.items():
        url = path.replace("{id}", str(objects[kind].pk) if kind else "")
        assert own.get(url).status_code == 200, path
        if kind:
            assert other.get(url).status_code == 404, path
    private = MeetingAction.objects.get(item=board.private_item)
    assert own.get(f"/api/committee-actions/{private.pk}/").status_code == 404
