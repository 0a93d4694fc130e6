"""The board's FTSU self-review: a framework file shipped with Wellled, loaded by the framework loader, grouped as the
national self-review is, scored like any assessment, and its gaps raised as actions on the FTSU plan."""

from __future__ import annotations

import datetime

import pytest
from tests.assessments.helpers import score

from wellled.assessments import services as assessments
from wellled.assessments.choices import AssessorKind
from wellled.assessments.selectors.key_questions import framework_key_questions
from wellled.frameworks.models import Framework
from wellled.frameworks.services import SHIPPED_DIR, framework_load

pytestmark = pytest.mark.django_db


def test_the_self_review_is_shipped_and_loaded_with_its_groups():
    framework_load(text=(SHIPPED_DIR / "ftsu_self_review.yaml").read_text(), by=None)
    framework = Framework.objects.get(key="ftsu-self-review", organisation__isnull=True)
    groups = framework_key_questions(framework)
    assert [g.name for g in groups] == [
        "Leaders",
        "Culture",
        "Processes",
        "Learning",
        "The guardian",
        "Assurance",
    ]
    assert all(g.statements for g in groups)


def test_the_self_review_is_scored_and_its_gaps_become_plan_actions(org, editor, plan):
    from wellled.assessments.models import StatementAssessment
    from wellled.assessments.selectors.outcome import assessment_outcome

    framework = Framework.objects.get(key="ftsu-self-review", organisation__isnull=True)
    review = assessments.assessment_create(
        organisation=org,
        by=editor,
        framework=framework,
        assessed_on=datetime.date(2025, 3, 1),
        assessor_kind=AssessorKind.SELF_ASSESSMENT,
        title="Board FTSU self-review 2025",
    )
    codes = StatementAssessment.objects.filter(assessment=review).values_list("element__code", flat=True)
    score(review, editor, {code: (2 if code == "FG1" else 3) for code in codes})
    outcome = assessment_outcome(assessment=review)
    results = {kq.code: kq.result for kq in outcome.key_questions}
    assert set(results) == {"FL", "FC", "FP", "FLN", "FG", "FA"} and not outcome.problems
    assert all(r is not None for r in results.values())
    assert results["FG"].percentage.exact < results["FL"].percentage.exact  # the guardian's gap scores lower
    gap = assessments.assessment_finding_create(
        assessment=review,
        by=editor,
        element=StatementAssessment.objects.get(assessment=review, element__code="FG1").element,
        text="The guardian has too few ring-fenced hours for a trust of our size.",
    )
    action = assessments.finding_to_action(
        finding=gap, plan=plan, by=editor, reference="FTSU-SR1", title="Ring-fence the guardian's time"
    )
    assert action.plan == plan and [f.text for f in action.findings.all()] == [gap.text]
