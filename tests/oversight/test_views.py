"""Oversight pages, tried as every kind of person who should not get through: anonymous (sign in), another
oversight body's person, a trust person reading another trust's records or the body's notes, a viewer of the
body writing, and the body's director once the trust has left the portfolio (404, and a POST changes nothing).

Every URL of the app is listed here (tests/factories.urls_with_own_scoping_tests)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import db_state

from wellled.core.services import portfolio_trust_remove
from wellled.oversight import services
from wellled.oversight.models import (
    ExitCriterion,
    ExitCriterionEvidence,
    ExitCriterionJudgement,
    ExitRecommendation,
    ImprovementBoardMeeting,
    MeetingAction,
    MeetingAgendaItem,
    OversightNote,
    OversightStatus,
    RegulatoryAction,
)
from wellled.oversight.urls import urlpatterns

from .conftest import days_ago
from .records import oversight_exit_records

pytestmark = pytest.mark.django_db

# The body's pages, and the object each names.
BODY_URLS = {
    "oversight-trust": "trust",
    "oversight-status-record": "trust",
    "oversight-criterion-create": "trust",
    "oversight-note-add": "trust",
    "oversight-criterion-edit": "criterion",
    "oversight-judgement-record": "criterion",
    "oversight-evidence-add": "criterion",
    "oversight-evidence-remove": "evidence",
    "oversight-evidence-open": "evidence",
    "oversight-regulatory-record": "trust",
    "oversight-regulatory-edit": "regulatory",
    "oversight-exit-recommend": "trust",
    "oversight-exit-decide": "recommendation",
}
# The trust's meeting pages.
MEETING_URLS = {
    "meeting-detail": "meeting",
    "meeting-edit": "meeting",
    "meeting-agenda-add": "meeting",
    "meeting-action-raise": "meeting",
}
PLAIN_URLS = {"oversight-home", "meeting-create", "oversight-criteria-export", "oversight-criteria-import"}
POST_ONLY = {"oversight-evidence-remove", "oversight-evidence-open"}
BODY_WRITES = set(BODY_URLS) - {"oversight-trust", "oversight-evidence-open"}
MEETING_WRITES = {"meeting-edit", "meeting-agenda-add", "meeting-action-raise"}


def state():
    models = [
        OversightStatus,
        ExitCriterion,
        ExitCriterionJudgement,
        ExitCriterionEvidence,
        OversightNote,
        ImprovementBoardMeeting,
        MeetingAgendaItem,
        MeetingAction,
        RegulatoryAction,
        ExitRecommendation,
    ]
    return {**db_state(), **{m.__name__: sorted(map(repr, m.objects.values())) for m in models}}


@pytest.fixture
def objs(records, org, editor, plan, region, director):
    meeting = services.meeting_create(
        organisation=org, by=editor, held_on=days_ago(20), status="held", chair="Chair of the board"
    )
    services.meeting_action_raise(
        meeting=meeting, by=editor, plan=plan, reference="IB1", title="Board review"
    )
    return {
        **records,
        **oversight_exit_records(region=region, org=org, director=director),
        "trust": org,
        "meeting": meeting,
    }


def url(name, objs):
    kind = {**BODY_URLS, **MEETING_URLS}.get(name)
    return reverse(name, args=[objs[kind].pk]) if kind else reverse(name)


def post_data(name, objs):
    return {
        "oversight-status-record": {
            "effective_from": days_ago(0).isoformat(),
            "edition": "2025-26",
            "segment": "3",
            "average_score": "2.61",
            "rank": "80",
            "ranked_among": "134",
            "programme": "none",
        },
        "oversight-regulatory-record": {
            "kind": "licence_undertakings",
            "summary": "Posted undertakings",
            "issued_on": days_ago(10).isoformat(),
        },
        "oversight-regulatory-edit": {
            "kind": "warning_notice",
            "summary": "Staffing of the emergency department",
            "issued_on": days_ago(200).isoformat(),
            "lifted_on": days_ago(1).isoformat(),
            "version": objs["regulatory"].version,
        },
        "oversight-exit-recommend": {"recommended_on": days_ago(0).isoformat(), "reason": "Posted"},
        "oversight-exit-decide": {
            "decision": "accepted",
            "decided_on": days_ago(0).isoformat(),
            "decision_reason": "Posted decision",
            "version": objs["recommendation"].version,
        },
        "oversight-criterion-create": {
            "reference": "EC7",
            "title": "Posted",
            "agreed_on": days_ago(1).isoformat(),
            "sustained_judgements": "3",
        },
        "oversight-note-add": {"noted_on": days_ago(0).isoformat(), "text": "Posted note"},
        "oversight-criterion-edit": {
            "reference": "EC1",
            "title": "Posted title",
            "agreed_on": days_ago(290).isoformat(),
            "sustained_judgements": "2",
            "sustained_months": "6",
            "version": objs["criterion"].version,
        },
        "oversight-judgement-record": {
            "judgement": "met",
            "judged_on": days_ago(0).isoformat(),
            "rationale": "Posted",
        },
        "oversight-evidence-add": {"evidence": f"action:{objs['plan_action'].pk}"}
        if "plan_action" in objs
        else {},
        "meeting-create": {"held_on": days_ago(0).isoformat(), "status": "held"},
        "meeting-edit": {
            "held_on": days_ago(20).isoformat(),
            "status": "held",
            "version": objs["meeting"].version,
        },
        "meeting-agenda-add": {"title": "Posted item"},
    }.get(name, {})


def test_every_url_of_the_app_is_tried_here():
    # The portfolio pages (oversight/portfolio*.py) are tried in their own tests.
    names = {
        p.name
        for p in urlpatterns
        if p.name not in {"oversight-portfolio", "oversight-trajectories", "oversight-portfolio-download"}
    }
    assert names == set(BODY_URLS) | set(MEETING_URLS) | PLAIN_URLS


def test_anonymous_is_sent_to_sign_in(client, objs):
    for name in {**BODY_URLS, **MEETING_URLS, **dict.fromkeys(PLAIN_URLS)}:
        response = client.get(url(name, objs))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_director_reads_the_trusts_page_with_notes_judgements_evidence_and_meetings(login, objs, director):
    client = login(director)
    page = client.get(url("oversight-trust", objs)).content.decode()
    assert "A stable board with substantive executives" in page
    assert "Partly met" in page and "Two posts filled." in page
    assert "W1a Planned action 1" in page  # evidence
    assert "the chair may step down" in page  # the body's own note
    assert "IB1 Board review" in page  # the trust's meeting, with its action
    assert objs["trust"].name in client.get(reverse("oversight-home")).content.decode()
    for name in BODY_URLS.keys() - POST_ONLY:
        assert client.get(url(name, objs)).status_code == 200, name


def test_director_writes_through_every_form(login, objs, director, plan):
    objs = {**objs, "plan_action": plan.actions.order_by("pk")[1]}
    client = login(director)
    # Recommending exit is refused while a recommendation awaits its decision: it is posted after the decision.
    for name in sorted(BODY_WRITES - POST_ONLY - {"oversight-exit-recommend"}):
        response = client.post(url(name, objs), post_data(name, objs))
        assert response.status_code == 302, (name, response.content.decode()[:3000])
    assert ExitCriterionJudgement.objects.filter(judgement="met").exists()
    assert OversightNote.objects.filter(text="Posted note").exists()
    assert objs["criterion"].evidence.count() == 2
    status = OversightStatus.objects.get(note="", segment=3, rank=80)
    assert (status.edition, str(status.average_score), status.ranked_among) == ("2025-26", "2.61", 134)
    assert RegulatoryAction.objects.get(pk=objs["regulatory"].pk).lifted_on == days_ago(1)
    assert RegulatoryAction.objects.filter(summary="Posted undertakings").exists()
    decided = ExitRecommendation.objects.get(pk=objs["recommendation"].pk)
    assert (decided.decision, decided.decided_by) == ("accepted", director)
    # Not every criterion is sustained, so the recommendation is refused, naming the criterion.
    response = client.post(url("oversight-exit-recommend", objs), post_data("oversight-exit-recommend", objs))
    assert response.status_code == 200 and "EC1" in response.content.decode()


def test_evidence_opens_the_trusts_record_in_the_trust_read_only(login, objs, director):
    client = login(director)
    response = client.post(url("oversight-evidence-open", objs))
    assert response["Location"] == reverse("action-detail", args=[objs["action"].pk])
    assert client.get(response["Location"]).status_code == 200
    # the director now works in the trust, lent a viewer's role: the meeting is readable, not writable
    assert client.get(url("meeting-detail", objs)).status_code == 200
    assert client.get(url("meeting-edit", objs)).status_code == 403


def test_another_oversight_bodys_person_gets_404_and_changes_nothing(login, objs, other_director):
    client = login(other_director)
    before = state()
    for name in BODY_URLS:
        assert client.get(url(name, objs)).status_code in (404, 405), name
        assert client.post(url(name, objs), post_data(name, objs)).status_code == 404, name
    for name in MEETING_URLS:
        assert client.get(url(name, objs)).status_code == 404, name
    assert objs["trust"].name not in client.get(reverse("oversight-home")).content.decode()
    assert state() == before


def test_a_trust_person_sees_their_status_and_criteria_but_never_the_bodys_notes(login, objs, viewer):
    client = login(viewer)
    page = client.get(reverse("oversight-home")).content.decode()
    assert "4: Lowest performing quarter (2025/26 framework)" in page
    assert "CQC warning notice" in page and "Staffing of the emergency department" in page
    assert "Exit recommended on" in page
    assert "A stable board with substantive executives" in page and "Partly met" in page
    assert reverse("action-detail", args=[objs["action"].pk]) in page  # evidence links to the trust's page
    assert "the chair may step down" not in page
    assert reverse("meeting-detail", args=[objs["meeting"].pk]) in page
    for name in BODY_URLS:  # the body's pages: not for a trust, even its own
        assert client.get(url(name, objs)).status_code in (404, 405), name


def test_a_trust_person_cannot_read_another_trusts_records(login, objs, outsider):
    client = login(outsider)
    page = client.get(reverse("oversight-home")).content.decode()
    assert "A stable board with substantive executives" not in page and "Board review" not in page
    before = state()
    for name in {**BODY_URLS, **MEETING_URLS}:
        assert client.get(url(name, objs)).status_code in (404, 405), name
        assert client.post(url(name, objs), post_data(name, objs)).status_code == 404, name
    assert state() == before


def test_a_viewer_of_the_body_reads_but_cannot_write(login, objs, region_viewer):
    client = login(region_viewer)
    assert client.get(url("oversight-trust", objs)).status_code == 200
    before = state()
    for name in BODY_WRITES:
        if name not in POST_ONLY:
            assert client.get(url(name, objs)).status_code == 403, name
        assert client.post(url(name, objs), post_data(name, objs)).status_code == 403, name
    assert state() == before


def test_trust_lead_reads_meetings_but_only_editors_write_them(login, objs, lead, editor):
    client = login(lead)
    assert client.get(url("meeting-detail", objs)).status_code == 200
    before = state()
    for name in MEETING_WRITES | {"meeting-create"}:
        assert client.get(url(name, objs)).status_code == 403, name
        assert client.post(url(name, objs), post_data(name, objs)).status_code == 403, name
    assert state() == before
    client.logout()
    client = login(editor)
    for name in ("meeting-create", "meeting-edit", "meeting-agenda-add"):
        assert client.post(url(name, objs), post_data(name, objs)).status_code == 302, name
    assert "IB1" in client.get(url("meeting-detail", objs)).content.decode()


def test_a_trust_that_left_the_portfolio_is_gone_from_the_bodys_pages(login, objs, director, entry):
    portfolio_trust_remove(entry=entry, by=None, left_on=timezone.localdate())
    client = login(director)
    before = state()
    for name in BODY_URLS:
        assert client.get(url(name, objs)).status_code in (404, 405), name
        assert client.post(url(name, objs), post_data(name, objs)).status_code == 404, name
    assert state() == before
    assert objs["trust"].name not in client.get(reverse("oversight-home")).content.decode()


def test_director_working_in_the_body_cannot_open_a_trusts_meeting_page(login, objs, director):
    # The meeting is the trust's: the body reads it on the trust's oversight page (above), not as its own.
    assert login(director).get(url("meeting-detail", objs)).status_code == 404


def test_the_status_form_starts_from_the_position_standing_today(login, objs, director):
    page = login(director).get(url("oversight-status-record", objs)).content.decode()
    assert 'value="recovery_support" selected' in page
    assert f'value="{objs["status"].programme_entered_on.isoformat()}"' in page
