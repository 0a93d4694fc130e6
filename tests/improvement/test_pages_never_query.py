"""The QI, accreditation and performance report pages, like every other page, read nothing from the database
while their templates render (tests/core/test_templates_never_query.py's check)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from tests.accreditation.conftest import all_met
from tests.core.test_templates_never_query import TemplateQueried, templates_never_query  # noqa: F401 (fixture)

from wellled.accreditation import services as accreditation
from wellled.core.choices import Role
from wellled.improvement import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(project, lead, editor, org, watched):
    from wellled.accreditation.models import AccreditationScheme
    from wellled.core.choices import UnitKind
    from wellled.core.services import organisation_unit_create

    cycle = services.pdsa_record(
        project=project,
        by=lead,
        title="Flag",
        plan="Try.",
        prediction="Fewer.",
        started_on=datetime.date(2025, 1, 6),
    )
    ward = organisation_unit_create(organisation=org, kind=UnitKind.WARD, name="Ash ward", by=None)
    scheme = AccreditationScheme.objects.get(key="wellled-ward-accreditation")
    visit = accreditation.ward_audit_start(
        organisation=org, unit=ward, scheme=scheme, audited_on=datetime.date(2026, 6, 1), by=lead
    )
    visit = accreditation.ward_audit_answers_record(
        audit=visit,
        by=lead,
        expected_version=visit.version,
        answers=all_met(scheme),
        evidence={"SAFE1": "Seen."},
    )
    done = accreditation.ward_audit_complete(audit=visit, by=lead, expected_version=visit.version)
    draft = accreditation.ward_audit_start(
        organisation=org, unit=ward, scheme=scheme, audited_on=datetime.date(2026, 11, 1), by=lead
    )
    driver = project.drivers.first()
    return [
        reverse("qi-project-list"),
        reverse("qi-project-create"),
        reverse("qi-project-detail", args=[project.pk]),
        reverse("qi-project-edit", args=[project.pk]),
        reverse("qi-driver-add", args=[project.pk]),
        reverse("qi-measure-link", args=[project.pk]),
        reverse("qi-pdsa-create", args=[project.pk]),
        reverse("qi-project-history", args=[project.pk]),
        reverse("qi-change-idea-add", args=[driver.pk]),
        reverse("qi-pdsa-detail", args=[cycle.pk]),
        reverse("accreditation-overview"),
        reverse("ward-detail", args=[ward.pk]),
        reverse("ward-visit-start"),
        reverse("ward-visit-detail", args=[done.pk]),
        reverse("ward-visit-detail", args=[draft.pk]),
        reverse("ward-visit-edit", args=[draft.pk]),
        reverse("ward-visit-history", args=[done.pk]),
        reverse("ipr"),
        reverse("ipr-commentary", args=[watched.pk]),
        reverse("measure-detail", args=[watched.pk]),
    ]


@pytest.mark.parametrize("role", [Role.GOVERNANCE_EDITOR, Role.LEAD, Role.VIEWER])
def test_no_template_queries_on_the_new_apps_pages(role, templates_never_query, pages, people, login):  # noqa: F811
    client = login(people[role])
    failures = []
    for url in pages:
        try:
            response = client.get(url)
        except TemplateQueried as exc:
            failures.append((url, str(exc)))
            continue
        assert response.status_code in (200, 403), (url, response.status_code)
    assert failures == [], "\n".join(f"{u}: {m}" for u, m in failures)
