"""Assessment services: roles, the self-assessment workflow, publishing (then frozen), audit, evidence, limiters."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.assessments.helpers import WELL_LED_24, score

from wellled.assessments import services
from wellled.assessments.choices import AssessmentState, AssessorKind, RatingSource, ScoringMethod
from wellled.assessments.importers import ratings_import
from wellled.assessments.models import (
    Assessment,
    AssessmentFinding,
    EvidenceItem,
    PublishedRating,
    RatingSnapshot,
    StatementAssessment,
)
from wellled.assessments.selectors import assessment_outcome
from wellled.core.models import AuditLog
from wellled.core.service_kit import AS_IT_STANDS, ConcurrentEditError
from wellled.plans.models import Action, Finding

pytestmark = pytest.mark.django_db


def statement(assessment, code):
    return StatementAssessment.objects.get(assessment=assessment, element__code=code)


def test_creating_an_assessment_makes_a_row_per_statement_and_audits_it(make_assessment, editor, cqc_saf):
    assessment = make_assessment()
    assert assessment.state == AssessmentState.DRAFT
    assert assessment.statements.count() == 34
    record = AuditLog.objects.filter(object_id=str(assessment.pk), content_type__model="assessment").get()
    assert record.actor == editor and record.organisation_id == assessment.organisation_id
    assert record.after["assessor_kind"] == "cqc"


def test_a_kloe_framework_is_one_well_led_key_question_of_eight(make_assessment, kloes):
    assessment = make_assessment(framework=kloes)
    outcome = assessment_outcome(assessment=assessment)
    assert [(kq.code, len(kq.statements)) for kq in outcome.key_questions] == [("well_led", 8)]


def test_viewer_and_lead_cannot_create_an_assessment(make_assessment, viewer, lead):
    for person in (viewer, lead):
        with pytest.raises(PermissionDenied):
            make_assessment(by=person)
    assert Assessment.objects.count() == 0


def test_subject_units_must_be_the_organisations_own_and_of_the_right_kind(
    make_assessment, site, service, outsider
):
    from wellled.core.choices import UnitKind
    from wellled.core.services import organisation_unit_create

    foreign = organisation_unit_create(
        organisation=outsider.memberships.get().organisation, kind=UnitKind.SITE, name="Elsewhere", by=None
    )
    with pytest.raises(ValidationError):
        make_assessment(location=foreign)
    with pytest.raises(ValidationError):
        make_assessment(location=service)  # a service is not a location
    assessment = make_assessment(location=site, service=service)
    assert assessment.level == "service"
    assert assessment.subject_label == "Children's services at Northmoor Test General"


def test_published_result_is_24_of_32_good_with_the_working_and_frozen(published_self_assessment, editor):
    assessment = published_self_assessment
    assert assessment.state == AssessmentState.PUBLISHED
    snap = RatingSnapshot.objects.get(assessment=assessment, key_question="well_led")
    assert snap.rating == "good"
    assert snap.working.startswith("W1 3, W2 3, W3 4, W4 3, W5 2, W6 3, W7 3, W8 3 = 24 of 32 = 75%: good.")
    rating = PublishedRating.objects.get(assessment=assessment)
    assert (rating.key_question, rating.rating, rating.source, rating.assessor_kind) == (
        "well_led",
        "good",
        RatingSource.ASSESSMENT,
        AssessorKind.SELF_ASSESSMENT,
    )
    assert rating.percentage == 75
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError, match="published"):
        services.statement_score(
            statement=statement(assessment, "W1"), by=editor, expected_version=AS_IT_STANDS, score=1
        )
    with pytest.raises(ValidationError, match="published"):
        services.assessment_update(
            assessment=assessment, by=editor, expected_version=AS_IT_STANDS, title="Changed"
        )
    with pytest.raises(ValidationError, match="published"):
        services.assessment_finding_create(
            assessment=assessment, by=editor, text="Late", element=statement(assessment, "W1").element
        )
    with pytest.raises(ValidationError, match="published"):
        services.evidence_add(
            statement=statement(assessment, "W1"), by=editor, title="x", url="https://example.org"
        )
    with pytest.raises(ValidationError, match="published"):
        services.assessment_publish(assessment=assessment, by=editor, expected_version=AS_IT_STANDS)
    assert AuditLog.objects.count() == before
    assert statement(assessment, "W1").score == 3


def test_the_published_snapshot_does_not_change_when_earlier_ratings_change_later(
    make_assessment, editor, org, kloes
):
    assessment = make_assessment(framework=kloes)
    ratings_import(
        organisation=org,
        by=editor,
        text="location id,location name,service,key question,rating,date\n"
        "ZNT01,Trust,,Well-led,Requires improvement,2024-01-10\n",
    )
    score(assessment, editor, {k: v for k, v in WELL_LED_24.items() if k != "W8"})
    services.assessment_publish(assessment=assessment, by=editor, expected_version=AS_IT_STANDS)
    PublishedRating.objects.filter(source=RatingSource.IMPORTED).update(rating="inadequate")
    outcome = assessment_outcome(assessment=Assessment.objects.get(pk=assessment.pk))
    assert outcome.key_questions[0].working.startswith(
        "W1 3, W2 3, W3 4, W4 3, W5 2, W6 3, W7 3, W8 2 = 23 of 32 = 72%: good (previously requires improvement)."
    )
    assert outcome.key_questions[0].carried_forward == ["W8"]


def test_publishing_is_refused_while_a_key_question_has_no_previous_rating_and_unscored_statements(
    make_assessment, editor, kloes
):
    assessment = make_assessment(framework=kloes)
    score(assessment, editor, {"W1": 3, "W2": 3})
    with pytest.raises(ValidationError) as caught:
        services.assessment_publish(assessment=assessment, by=editor, expected_version=AS_IT_STANDS)
    assert "not scored: W3, W4, W5, W6, W7, W8" in " ".join(caught.value.messages)
    assert Assessment.objects.get(pk=assessment.pk).state == AssessmentState.DRAFT
    assert not PublishedRating.objects.exists() and not RatingSnapshot.objects.exists()


def test_unassessed_statements_take_the_current_cqc_rating_and_the_result_says_which(
    make_assessment, editor, org, site, service
):
    ratings_import(
        organisation=org,
        by=editor,
        text="location id,location name,service,key question,rating,date\n"
        "ZNT11,General,Children's services,Well-led,Requires improvement,2023-05-01\n",
    )
    assessment = make_assessment(location=site, service=service, assessed_on=datetime.date(2024, 7, 24))
    score(assessment, editor, {"W1": 3, "W2": 3, "W3": 4, "W4": 3, "W5": 3, "W6": 3, "W7": 3})
    kq = next(k for k in assessment_outcome(assessment=assessment).key_questions if k.code == "well_led")
    assert kq.result.working == (
        "W1 3, W2 3, W3 4, W4 3, W5 3, W6 3, W7 3, W8 2 = 24 of 32 = 75%: good (previously requires improvement). "
        "W8 not assessed this time: scored 2 from the previous rating (requires improvement)."
    )
    assert kq.carried_forward == ["W8"]


def test_a_breach_with_a_requirement_notice_holds_the_key_question_at_requires_improvement(
    make_assessment, editor, kloes
):
    assessment = make_assessment(framework=kloes)
    score(assessment, editor, WELL_LED_24)
    services.assessment_finding_create(
        assessment=assessment,
        by=editor,
        element=statement(assessment, "W4").element,
        text="Governance breach",
        finding_type="breach",
        regulation="Regulation 17",
        enforcement="requirement_notice",
    )
    kq = assessment_outcome(assessment=assessment).key_questions[0]
    assert kq.result.percentage_rating.value == "good"
    assert kq.rating.value == "requires_improvement"
    assert "held at requires improvement by a requirement notice" in kq.working
    assert kq.held_down_by == ["a requirement notice"]  # the overview says why the rating is below its band
    services.assessment_update(
        assessment=assessment,
        by=editor,
        expected_version=AS_IT_STANDS,
        scoring_rules={
            "rounding": "half_up",
            "requirement_notice_caps": False,
            "warning_notice_caps": True,
            "statement_scored_one_caps": False,
        },
    )
    assert (
        assessment_outcome(assessment=Assessment.objects.get(pk=assessment.pk)).key_questions[0].rating.value
        == "good"
    )


def test_a_notice_needs_a_breach_and_a_breach_needs_its_regulation(make_assessment, editor, kloes):
    assessment = make_assessment(framework=kloes)
    element = statement(assessment, "W1").element
    with pytest.raises(ValidationError):
        services.assessment_finding_create(
            assessment=assessment, by=editor, element=element, text="x", finding_type="breach"
        )
    with pytest.raises(ValidationError):
        services.assessment_finding_create(
            assessment=assessment,
            by=editor,
            element=element,
            text="x",
            finding_type="must_do",
            enforcement="warning_notice",
        )
    assert not AssessmentFinding.objects.exists()


def test_evidence_category_scoring_follows_cqcs_worked_example(make_assessment, editor, kloes):
    assessment = make_assessment(framework=kloes, method=ScoringMethod.EVIDENCE)
    # The 2017 KLOE file lists no evidence categories; the CQC framework does.
    with pytest.raises(ValidationError):
        services.statement_score(
            statement=statement(assessment, "W1"),
            by=editor,
            expected_version=AS_IT_STANDS,
            evidence_scores={"observation": 3},
        )
    cqc = make_assessment(method=ScoringMethod.EVIDENCE)
    services.statement_score(
        statement=statement(cqc, "W1"),
        by=editor,
        expected_version=AS_IT_STANDS,
        evidence_scores={
            "people_experience": 3,
            "staff_leaders_feedback": 2,
            "observation": 3,
            "processes": 3,
        },
    )
    kq = next(k for k in assessment_outcome(assessment=cqc).key_questions if k.code == "well_led")
    assert (
        "W1: people_experience 3, staff_leaders_feedback 2, observation 3, processes 3 = 11 of 16 = 69%: "
        "score 3" in kq.working
    )


def test_a_stale_version_is_refused_and_nothing_is_saved(make_assessment, editor):
    assessment = make_assessment()
    row = statement(assessment, "S1")
    services.statement_score(statement=row, by=editor, expected_version=row.version, score=3)
    with pytest.raises(ConcurrentEditError):
        services.statement_score(statement=row, by=editor, expected_version=row.version, score=1)
    assert statement(assessment, "S1").score == 3


def test_self_assessment_workflow_lead_scores_submits_editor_returns_then_publishes(
    make_assessment, editor, lead, viewer, kloes
):
    assessment = make_assessment(framework=kloes, assessor_kind=AssessorKind.SELF_ASSESSMENT)
    with pytest.raises(PermissionDenied):
        score(assessment, viewer, {"W1": 3})
    score(assessment, lead, WELL_LED_24)
    services.evidence_add(
        statement=statement(assessment, "W1"),
        by=lead,
        title="Board development plan",
        url="https://intranet.example/board-plan",
    )
    with pytest.raises(PermissionDenied):
        services.assessment_publish(assessment=assessment, by=lead, expected_version=AS_IT_STANDS)
    services.assessment_submit(assessment=assessment, by=lead, expected_version=AS_IT_STANDS)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED and assessment.submitted_by == lead
    with pytest.raises(PermissionDenied):  # submitted: the team can no longer change it
        score(assessment, lead, {"W1": 4})
    with pytest.raises(ValidationError):
        services.assessment_return(
            assessment=assessment, by=editor, expected_version=AS_IT_STANDS, comment=" "
        )
    services.assessment_return(
        assessment=assessment,
        by=editor,
        expected_version=AS_IT_STANDS,
        comment="W5 needs evidence from the audit committee.",
    )
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DRAFT and "audit committee" in assessment.review_comment
    score(assessment, lead, {"W5": 3})
    services.assessment_submit(assessment=assessment, by=lead, expected_version=AS_IT_STANDS)
    services.assessment_publish(assessment=assessment, by=editor, expected_version=AS_IT_STANDS)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.PUBLISHED and assessment.published_by == editor
    notes = list(
        AuditLog.objects.filter(content_type__model="assessment", object_id=str(assessment.pk))
        .order_by("created_at", "id")
        .values_list("note", flat=True)
    )
    assert notes[1:] == [
        "Submitted for review",
        "Returned for changes: W5 needs evidence from the audit committee.",
        "Submitted for review",
        "Published: Well-led good",
    ]


def test_leads_cannot_score_a_cqc_assessment(make_assessment, lead):
    assessment = make_assessment()
    with pytest.raises(PermissionDenied):
        score(assessment, lead, {"S1": 3})


def test_evidence_files_are_checked_for_type_and_size_and_stored_under_media(
    make_assessment, editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.WELLLED_EVIDENCE_MAX_BYTES = 1000
    row = statement(make_assessment(), "W1")
    with pytest.raises(ValidationError, match="types"):
        services.evidence_add(
            statement=row,
            by=editor,
            title="Script",
            file=SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream"),
        )
    with pytest.raises(ValidationError, match="smaller than"):
        services.evidence_add(
            statement=row,
            by=editor,
            title="Big",
            file=SimpleUploadedFile("big.pdf", b"x" * 1001, content_type="application/pdf"),
        )
    with pytest.raises(ValidationError):
        services.evidence_add(
            statement=row,
            by=editor,
            title="Both",
            url="https://example.org",
            file=SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf"),
        )
    assert not EvidenceItem.objects.exists()
    item = services.evidence_add(
        statement=row,
        by=editor,
        title="",
        file=SimpleUploadedFile("../../Minutes.pdf", b"%PDF-1.4", content_type="text/html"),
    )
    assert item.title == "Minutes.pdf" and item.original_name == "Minutes.pdf"
    assert item.content_type == "application/pdf" and item.size == 8
    stored = tmp_path / item.file.name
    assert stored.read_bytes() == b"%PDF-1.4" and stored.is_relative_to(tmp_path / "assessments" / "evidence")
    record = AuditLog.objects.get(content_type__model="evidenceitem")
    assert record.after["file"] == item.file.name


def test_a_finding_becomes_a_plan_finding_naming_its_statement_with_an_action_answering_it(
    published_self_assessment, editor, plan, lead, viewer
):
    assessment = Assessment.objects.get(pk=published_self_assessment.pk)
    # Findings are recorded before publishing; this one is added directly to test the conversion alone.
    finding = AssessmentFinding.objects.create(
        assessment=assessment,
        element=statement(assessment, "W5").element,
        finding_type="must_do",
        text="Risk registers are not reviewed.",
    )
    with pytest.raises(PermissionDenied):
        services.finding_to_action(finding=finding, by=viewer, plan=plan, reference="A1", title="Review them")
    action = services.finding_to_action(
        finding=finding,
        by=editor,
        plan=plan,
        reference="W5a",
        title="Review every risk register monthly",
        lead=lead,
    )
    plan_finding = Finding.objects.get(pk=AssessmentFinding.objects.get(pk=finding.pk).plan_finding_id)
    assert plan_finding.plan == plan and plan_finding.framework_element.code == "W5"
    assert plan_finding.source == "self_review" and plan_finding.source_date == assessment.assessed_on
    assert list(action.findings.all()) == [plan_finding]
    # A second action answers the same plan finding; another plan is refused.
    second = services.finding_to_action(
        finding=finding, by=editor, plan=plan, reference="W5b", title="Train chairs"
    )
    assert list(second.findings.all()) == [plan_finding] and Finding.objects.filter(plan=plan).count() == 2
    from tests.factories import make_plan

    other = make_plan(plan.organisation, editor, name="Another plan", actions=0)
    with pytest.raises(ValidationError):
        services.finding_to_action(finding=finding, by=editor, plan=other, reference="X1", title="x")
    assert Action.objects.filter(plan=other).count() == 0


def test_a_finding_cannot_go_to_another_organisations_plan(published_self_assessment, editor, outsider):
    from wellled.plans.models import Plan

    assessment = published_self_assessment
    finding = AssessmentFinding.objects.create(
        assessment=assessment, element=statement(assessment, "W1").element, text="x"
    )
    foreign = Plan.objects.get(organisation=outsider.memberships.get().organisation)
    with pytest.raises(ValidationError):
        services.finding_to_action(finding=finding, by=editor, plan=foreign, reference="Z1", title="x")
    assert not Finding.objects.filter(plan=foreign, text="x").exists()


def test_a_form_opened_before_publishing_is_told_the_assessment_is_published(
    published_self_assessment, editor
):
    """Frozen comes before stale: saving again would not help, so that is what the person is told."""
    assessment = published_self_assessment
    with pytest.raises(ValidationError, match="published"):
        services.assessment_update(
            assessment=assessment, by=editor, expected_version=assessment.version - 1, title="Changed"
        )
