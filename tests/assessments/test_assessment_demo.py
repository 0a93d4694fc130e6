"""The demo assessments: loaded once, with a trajectory to show."""

from __future__ import annotations

import pytest

from wellled.assessments.models import Assessment, PublishedRating, RatingSnapshot
from wellled.demo.assessments import assessment_titles, assessments_demo_load
from wellled.demo.plans import demo_load
from wellled.plans.models import Finding

pytestmark = pytest.mark.django_db

# The titles name the month of each assessment, placed relative to the day the demo is loaded (today).
CQC_CYP_TITLE, CQC_UEC_TITLE, SELF_TITLE = assessment_titles()


def test_demo_assessments_load_once_with_a_trajectory():
    assert assessments_demo_load() is False  # no demo trust yet: nothing to add to
    demo_load()
    assert assessments_demo_load() is True
    counts = (Assessment.objects.count(), PublishedRating.objects.count(), RatingSnapshot.objects.count())
    assert assessments_demo_load() is False
    assert (
        Assessment.objects.count(),
        PublishedRating.objects.count(),
        RatingSnapshot.objects.count(),
    ) == counts
    assert set(Assessment.objects.values_list("title", flat=True)) == {
        CQC_CYP_TITLE,
        CQC_UEC_TITLE,
        SELF_TITLE,
    }
    assert all(a.is_published for a in Assessment.objects.all())
    cyp = RatingSnapshot.objects.get(assessment__title=CQC_CYP_TITLE, key_question="well_led")
    assert cyp.working.startswith(
        "W1 3, W2 3, W3 4, W4 3, W5 3, W6 3, W7 3, W8 2 = 24 of 32 = 75%: good "
        "(previously requires improvement)."
    )
    safe = RatingSnapshot.objects.get(assessment__title=CQC_UEC_TITLE, key_question="safe")
    assert (
        safe.rating == "requires_improvement"
        and "held at requires improvement by a requirement notice" in safe.working
    )
    assert Finding.objects.filter(framework_element__code="S6", actions__reference="UEC1").exists()
