"""A request answered in words through the API: the narrative is kept and frozen into the answer, which shows it
(issue 26); a written request with nothing written is refused naming the field."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def written_request(org) -> dict:
    today = timezone.localdate()
    return {
        "subject": org.pk,
        "question": "Your complaints handling policy, please.",
        "received_on": today.isoformat(),
        "due_on": (today + datetime.timedelta(days=10)).isoformat(),
        "kind": "written",
        "parameters": {"topic": "Complaints handling policy"},
        "asked_by_name": "Healthwatch Example",
        "asked_by_email": "enquiries@healthwatch.example",
    }


def test_a_written_request_is_answered_with_narrative_through_the_api(api, editor, org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    caller = api(editor)
    made = caller.post("/api/information-requests/", written_request(org))
    assert made.status_code == 201, made.content
    assert made.json()["parameters"] == {"topic": "complaints handling policy"}
    answer_path = f"/api/information-requests/{made.json()['id']}/answer/"
    refused = caller.post(answer_path, {})
    assert refused.status_code == 400 and "narrative" in refused.json()["errors"]
    answered = caller.post(answer_path, {"narrative": "Acknowledged in three working days; see the policy."})
    assert answered.status_code == 200, answered.content
    answer = caller.get(f"/api/information-answers/{answered.json()['answer']['id']}/").json()
    assert (
        answer["narrative"] == "Acknowledged in three working days; see the policy."
        and answer["document"] == ""
    )
