"""The accreditation panel's decision through the API, as on the audit's page: a manager of accreditation awards
(never above the proposed level), with the version in If-Match; the auditor may not award (issue 26)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from wellled.core.choices import Role

pytestmark = pytest.mark.django_db


def test_the_panel_awards_through_the_api_and_a_lead_cannot(api, accreditation_objects, people, editor):
    audit = accreditation_objects["audit"]
    path = f"/api/ward-audits/{audit.pk}/decide/"
    body = {
        "decision": "awarded",
        "reason": "Confirmed at panel.",
        "decided_on": timezone.localdate().isoformat(),
    }
    etag = {"If-Match": f'"{audit.version}"'}
    assert api(people[Role.LEAD]).post(path, body, headers=etag).status_code == 403
    caller = api(editor)
    assert caller.post(path, body).status_code == 428  # the version is required
    higher = caller.post(path, {**body, "level_code": "platinum"}, headers=etag)
    assert higher.status_code == 400 and "level" in higher.json()["errors"], higher.content
    awarded = caller.post(path, body, headers=etag)
    assert awarded.status_code == 200, awarded.content
    shown = awarded.json()
    assert (shown["decision"], shown["awarded_level_code"], shown["decision_reason"]) == (
        "awarded",
        audit.level_code,
        "Confirmed at panel.",
    )
    ward = caller.get(f"/api/wards/{audit.unit_id}/").json()
    assert ward["latest"]["awarded_level_code"] == audit.level_code
