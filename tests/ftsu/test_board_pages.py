"""The board report's and the learning pages for every role: only a guardian of the trust writes, drafts or issues a
report or raises learning (everyone else, another trust's guardian and an oversight body: not found, and a post
changes nothing); any member of the trust reads the issued report's files, another trust's people do not."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from wellled.core.models import AuditLog
from wellled.ftsu import services
from wellled.ftsu.models import GuardianReport
from wellled.plans.models import Action
from wellled.reports.models import IssuedPaper
from wellled.risks.models import Gap

from .test_ftsu_pages import overseer as overseer  # the fixture

pytestmark = pytest.mark.django_db
GUARDIAN_ONLY = [
    "ftsu-report-create",
    "ftsu-report-detail",
    "ftsu-report-edit",
    "ftsu-report-issue",
    "ftsu-learning",
]
REPORT_POST = {"period_from": "2024-04-01", "period_to": "2024-09-30", "themes": "x", "version": 1}


@pytest.fixture
def report(org, guardian):
    return services.guardian_report_create(
        organisation=org,
        by=guardian,
        period_from=datetime.date(2024, 4, 1),
        period_to=datetime.date(2024, 9, 30),
        themes="Rotas and rest breaks came up most.",
    )


def _url(name, report):
    return (
        reverse(name, args=[report.pk])
        if name in {"ftsu-report-detail", "ftsu-report-edit", "ftsu-report-issue"}
        else reverse(name)
    )


def _state():
    return (
        sorted(map(repr, GuardianReport.objects.values())),
        IssuedPaper.objects.count(),
        Action.objects.count(),
        Gap.objects.count(),
    )


def test_only_the_guardian_reaches_the_report_and_learning_pages(
    login,
    client,
    org,
    people,
    guardian,
    champion,
    other_guardian,
    overseer,
    report,  # noqa: F811
):
    before = _state()
    for person in [*people.values(), champion, other_guardian, overseer]:
        login(person)
        if person is overseer:
            session = client.session
            session["wellled_organisation_id"] = org.pk
            session.save()
        for name in GUARDIAN_ONLY:
            if person is other_guardian and name in {"ftsu-report-create", "ftsu-learning"}:
                continue  # their own trust's pages: this trust's report is what they must not reach
            assert client.get(_url(name, report)).status_code in (404, 405), (person.username, name)
            assert client.post(_url(name, report), REPORT_POST).status_code == 404, (person.username, name)
        draft = reverse("paper-draft", args=["ftsu_board", "pdf"]) + f"?report={report.pk}"
        assert client.get(draft).status_code in (403, 404), person.username
        client.logout()
    assert _state() == before


def test_the_guardian_writes_issues_and_every_member_reads(
    login, client, org, people, guardian, other_guardian, overseer, report
):  # noqa: F811
    login(guardian)
    assert "Rotas and rest breaks" in client.get(_url("ftsu-report-detail", report)).content.decode()
    response = client.post(
        _url("ftsu-report-edit", report), {**REPORT_POST, "version": report.version, "champions": "12"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.champions == 12 and report.themes == "x"
    stale = client.post(_url("ftsu-report-edit", report), {**REPORT_POST, "version": 1, "themes": "Old"})
    assert stale.status_code == 200 and GuardianReport.objects.get().themes == "x"
    draft = client.get(reverse("paper-draft", args=["ftsu_board", "pdf"]) + f"?report={report.pk}")
    assert draft.status_code == 200 and draft.content.startswith(b"%PDF")
    assert client.post(_url("ftsu-report-issue", report)).status_code == 302
    issued = IssuedPaper.objects.get(kind="ftsu_board")
    for person in people.values():
        client.logout()
        login(person)
        assert issued.title in client.get(reverse("ftsu-report-list")).content.decode()
        for fmt in ("pdf", "docx"):
            assert client.get(reverse("ftsu-board-issued", args=[issued.pk, fmt])).status_code == 200
    client.logout()
    login(other_guardian)
    assert client.get(reverse("ftsu-board-issued", args=[issued.pk, "pdf"])).status_code == 404
    assert issued.title not in client.get(reverse("ftsu-report-list")).content.decode()


def test_learning_reaches_the_plan_and_the_risk_carrying_only_what_was_typed(
    login, client, org, people, guardian, case, plan
):
    from tests.risks.conftest import make_risk

    # The guardian also manages plans and risks here (a governance editor holding the guardian role).
    services.speak_up_role_set(
        organisation=org, person=people["governance_editor"], role="guardian", by=people["administrator"]
    )
    editor = people["governance_editor"]
    login(editor)
    typed = "Hold listening events on night shifts in every directorate"
    response = client.post(
        reverse("ftsu-learning"),
        {"form": "action", "action-plan": plan.pk, "action-reference": "FTSU-L1", "action-title": typed},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = Action.objects.get(reference="FTSU-L1")
    assert action.title == typed and action.plan == plan
    records = AuditLog.objects.filter(object_id=str(action.pk), content_type__model="action")
    assert records.exists()
    for record in records:
        flat = f"{record.before} {record.after} {record.note}"
        assert case.reference not in flat and "marigold" not in flat
    assert not any("ftsu" in f.name or "case" in f.name for f in Action._meta.get_fields())
    risk = make_risk(org, editor)
    theme = "Staff fear raising rota concerns with their own managers"
    response = client.post(
        reverse("ftsu-learning"), {"form": "risk", "risk-risk": risk.pk, "risk-description": theme}
    )
    assert response.status_code == 302
    gap = Gap.objects.get(risk=risk)
    assert gap.description == theme and gap.kind == "assurance"
    for record in AuditLog.objects.filter(object_id=str(gap.pk), content_type__model="gap"):
        assert case.reference not in f"{record.before} {record.after} {record.note}"


def test_a_guardian_who_cannot_change_the_plan_is_told_so(login, client, guardian, plan):
    login(guardian)  # a viewer holding the guardian role
    response = client.post(
        reverse("ftsu-learning"),
        {"form": "action", "action-plan": plan.pk, "action-reference": "FTSU-L2", "action-title": "Anything"},
    )
    assert response.status_code == 200 and "does not let you change" in response.content.decode()
    assert not Action.objects.filter(reference="FTSU-L2").exists()
