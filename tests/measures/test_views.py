"""Measure pages: scoping (404 for another organisation, and a POST changes nothing), roles (403), the success
measure on the action page and in the plan table (constant queries), the dashboard exception, the PNG."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import db_state, make_plan

from wellled.core.service_kit import AS_IT_STANDS
from wellled.measures import services
from wellled.measures.models import (
    Annotation,
    Measure,
    MeasureValue,
    Rebase,
    SuccessMeasureLink,
    SurveyScore,
)
from wellled.measures.urls import urlpatterns
from wellled.plans import services as plan_services

pytestmark = pytest.mark.django_db

# The object each measure URL names; every URL of the app must be listed here (a test checks).
OBJECT_URLS = {
    "measure-detail": "measure",
    "measure-edit": "measure",
    "measure-values": "measure",
    "measure-upload-one": "measure",
    "measure-rebase": "measure",
    "measure-annotate": "measure",
    "measure-chart-png": "measure",
    "measure-data-csv": "measure",
    "measure-data-xlsx": "measure",
    "measure-history": "measure",
    "measure-survey": "measure",
    "measure-survey-upload": "measure",
    "measure-survey-xlsx": "measure",
    "measure-rebase-remove": "rebase",
    "action-measure-link": "action",
}
PLAIN_URLS = {"measure-list", "measure-summary", "measure-create", "measure-upload", "measures-data-xlsx"}
EDITING = {
    "measure-create",
    "measure-upload",
    "measure-edit",
    "measure-values",
    "measure-upload-one",
    "measure-rebase",
    "measure-annotate",
    "measure-rebase-remove",
    "action-measure-link",
    "measure-survey",
    "measure-survey-upload",
}
POST_ONLY = {"measure-rebase", "measure-annotate", "measure-rebase-remove", "measure-survey-upload"}
POSTS = {
    "measure-edit": {
        "name": "Renamed",
        "kind": "value",
        "direction": "increase",
        "frequency": "monthly",
        "version": 1,
    },
    "measure-create": {"name": "Posted", "kind": "value", "direction": "increase", "frequency": "monthly"},
    "measure-values": {"period": "2019-01-01", "value": "1"},
    "measure-rebase": {"date": "2023-06-01", "reason": "Posted"},
    "measure-annotate": {"date": "2023-06-01", "text": "Posted"},
    "action-measure-link": {"measure": "0", "target": "1", "met_when": "direction"},
    "measure-survey": {
        "year": "2024",
        "team_score": "7",
        "team_median": "7",
        "team_best": "8",
        "team_worst": "6",
    },
}


def state():
    models = [Measure, MeasureValue, Rebase, Annotation, SuccessMeasureLink, SurveyScore]
    return {**db_state(), **{m.__name__: sorted(map(repr, m.objects.values())) for m in models}}


def test_every_measure_url_is_listed_here():
    assert {p.name for p in urlpatterns} == set(OBJECT_URLS) | PLAIN_URLS


def _url(name, objs):
    kind = OBJECT_URLS.get(name)
    return reverse(name, args=[objs[kind].pk]) if kind else reverse(name)


@pytest.fixture
def objs(objects, measure_objects):
    return {**objects, **measure_objects}


def test_outsider_gets_404_for_every_measure_url_and_a_post_changes_nothing(login, objs, outsider):
    client = login(outsider)
    before = state()
    for name in OBJECT_URLS:
        url = _url(name, objs)
        get = client.get(url)
        assert get.status_code == (405 if name in POST_ONLY else 404), (name, get.status_code)
        post = client.post(url, {**POSTS.get(name, {}), "measure": objs["measure"].pk})
        assert post.status_code == 404, (name, post.status_code)
        assert b"Overdue risk reviews" not in get.content + post.content
    assert state() == before


def test_members_reach_every_measure_url(login, people, objs):
    client = login(people["viewer"])
    for name in sorted((set(OBJECT_URLS) | PLAIN_URLS) - EDITING):
        response = client.get(_url(name, objs))
        assert response.status_code == (405 if name in POST_ONLY else 200), name
    client.logout()
    client = login(people["administrator"])
    for name in sorted(EDITING - POST_ONLY):
        assert client.get(_url(name, objs)).status_code == 200, name


@pytest.mark.parametrize("role", ["viewer", "lead"])
def test_viewers_and_leads_get_403_on_every_editing_page_and_change_nothing(login, people, objs, role):
    client = login(people[role])
    before = state()
    for name in sorted(EDITING):
        url = _url(name, objs)
        if name not in POST_ONLY:
            assert client.get(url).status_code == 403, name
        assert client.post(url, {**POSTS.get(name, {}), "measure": objs["measure"].pk}).status_code == 403, (
            name
        )
    assert state() == before


def test_the_measure_list_and_summary_hide_another_organisations_measures(
    login, editor, measure, foreign_measure
):
    client = login(editor)
    for url in ("/measures/", "/measures/summary/"):
        body = client.get(url).content.decode()
        assert "Overdue risk reviews" in body and "Southvale secret measure" not in body


def test_the_measure_page_shows_the_chart_its_text_icons_and_gaps(login, editor, org, measure):
    services.values_load(
        organisation=org,
        by=editor,
        source="x",
        rows=[services.ValueRow(measure.pk, datetime.date(2025, 3, 1), value=250.0)],
    )
    body = login(editor).get(f"/measures/{measure.pk}/").content.decode()
    assert "<svg" in body and 'role="img"' in body and "What the chart shows:" in body
    assert "Special cause improvement" in body or "Common cause" in body
    assert "Gap: no figure" in body  # 2025-01 to 2025-02 have no figure, shown as rows


def test_editor_adds_a_rebase_with_a_reason_and_a_note_through_the_page(login, editor, measure):
    client = login(editor)
    missing = client.post(f"/measures/{measure.pk}/rebase/", {"date": "2024-01-01", "reason": ""})
    assert (
        missing.status_code == 400
        and "Enter the reason for recalculating the limits" in missing.content.decode()
    )
    ok = client.post(f"/measures/{measure.pk}/rebase/", {"date": "2024-01-01", "reason": "Clinics started"})
    assert ok.status_code == 302
    assert Rebase.objects.get(measure=measure).reason == "Clinics started"
    client.post(f"/measures/{measure.pk}/annotate/", {"date": "2024-01-01", "text": "Clinics"})
    body = client.get(f"/measures/{measure.pk}/").content.decode()
    assert "Clinics started" in body and "in 2 groups" in body


def test_png_download(login, viewer, measure):
    response = login(viewer).get(f"/measures/{measure.pk}/chart.png")
    assert response["Content-Type"] == "image/png" and response.content[:4] == b"\x89PNG"


def test_csv_download_is_formula_safe(login, editor, org):
    m = services.measure_create(organisation=org, by=editor, name="=HYPERLINK(1)", kind="value")
    services.values_load(
        organisation=org,
        by=editor,
        source="x",
        rows=[services.ValueRow(m.pk, datetime.date(2025, 1, 1), value=1.0)],
    )
    body = login(editor).get(f"/measures/{m.pk}/data.csv").content.decode()
    assert "'=HYPERLINK(1)" in body


def test_editor_links_a_success_measure_and_the_action_and_plan_table_show_it(
    login, editor, objs, proportion
):
    client = login(editor)
    action = objs["action"]
    response = client.post(
        f"/actions/{action.pk}/success-measure/",
        {"measure": proportion.pk, "target": "40", "met_when": "direction"},
    )
    assert response.status_code == 302
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert "Survey response rate" in page and "latest 31.4%" in page and "not met" in page
    plan = client.get(f"/plans/{action.plan_id}/").content.decode()
    assert 'class="wl-action-measure wl-action-measure--cell"' in plan and "Survey response rate" in plan


def test_actions_without_a_link_show_nothing_of_measures(login, viewer, objs):
    page = login(viewer).get(f"/plans/{objs['plan'].pk}/").content.decode()
    assert "wl-action-measure" not in page


def test_the_plan_page_costs_the_same_queries_however_many_actions_are_linked(
    login, org, editor, lead, measure, proportion
):
    plan = make_plan(org, editor, name="Big plan", actions=3, lead=lead)
    actions = list(plan.actions.all())
    services.success_measure_link(action=actions[0], by=editor, measure=measure, target=200)
    client = login(editor)
    client.get(f"/plans/{plan.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/plans/{plan.pk}/")
    section = plan.sections.first()
    for i in range(12):
        a = plan_services.action_create(
            plan=plan, by=editor, reference=f"X{i}", title="More", section=section
        )
        services.success_measure_link(action=a, by=editor, measure=[measure, proportion][i % 2], target=1)
    for a in actions[1:]:
        services.success_measure_link(action=a, by=editor, measure=proportion, target=1)
    with CaptureQueriesContext(connection) as many:
        body = client.get(f"/plans/{plan.pk}/").content.decode()
    assert body.count("wl-action-measure--cell") == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_dashboard_lists_complete_actions_whose_measure_is_failing(login, editor, org, objs, measure):
    action = objs["action"]
    client = login(editor)
    services.success_measure_link(action=action, by=editor, measure=measure, target=200)
    assert "Complete, but the measure has not improved" not in client.get("/").content.decode()
    plan_services.action_state_set(action=action, by=editor, expected_version=AS_IT_STANDS, state="completed")
    body = client.get("/").content.decode()
    assert (
        "Complete, but the measure has not improved" in body
    )  # target 200 is below the lower limit: failing
    assert f'href="/actions/{action.pk}/"' in body


@pytest.mark.django_db
def test_editor_gives_a_measure_its_shared_indicator_code_on_its_page(login, editor, measure):
    """Oversight bodies compare trusts by this code (their trajectories), so the trust sets it where it edits."""
    client = login(editor)
    data = {
        **POSTS["measure-edit"],
        "name": measure.name,
        "version": measure.version,
        "indicator_code": " A&E-4H ",
    }
    response = client.post(reverse("measure-edit", args=[measure.pk]), data)
    assert response.status_code == 302, response.content[:800]
    measure.refresh_from_db()
    assert measure.indicator_code == "A&E-4H"
    assert "A&amp;E-4H" in client.get(reverse("measure-detail", args=[measure.pk])).content.decode()
    data = {**data, "version": measure.version, "indicator_code": "X" * 41}
    refused = client.post(reverse("measure-edit", args=[measure.pk]), data)
    assert refused.status_code == 200 and "at most 40 characters" in refused.content.decode()
