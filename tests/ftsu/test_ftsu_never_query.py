"""The Freedom to Speak Up pages read nothing from the database while their templates render
(tests/core/test_templates_never_query.py's check), for the guardian, a champion and a viewer."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.core.test_templates_never_query import TemplateQueried, templates_never_query  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_no_template_queries_on_the_speak_up_pages(
    templates_never_query,  # noqa: F811
    login,
    client,
    org,
    people,
    guardian,
    champion,
    case,
):
    import datetime

    from wellled.ftsu.services import board_report_issue, guardian_report_create

    report = guardian_report_create(
        organisation=org,
        by=guardian,
        period_from=datetime.date(2024, 4, 1),
        period_to=datetime.date(2024, 9, 30),
        themes="Rotas",
    )
    board_report_issue(report=report, by=guardian)
    pages = {
        guardian: [
            reverse("ftsu-case-list"),
            reverse("ftsu-case-create"),
            reverse("ftsu-case-detail", args=[case.pk]),
            reverse("ftsu-case-edit", args=[case.pk]),
            reverse("ftsu-return") + "?quarter=2024/25 Q1",
            reverse("ftsu-report-list"),
            reverse("ftsu-report-create"),
            reverse("ftsu-report-detail", args=[report.pk]),
            reverse("ftsu-report-edit", args=[report.pk]),
            reverse("ftsu-learning"),
        ],
        champion: [reverse("ftsu-champion"), reverse("ftsu-case-create")],
        people["viewer"]: [reverse("ftsu-return"), reverse("ftsu-report-list")],
    }
    failures = []
    for person, urls in pages.items():
        login(person)
        for url in urls:
            try:
                response = client.get(url)
            except TemplateQueried as exc:
                failures.append((url, str(exc)))
                continue
            assert response.status_code == 200, (url, response.status_code)
        client.logout()
    for url in (
        reverse("ftsu-anonymous-raise", args=[org.ods_code]),
        reverse("ftsu-anonymous-case", args=[org.ods_code]),
    ):
        try:
            assert client.get(url).status_code == 200
        except TemplateQueried as exc:
            failures.append((url, str(exc)))
    assert failures == [], "\n".join(f"{u}: {m}" for u, m in failures)
