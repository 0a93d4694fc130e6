"""Assessment pages: organisation scoping (404 and nothing changed), roles (403), and what the pages show."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from tests.assessments.helpers import WELL_LED_24, score
from tests.factories import named_url_patterns

from wellled.assessments import services
from wellled.assessments.choices import AssessmentState, AssessorKind
from wellled.assessments.importers import ratings_import
from wellled.assessments.models import (
    Assessment,
    AssessmentFinding,
    EvidenceItem,
    PublishedRating,
    RatingSnapshot,
    StatementAssessment,
)
from wellled.core.models import AuditLog, OrganisationUnit
from wellled.core.service_kit import AS_IT_STANDS
from wellled.plans.models import Action, Finding

pytestmark = pytest.mark.django_db

# The object each assessments URL names; a new URL must be added here (a test checks).
URL_KIND = {
    "assessment-list": None,
    "assessment-create": None,
    "ratings-grid": None,
    "ratings-timeline": None,
    "assessment-detail": "assessment",
    "assessment-edit": "assessment",
    "assessment-score": "assessment",
    "assessment-result": "assessment",
    "assessment-submit": "assessment",
    "assessment-return": "assessment",
    "assessment-publish": "assessment",
    "assessment-compare": "assessment",
    "assessment-history": "assessment",
    "assessment-finding-create": "assessment",
    "statement-detail": "statement",
    "statement-evidence": "statement",
    "evidence-download": "evidence",
    "assessment-finding-action": "finding",
}
POST_ONLY = {"assessment-submit", "assessment-return", "statement-evidence"}
GET_ONLY = {"evidence-download"}
EDITING = {
    "assessment-create",
    "assessment-edit",
    "assessment-publish",
    "assessment-return",
    "assessment-finding-create",
    "assessment-finding-action",
    "assessment-submit",
    "statement-evidence",
}


def assessment_url_names():
    return [name for name, route, _ in named_url_patterns() if route.startswith(("assessments/", "ratings/"))]


def db_state():
    from tests.factories import db_state as plan_state

    state = plan_state()
    for model in (
        Assessment,
        StatementAssessment,
        EvidenceItem,
        AssessmentFinding,
        RatingSnapshot,
        PublishedRating,
        OrganisationUnit,
    ):
        state[model.__name__] = sorted(map(repr, model.objects.order_by("pk").values()))
    return state


@pytest.fixture
def things(org, editor, site, service, kloes, make_assessment, plan, tmp_path, settings):
    """A draft self-assessment with a scored statement, a link and a file as evidence, and a finding."""
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    assessment = make_assessment(
        framework=kloes,
        assessor_kind=AssessorKind.SELF_ASSESSMENT,
        location=site,
        service=service,
        title="Children's self-assessment",
    )
    score(assessment, editor, {"W1": 3})
    statement = StatementAssessment.objects.get(assessment=assessment, element__code="W1")
    evidence = services.evidence_add(
        statement=statement,
        by=editor,
        title="Minutes",
        file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )
    finding = services.assessment_finding_create(
        assessment=assessment,
        by=editor,
        element=statement.element,
        text="Board visibility is patchy.",
        finding_type="should_do",
    )
    return {
        "assessment": Assessment.objects.get(pk=assessment.pk),
        "statement": statement,
        "evidence": evidence,
        "finding": finding,
    }


def url(name, things):
    kind = URL_KIND[name]
    if name == "ratings-timeline":
        a = things["assessment"]
        return reverse(name) + f"?location={a.location_id}&service={a.service_id}"
    return reverse(name) if kind is None else reverse(name, args=[things[kind].pk])


def post_data(name, things):
    a = things["assessment"]
    return {
        "assessment-edit": {
            "title": "Posted",
            "assessed_on": "2026-03-02",
            "method": "direct",
            "rounding": "floor",
            "version": a.version,
        },
        "assessment-return": {"comment": "Posted", "version": a.version},
        "assessment-finding-create": {
            "element": things["statement"].element_id,
            "finding_type": "must_do",
            "text": "Posted",
        },
        "assessment-finding-action": {"plan": 0, "reference": "P1", "title": "Posted"},
        "statement-detail": {
            f"s{things['statement'].pk}-score": "4",
            f"s{things['statement'].pk}-narrative": "x",
            f"s{things['statement'].pk}-version": things["statement"].version,
        },
        "statement-evidence": {"title": "Posted", "url": "https://example.org/posted"},
    }.get(name, {"version": a.version})


def test_every_assessments_url_is_mapped_here_when_the_url_map_changes():
    assert sorted(assessment_url_names()) == sorted(URL_KIND)


def test_outsider_gets_404_for_every_assessments_object_and_changes_nothing(login, things, outsider):
    client = login(outsider)
    before = db_state()
    for name in URL_KIND:
        if URL_KIND[name] is None and name != "ratings-timeline":
            continue
        address = url(name, things)
        got = client.get(address)
        assert got.status_code == (405 if name in POST_ONLY else 404), (name, got.status_code)
        assert b"Children" not in got.content
        posted = client.post(address, post_data(name, things))
        assert posted.status_code == (405 if name in GET_ONLY else 404), (name, posted.status_code)
        assert db_state() == before, name


def test_outsiders_lists_and_grid_show_nothing_of_another_organisation(login, things, outsider, editor, org):
    ratings_import(
        organisation=org,
        by=editor,
        text="location id,location name,service,key question,rating,date\n"
        "ZNT11,General,Children's services,Safe,Good,2024-01-01\n",
    )
    client = login(outsider)
    for name in ("assessment-list", "ratings-grid"):
        body = client.get(reverse(name)).content.decode()
        assert "Children" not in body and "Northmoor" not in body


def test_members_reach_every_assessments_page(login, people, things):
    client = login(people["administrator"])
    for name in URL_KIND:
        response = client.get(url(name, things))
        assert response.status_code == (405 if name in POST_ONLY else 200), (name, response.status_code)


@pytest.mark.parametrize("name", sorted(EDITING))
def test_viewer_gets_403_and_changes_nothing_on_every_editing_page(login, viewer, things, name):
    client = login(viewer)
    before = db_state()
    if name not in POST_ONLY:
        assert client.get(url(name, things)).status_code == 403, name
    assert client.post(url(name, things), post_data(name, things)).status_code == 403, name
    assert (
        client.post(url("statement-detail", things), post_data("statement-detail", things)).status_code == 403
    )
    assert db_state() == before


@pytest.mark.parametrize(
    "name",
    [
        "assessment-create",
        "assessment-edit",
        "assessment-publish",
        "assessment-return",
        "assessment-finding-create",
        "assessment-finding-action",
    ],
)
def test_lead_gets_403_on_managing_pages(login, lead, things, name):
    client = login(lead)
    before = db_state()
    if name not in POST_ONLY:
        assert client.get(url(name, things)).status_code == 403, name
    assert client.post(url(name, things), post_data(name, things)).status_code == 403, name
    assert db_state() == before


def test_lead_scores_a_statement_of_a_self_assessment_over_htmx_then_submits_it(login, lead, things):
    client = login(lead)
    statement = things["statement"]
    response = client.post(
        url("statement-detail", things),
        post_data("statement-detail", things),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"statement-{statement.pk}",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="statement-{statement.pk}"' in body and "W1 saved." in body and "<html" not in body
    statement.refresh_from_db()
    assert statement.score == 4 and statement.updated_by == lead
    assert AuditLog.objects.filter(content_type__model="statementassessment", actor=lead).exists()
    response = client.post(url("assessment-submit", things), {"version": things["assessment"].version})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=things["assessment"].pk).state == AssessmentState.SUBMITTED
    # Submitted: the team reads but cannot change it any more.
    assert (
        client.post(url("statement-detail", things), post_data("statement-detail", things)).status_code == 403
    )


def test_a_stale_statement_save_is_refused_with_the_form_kept(login, editor, things):
    client = login(editor)
    data = post_data("statement-detail", things)
    data[f"s{things['statement'].pk}-version"] = things["statement"].version - 1
    response = client.post(url("statement-detail", things), data)
    assert response.status_code == 200 and "changed by someone else" in response.content.decode()
    assert StatementAssessment.objects.get(pk=things["statement"].pk).score == 3


def test_evidence_downloads_as_an_attachment_for_members(login, viewer, things):
    response = login(viewer).get(url("evidence-download", things))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="minutes.pdf"')
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"


def test_result_page_shows_each_rating_with_its_working_and_publish_freezes_it(login, editor, things):
    assessment = things["assessment"]
    score(assessment, editor, WELL_LED_24)
    client = login(editor)
    body = client.get(url("assessment-result", things)).content.decode()
    assert "W1 3, W2 3, W3 4, W4 3, W5 2, W6 3, W7 3, W8 3 = 24 of 32 = 75%: good." in body
    assert "Good" in body and "scored 75 (out of 100)" in body and "Every statement was assessed" in body
    response = client.post(
        url("assessment-publish", things), {"version": Assessment.objects.get(pk=assessment.pk).version}
    )
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).state == AssessmentState.PUBLISHED
    assert client.get(url("assessment-edit", things)).status_code == 403
    assert (
        client.post(url("statement-detail", things), post_data("statement-detail", things)).status_code == 403
    )
    body = client.get(url("assessment-result", things)).content.decode()
    assert "These ratings and their working were stored when it was published" in body


def test_turning_a_finding_into_an_action_shows_the_statement_on_the_plans_part_b(
    login, editor, lead, things, plan
):
    client = login(editor)
    response = client.post(
        url("assessment-finding-action", things),
        {
            "plan": plan.pk,
            "reference": "W1z",
            "title": "Board members visit two wards a month",
            "lead": lead.pk,
            "due_date": "2027-03-31",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("plan-detail", args=[plan.pk])
    action = Action.objects.get(plan=plan, reference="W1z")
    finding = Finding.objects.get(pk=AssessmentFinding.objects.get(pk=things["finding"].pk).plan_finding_id)
    assert list(action.findings.all()) == [finding] and finding.framework_element.code == "W1"
    body = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "Statement <strong>W1</strong>: Leadership capacity and capability" in body


def test_comparison_sets_the_self_assessment_beside_cqcs_latest_view(
    login, editor, things, org, make_assessment, kloes
):
    a = things["assessment"]
    cqc = make_assessment(
        framework=kloes,
        assessor_kind=AssessorKind.CQC,
        location=a.location,
        service=a.service,
        assessed_on=datetime.date(2025, 1, 10),
    )
    score(cqc, editor, {**WELL_LED_24, "W1": 2})
    services.assessment_publish(assessment=cqc, by=editor, expected_version=AS_IT_STANDS)
    score(a, editor, {"W1": 4, "W2": 3})
    body = login(editor).get(url("assessment-compare", things)).content.decode()
    assert "1 statement scored higher than CQC's view, 0 lower and 1 the same." in body
    assert "2 higher than CQC" in body and "scored by CQC" in body


def test_ratings_grid_shows_the_latest_cqc_rating_per_key_question_written_out(
    login, viewer, editor, org, site, things
):
    ratings_import(
        organisation=org,
        by=editor,
        text="location id,location name,service,key question,rating,date\n"
        "ZNT11,General,Children's services,Safe,Inadequate,2021-01-01\n"
        "ZNT11,General,Children's services,Safe,Good,2024-01-01\n"
        "ZNT01,Trust,,Well-led,Requires improvement,2024-01-01\n",
    )
    client = login(viewer)
    body = client.get(reverse("ratings-grid")).content.decode()
    assert "Children&#39;s services at Northmoor Test General" in body and "Northmoor Test Trust" in body
    safe_cell = body.split('data-key-question="safe"')[2].split("</td>")[
        0
    ]  # the service row (after the trust's)
    assert "Good" in safe_cell and "1 Jan 2024" in safe_cell and "Inadequate" not in safe_cell
    assert "Requires improvement" in body.split('data-key-question="well_led"')[1].split("</td>")[0]
    timeline = client.get(url("ratings-timeline", things)).content.decode()
    assert "improved since inadequate" in timeline
