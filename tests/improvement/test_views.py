"""QI pages: anonymous → sign-in, another organisation → 404 (a POST changes nothing), roles → 403, and a PDSA
cycle shown on the chart of the measure the project watches (SVG and PNG)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.factories import db_state

from wellled.improvement import services
from wellled.improvement.models import ChangeIdea, Driver, PDSACycle, ProjectMeasure, QIProject
from wellled.improvement.urls import urlpatterns

pytestmark = pytest.mark.django_db

OBJECT_URLS = {
    "qi-project-detail": "project",
    "qi-project-edit": "project",
    "qi-driver-add": "project",
    "qi-measure-link": "project",
    "qi-pdsa-create": "project",
    "qi-project-history": "project",
    "qi-change-idea-add": "driver",
    "qi-pdsa-detail": "cycle",
}
PLAIN_URLS = {"qi-project-list", "qi-project-create", "qi-projects-export", "qi-projects-import"}
MANAGING = {
    "qi-project-create",
    "qi-project-edit",
    "qi-driver-add",
    "qi-measure-link",
    "qi-change-idea-add",
    "qi-projects-import",
}
PDSA = {"qi-pdsa-create"}


def state():
    models = [QIProject, Driver, ChangeIdea, ProjectMeasure, PDSACycle]
    return {**db_state(), **{m.__name__: sorted(map(repr, m.objects.values())) for m in models}}


@pytest.fixture
def objs(project, lead):
    import datetime

    cycle = services.pdsa_record(
        project=project,
        by=lead,
        title="Whiteboard flag",
        plan="Try it.",
        prediction="Fewer falls.",
        started_on=datetime.date(2025, 1, 6),
    )
    return {"project": project, "driver": project.drivers.first(), "cycle": cycle}


def url(name, objs):
    kind = OBJECT_URLS.get(name)
    return reverse(name, args=[objs[kind].pk]) if kind else reverse(name)


def test_every_improvement_url_is_listed_here():
    assert {p.name for p in urlpatterns} == set(OBJECT_URLS) | PLAIN_URLS


def test_anonymous_people_are_sent_to_sign_in(client, objs):
    for name in set(OBJECT_URLS) | PLAIN_URLS:
        response = client.get(url(name, objs))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_outsider_gets_404_for_every_project_page_and_a_post_changes_nothing(login, objs, outsider):
    client = login(outsider)
    before = state()
    for name in OBJECT_URLS:
        assert client.get(url(name, objs)).status_code == 404, name
        post = client.post(
            url(name, objs), {"title": "x", "text": "x", "plan": "x", "prediction": "x", "version": 1}
        )
        assert post.status_code == 404, name
    assert "Fewer falls on the frailty wards" not in client.get(reverse("qi-project-list")).content.decode()
    assert state() == before


@pytest.mark.parametrize("role", ["viewer", "lead"])
def test_viewers_and_leads_get_403_on_managing_pages(login, people, objs, role):
    client = login(people[role])
    before = state()
    for name in sorted(MANAGING):
        assert client.get(url(name, objs)).status_code == 403, name
        assert client.post(url(name, objs), {"title": "x", "text": "x", "version": 1}).status_code == 403, (
            name
        )
    assert state() == before


def test_a_viewer_reads_every_page_but_records_no_cycle(login, people, objs):
    client = login(people["viewer"])
    for name in ("qi-project-list", "qi-project-detail", "qi-pdsa-detail", "qi-project-history"):
        assert client.get(url(name, objs)).status_code == 200, name
    before = state()
    assert client.get(url("qi-pdsa-create", objs)).status_code == 403
    assert client.post(url("qi-pdsa-detail", objs), {"version": 1, "act": "adopt"}).status_code == 403
    assert state() == before


def test_the_projects_lead_records_a_cycle_and_it_is_drawn_on_the_chart(login, lead, objs, watched):
    client = login(lead)
    response = client.post(
        url("qi-pdsa-create", objs),
        {
            "title": "Huddle <script>",
            "plan": "Name at-risk patients at each huddle.",
            "prediction": "Fewer falls.",
            "started_on": "2025-03-03",
        },
    )
    cycle = PDSACycle.objects.get(title="Huddle <script>")
    assert response["Location"] == reverse("qi-pdsa-detail", args=[cycle.pk])
    chart = client.get(reverse("measure-detail", args=[watched.pk])).content.decode()
    assert "PDSA: Huddle &lt;script&gt;" in chart and "<script>" not in chart.split("PDSA: Huddle", 1)[1][:40]
    png = client.get(reverse("measure-chart-png", args=[watched.pk]))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    page = client.get(url("qi-project-detail", objs)).content.decode()
    assert "Huddle &lt;script&gt;" in page and "Falls per 1,000 bed days" in page
