"""The cases issue 13 found answering 500, each now a 400 or a form error; and optimistic locking that cannot be
skipped by leaving the hidden version out."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from tests.factories import db_state, make_plan_objects

from wellled.assessments import services as assessment_services
from wellled.assessments.choices import AssessmentState, AssessorKind
from wellled.frameworks.models import Framework
from wellled.plans import services
from wellled.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(plan, editor, lead):
    return make_plan_objects(plan, editor, lead)


@pytest.fixture
def assessment(org, editor):
    return assessment_services.assessment_create(
        organisation=org,
        by=editor,
        framework=Framework.objects.get(key="nhs-well-led-2017", organisation__isnull=True),
        assessed_on=datetime.date(2026, 3, 1),
        assessor_kind=AssessorKind.SELF_ASSESSMENT,
    )


@pytest.mark.parametrize("version", ["abc", "1e9", "9" * 40, "", None])
def test_submitting_an_assessment_with_a_malformed_or_missing_version_is_refused_not_a_server_error(
    login, editor, assessment, version
):
    client = login(editor)
    data = {} if version is None else {"version": version}
    response = client.post(reverse("assessment-submit", args=[assessment.pk]), data, follow=True)
    assert response.status_code == 200
    assert "The form was incomplete" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DRAFT


@pytest.mark.parametrize("version", ["abc", None])
def test_publishing_an_assessment_with_a_malformed_or_missing_version_is_refused_not_a_server_error(
    login, editor, assessment, version
):
    client = login(editor)
    data = {} if version is None else {"version": version}
    response = client.post(reverse("assessment-publish", args=[assessment.pk]), data)
    assert response.status_code == 200
    assert "The form was incomplete" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DRAFT


@pytest.mark.parametrize(
    "query",
    [
        {"lead": "9" * 30},
        {"section": str(2**64)},
        {"lead": "²"},
        {"section": "-1"},
        {"lead": "12abc", "section": "0"},
    ],
)
def test_plan_filters_with_huge_or_malformed_ids_show_the_plan(login, editor, objects, query):
    response = login(editor).get(reverse("plan-detail", args=[objects["plan"].pk]), query)
    assert response.status_code == 200
    assert objects["action"].reference in response.content.decode()  # the filter was ignored, not applied


@pytest.mark.parametrize("query", [{"q": "a\x00b"}, {"status": "\x00"}, {"q": "x", "lead": "\x00"}])
def test_a_nul_character_in_a_search_or_filter_is_a_400_before_any_query(login, editor, objects, query):
    response = login(editor).get(reverse("plan-detail", args=[objects["plan"].pk]), query)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_character_in_a_form_value_is_a_400_and_nothing_is_saved(login, editor, objects):
    client = login(editor)
    before = db_state()
    response = client.post(
        reverse("plan-edit", args=[objects["plan"].pk]),
        {"name": "Plan\x00", "kind": "self_review", "version": objects["plan"].version},
    )
    assert response.status_code == 400 and db_state() == before


def test_sending_reminders_with_no_reachable_mail_server_says_so_and_records_nothing(
    login, editor, objects, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    response = login(editor).post(
        reverse("cycle-remind", args=[objects["cycle"].pk]), {"send": "all"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "the mail server did not answer" in page and "No reminder was sent." in page
    assert not objects["cycle"].reminders.exists()


def test_a_plan_name_with_a_line_break_is_refused_by_the_form(login, editor, objects):
    response = login(editor).post(
        reverse("plan-edit", args=[objects["plan"].pk]),
        {"name": "Board\nplan", "kind": "self_review", "version": objects["plan"].version},
    )
    assert response.status_code == 200
    assert "Keep this on one line" in response.content.decode()
    assert Plan.objects.get(pk=objects["plan"].pk).name == objects["plan"].name


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("plan-export", "xlsx"),
        ("plan-export", "csv"),
        ("board-paper-download", "pdf"),
        ("board-paper-download", "docx"),
    ],
)
def test_downloads_of_a_plan_whose_stored_name_has_a_line_break_work(login, editor, objects, name, fmt):
    Plan.objects.filter(pk=objects["plan"].pk).update(name="Board\r\nplan\nname")  # as stored before the rule
    response = login(editor).get(reverse(name, args=[objects["plan"].pk, fmt]))
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"] and "\r" not in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("url_name", "kind", "data"),
    [
        ("plan-edit", "plan", {"name": "Renamed", "kind": "self_review"}),
        ("section-edit", "section", {"code": "W1", "title": "Renamed"}),
        ("action-edit", "action", {"reference": "W1a", "title": "Renamed"}),
        (
            "finding-edit",
            "finding",
            {"text": "Renamed", "finding_type": "should_do", "source": "cqc_inspection"},
        ),
        ("action-timescale", "action", {"due_date": "2027-05-31", "precision": "month", "reason": "Later"}),
    ],
)
def test_an_edit_without_the_hidden_version_is_refused_and_saves_nothing(
    login, editor, objects, url_name, kind, data
):
    """Leaving `version` out must not be a way past the check that refuses overwriting someone else's save."""
    client = login(editor)
    before = db_state()
    response = client.post(reverse(url_name, args=[objects[kind].pk]), data)
    assert response.status_code == 200
    assert "The form was incomplete" in response.content.decode()
    assert db_state() == before


def test_an_edit_with_the_current_version_still_saves(login, editor, objects):
    client = login(editor)
    plan = objects["plan"]
    response = client.post(
        reverse("plan-edit", args=[plan.pk]),
        {"name": "Renamed", "kind": "self_review", "version": plan.version},
    )
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).name == "Renamed"


def test_a_version_posted_by_a_service_caller_that_is_not_a_number_is_a_validation_error(editor, objects):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.plan_update(plan=objects["plan"], by=editor, expected_version="abc", name="x")
    assert "version" in refused.value.message_dict
