"""Every page of chair's reports, escalation, committee reviews and linking risks, for every role (ADR 0062): the
governance team and the committee's chair write; other members read; another trust and an oversight body get 404;
a non-member never sees a private item."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.committees.builders import build_board
from tests.core.test_templates_never_query import templates_never_query  # noqa: F401 (fixture)
from tests.factories import make_organisation, make_person

from wellled.committees.choices import AssuranceLevel, MeetingStatus, ReportStatus
from wellled.committees.models import AgendaItem, ChairsReport, Escalation, Meeting
from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create, portfolio_trust_add
from wellled.measures.models import Measure
from wellled.reports.ipr import ipr_build
from wellled.risks import services as risk_services
from wellled.risks.models import Risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def b():
    board = build_board()
    board.meeting.starts_at = timezone.now() - datetime.timedelta(days=7)
    board.meeting.status = MeetingStatus.HELD
    board.meeting.save()
    Meeting.objects.create(committee=board.board, starts_at=timezone.now() + datetime.timedelta(days=14))
    AgendaItem.objects.filter(pk=board.private_item.pk).update(assurance=AssuranceLevel.NONE)
    board.people = {
        "administrator": make_person(board.org, Role.ADMINISTRATOR),
        "governance": board.governance,
        "lead": make_person(board.org, Role.LEAD),
        "viewer": board.outsider,
        "chair": board.chair,
        "member": board.member,
    }
    return board


@pytest.fixture
def report(b):
    return ChairsReport.objects.create(meeting=b.meeting, alert="Falls", status=ReportStatus.CONFIRMED)


def _as(client, login, person, org=None):
    client.logout()
    login(person)
    if org is not None:
        session = client.session
        session["wellled_organisation_id"] = org.pk
        session.save()
    return client


def _pages(b, report):
    return {
        "list": reverse("committee-report-list"),
        "detail": reverse("committee-report-detail", args=[report.pk]),
        "edit": reverse("committee-report-edit", args=[b.meeting.pk]),
        "refer": reverse("committee-escalation-create", args=[b.meeting.pk]),
        "referred": reverse("committee-escalation-list"),
        "review": reverse("committee-risk-review-create"),
        "link": reverse("committee-link-risks"),
    }


# Who may open each page: True 200, a number that status.
EXPECTED = {
    "administrator": {
        "list": 200,
        "detail": 200,
        "edit": 200,
        "refer": 200,
        "referred": 200,
        "review": 200,
        "link": 200,
    },
    "governance": {
        "list": 200,
        "detail": 200,
        "edit": 200,
        "refer": 200,
        "referred": 200,
        "review": 200,
        "link": 403,
    },
    "chair": {
        "list": 200,
        "detail": 200,
        "edit": 200,
        "refer": 200,
        "referred": 200,
        "review": 403,
        "link": 403,
    },
    "member": {
        "list": 200,
        "detail": 200,
        "edit": 403,
        "refer": 403,
        "referred": 200,
        "review": 403,
        "link": 403,
    },
    "lead": {
        "list": 200,
        "detail": 200,
        "edit": 403,
        "refer": 403,
        "referred": 200,
        "review": 403,
        "link": 403,
    },
    "viewer": {
        "list": 200,
        "detail": 200,
        "edit": 403,
        "refer": 403,
        "referred": 200,
        "review": 403,
        "link": 403,
    },
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_role_opens_what_it_may(client, login, b, report, who):
    _as(client, login, b.people[who])
    for page, address in _pages(b, report).items():
        assert client.get(address).status_code == EXPECTED[who][page], (who, page)


def test_another_trusts_administrator_and_an_oversight_body_get_not_found(client, login, b, report):
    elsewhere = make_person(make_organisation(), Role.ADMINISTRATOR)
    region = organisation_create(name="A Region", ods_code="ZR077", by=None, kind=OrganisationKind.OVERSIGHT)
    portfolio_trust_add(oversight_body=region, trust=b.org, by=None, joined_on=datetime.date(2024, 1, 1))
    overseer = make_person(region, Role.ADMINISTRATOR)
    pages = _pages(b, report)
    _as(client, login, elsewhere)
    for page in ("detail", "edit", "refer"):
        assert client.get(pages[page]).status_code == 404, page
        assert client.post(pages[page], {}).status_code in (404, 405), page
    assert client.post(reverse("committee-report-issue", args=[report.pk])).status_code == 404
    assert "Quality Committee" not in client.get(pages["list"]).content.decode()
    draft = f"/papers/draft/chairs_rpt.pdf?report={report.pk}"
    assert client.get(draft).status_code == 404
    _as(client, login, overseer, org=b.org)
    for page in ("list", "detail", "edit", "refer", "referred"):
        assert client.get(pages[page]).status_code == 404, page
    assert client.get(draft).status_code == 404  # an oversight body sees issued public packs only
    assert _as(client, login, b.outsider).get(draft).status_code == 200  # a member of the trust drafts it


def test_a_non_member_never_sees_a_private_item_among_the_alert_candidates(client, login, b, report):
    page = reverse("committee-report-edit", args=[b.meeting.pk])
    assert "Serious incident" in _as(client, login, b.chair).get(page).content.decode()
    # The governance team sees it too; a viewer of the trust cannot open the page at all (above).
    assert "Serious incident" in _as(client, login, b.governance).get(page).content.decode()


def test_a_private_item_referred_is_listed_only_for_those_who_see_it(client, login, b):
    Escalation.objects.create(
        from_committee=b.quality,
        to_committee=b.board,
        from_item=b.private_item,
        title="Confidential matter",
        reason="x",
        raised_on=timezone.localdate(),
        raised_by=b.governance,
    )
    page = reverse("committee-escalation-list")
    assert "Confidential matter" in _as(client, login, b.chair).get(page).content.decode()
    assert "Confidential matter" not in _as(client, login, b.outsider).get(page).content.decode()


def test_the_chair_issues_the_report_from_its_page(client, login, b, report):
    response = _as(client, login, b.chair).post(
        reverse("committee-report-issue", args=[report.pk]), follow=True
    )
    assert "It is on the next agenda of Trust Board" in response.content.decode()
    assert AgendaItem.objects.filter(
        meeting__committee=b.board, title="Quality Committee: chair's report"
    ).exists()
    assert (
        _as(client, login, b.outsider).post(reverse("committee-report-issue", args=[report.pk])).status_code
        == 403
    )


def test_the_administrator_links_risks_on_the_page(client, login, b):
    objective = risk_services.objective_create(organisation=b.org, by=b.governance, code="SO1", title="Safe")
    risk = risk_services.risk_create(
        organisation=b.org, by=b.governance, title="Falls", inherent=(4, 4), current=(3, 3), target=(2, 2)
    )
    risk_services.risk_baf_set(
        risk=risk,
        by=b.governance,
        expected_version=risk.version,
        principal=True,
        objective=objective,
        lead_committee="Quality Cttee",
    )
    client = _as(client, login, b.people["administrator"])
    page = client.get(reverse("committee-link-risks")).content.decode()
    assert "Quality Cttee" in page
    response = client.post(reverse("committee-link-risks"), {"text_0": b.quality.pk}, follow=True)
    assert "Linked 1 risk to their committees." in response.content.decode()
    assert Risk.objects.get(pk=risk.pk).committee == b.quality


def test_the_governance_team_records_a_committee_review(client, login, b):
    objective = risk_services.objective_create(organisation=b.org, by=b.governance, code="SO1", title="Safe")
    risk = risk_services.risk_create(
        organisation=b.org, by=b.governance, title="Falls", inherent=(4, 4), current=(3, 3), target=(2, 2)
    )
    risk_services.risk_baf_set(
        risk=risk, by=b.governance, expected_version=risk.version, principal=True, objective=objective
    )
    client = _as(client, login, b.governance)
    response = client.post(
        reverse("committee-risk-review-create"),
        {
            "committee": b.quality.pk,
            "risk": risk.pk,
            "reviewed_on": timezone.localdate().isoformat(),
            "assurance": AssuranceLevel.LIMITED,
            "proposed_likelihood": "",
            "proposed_consequence": "",
        },
    )
    assert response.status_code == 302
    assert risk.committee_reviews.get().assurance == AssuranceLevel.LIMITED


def test_no_page_queries_while_its_template_renders(templates_never_query, client, login, b, report):  # noqa: F811
    Escalation.objects.create(
        from_committee=b.quality,
        to_committee=b.board,
        title="Referred",
        reason="x",
        raised_on=timezone.localdate(),
        raised_by=b.governance,
    )
    for who in ("administrator", "chair"):
        client = _as(client, login, b.people[who])
        for page, address in _pages(b, report).items():
            assert client.get(address).status_code in (200, 403), (who, page)


def test_a_committees_baf_and_ipr_draft_only_for_a_committee_of_ones_own_trust(client, login, b):
    other = build_board()
    owned = Measure.objects.create(organisation=b.org, name="Falls with harm", committee=b.quality)
    Measure.objects.create(organisation=b.org, name="Agency spend")
    report = ipr_build(user=b.governance, organisation=b.org, as_at=timezone.localdate(), committee=b.quality)
    assert [m.name for m in report.measures] == [owned.name]
    assert report.title.startswith("Integrated performance report for Quality Committee")
    client = _as(client, login, b.governance)
    for kind in ("baf", "ipr"):
        assert client.get(f"/papers/draft/{kind}.pdf?committee={b.quality.pk}").status_code == 200, kind
        assert client.get(f"/papers/draft/{kind}.pdf?committee={other.quality.pk}").status_code == 404, kind


def test_the_baf_page_shows_one_committees_principal_risks(client, login, b):
    other = build_board()
    objective = risk_services.objective_create(organisation=b.org, by=b.governance, code="SO1", title="Safe")
    for title, committee in (("Falls with harm", b.quality), ("Agency spend", None)):
        risk = risk_services.risk_create(
            organisation=b.org, by=b.governance, title=title, inherent=(4, 4), current=(3, 3), target=(2, 2)
        )
        risk_services.risk_baf_set(
            risk=risk,
            by=b.governance,
            expected_version=risk.version,
            principal=True,
            objective=objective,
            committee=committee,
        )
    client = _as(client, login, b.outsider)
    page = client.get(f"/baf/?committee={b.quality.pk}").content.decode()
    assert "Falls with harm" in page and "Agency spend" not in page
    assert "Not reviewed by a committee: not reviewed in its committee" in page
    everything = client.get("/baf/").content.decode()
    assert "Falls with harm" in everything and "Agency spend" in everything
    assert client.get(f"/baf/?committee={other.quality.pk}").status_code == 404
