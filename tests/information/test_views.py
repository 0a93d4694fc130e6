"""Information request pages, tried for scoping: every URL of the region's register refuses another body's person
(404, a POST changes nothing), a trust person cannot read the body's register, a body sees in "Shared with us"
only what was shared with it, anonymous people are sent to sign in, and a viewer may not write (ADR 0041)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.factories import db_state, make_person

from wellled.core.choices import OrganisationKind, Role
from wellled.core.services import organisation_create
from wellled.information import services
from wellled.information.models import Answer, Delivery, InformationRequest, RequestStatus
from wellled.information.urls import urlpatterns

pytestmark = pytest.mark.django_db

OBJECT_URLS = {
    "information-request-detail": lambda w: [w["request"].pk],
    "information-request-answer": lambda w: [w["request"].pk],
    "information-request-answer-progress": lambda w: [w["request"].pk],
    "information-request-reuse": lambda w: [w["later"].pk, w["answer"].pk],
    "information-request-withdraw": lambda w: [w["later"].pk],
    "information-request-history": lambda w: [w["request"].pk],
    "information-request-edit": lambda w: [w["later"].pk],
    "information-answer-file": lambda w: [w["answer"].pk, "xlsx"],
    "information-answer-withdraw": lambda w: [w["answer"].pk],
    "information-shared-file": lambda w: [w["delivery"].pk, "xlsx"],
}
PLAIN_URLS = {"information-request-list", "information-request-create", "information-shared-list"}
POST_ONLY = {
    "information-request-answer",
    "information-request-reuse",
    "information-request-withdraw",
    "information-answer-withdraw",
}


def state():
    models = [InformationRequest, Answer, Delivery]
    return {**db_state(), **{m.__name__: sorted(map(repr, m.objects.values())) for m in models}}


def work_in(client, organisation):
    response = client.post(reverse("organisation-switch"), {"organisation": organisation.pk, "next": "/"})
    assert response.status_code == 302
    return client


@pytest.fixture
def world(register, director):
    request = register(their_reference="ICB/1")
    outcome = services.answer_produce(request=request, by=director)
    later = register(their_reference="ICB/2")
    return {
        "request": request,
        "answer": outcome.answer,
        "later": later,
        "delivery": Delivery.objects.get(request=request),
    }


@pytest.fixture
def other_body(db):
    body = organisation_create(
        name="Other Region", ods_code="ZR002", by=None, kind=OrganisationKind.OVERSIGHT
    )
    return make_person(body, role=Role.ADMINISTRATOR, username="otherbody")


def test_every_url_is_tried_here():
    assert {p.name for p in urlpatterns} == set(OBJECT_URLS) | PLAIN_URLS


def test_anonymous_people_are_sent_to_sign_in(client, world):
    for name, args in OBJECT_URLS.items():
        response = client.get(reverse(name, args=args(world)))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


def test_another_bodys_person_gets_404_and_changes_nothing(login, world, other_body):
    client = login(other_body)
    before = state()
    for name, args in OBJECT_URLS.items():
        url = reverse(name, args=args(world))
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {"version": 1}).status_code == 404, name
    assert state() == before
    for name in ("information-request-list", "information-shared-list"):
        page = client.get(reverse(name)).content.decode()
        assert "ICB/1" not in page and "Moorland" not in page


def test_a_trust_person_cannot_read_the_bodys_register(login, world, editor):
    client = login(
        editor
    )  # Northmoor's governance editor: the requests are about their trust, but the region's
    before = state()
    for name, args in OBJECT_URLS.items():
        url = reverse(name, args=args(world))
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url).status_code == 404, name
    assert state() == before
    assert "ICB/1" not in client.get(reverse("information-request-list")).content.decode()


def test_the_body_that_asked_sees_the_answer_shared_with_it_and_downloads_it(login, world, icb_person):
    client = login(icb_person)
    page = client.get(reverse("information-shared-list")).content.decode()
    assert "NHS England Test Region" in page and "ICB/1" in page
    response = client.get(reverse("information-shared-file", args=[world["delivery"].pk, "xlsx"]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    # but not the region's register, nor the answer through the register's own URL
    assert client.get(reverse("information-request-detail", args=[world["request"].pk])).status_code == 404
    assert (
        client.get(reverse("information-answer-file", args=[world["answer"].pk, "xlsx"])).status_code == 404
    )


def test_a_body_that_was_not_shared_the_answer_does_not_see_it(login, world, director, register):
    other = organisation_create(name="Fenland ICB", ods_code="ZQ002", by=None, kind=OrganisationKind.ICB)
    person = make_person(other, role=Role.ADMINISTRATOR, username="fenland")
    client = login(person)
    assert "ICB/1" not in client.get(reverse("information-shared-list")).content.decode()
    assert (
        client.get(reverse("information-shared-file", args=[world["delivery"].pk, "xlsx"])).status_code == 404
    )


def test_a_viewer_of_the_region_reads_but_may_not_write(login, world, region):
    viewer = make_person(region, role=Role.VIEWER, username="regionviewer")
    client = login(viewer)
    before = state()
    assert client.get(reverse("information-request-detail", args=[world["later"].pk])).status_code == 200
    assert client.get(reverse("information-request-create")).status_code == 403
    for name in POST_ONLY:
        assert client.post(reverse(name, args=OBJECT_URLS[name](world))).status_code == 403, name
    assert state() == before


def test_the_director_answers_once_and_reuses_through_the_pages(login, world, director):
    client = login(director)
    page = client.get(reverse("information-request-detail", args=[world["later"].pk])).content.decode()
    assert "Reuse it for Moorland Integrated Care Board" in page
    response = client.post(reverse("information-request-reuse", args=[world["later"].pk, world["answer"].pk]))
    assert response.status_code == 302
    world["later"].refresh_from_db()
    assert world["later"].status == RequestStatus.ANSWERED and world["later"].answered_by_reuse
    listing = client.get(reverse("information-request-list")).content.decode()
    assert "2 requests, 1 of them by reusing" in listing
    assert client.get(reverse("information-answer-file", args=[world["answer"].pk, "csv"])).status_code == 200


def test_registering_through_the_form_for_a_portfolio_trust(login, region, director, entry, org, plan, icb):
    client = login(director)
    url = reverse("information-request-create")
    assert client.get(url).status_code == 200  # one trust in the portfolio: the form at once
    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {
            "asked_by_name": "Care Quality Commission",
            "asked_by_email": "information@cqc.example",
            "question": "The plan's position",
            "received_on": today,
            "due_on": today,
            "kind": "plan",
            "as_at": today,
            "plan": plan.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert InformationRequest.objects.get().subject == org


def test_a_form_naming_a_trust_outside_the_portfolio_is_refused(
    login, region, director, entry, org, other_org
):
    from wellled.core.services import portfolio_trust_add

    portfolio_trust_add(
        oversight_body=region,
        trust=organisation_create(name="Third Trust", ods_code="ZT003", by=None),
        by=None,
        joined_on=timezone.localdate(),
    )
    client = login(director)
    response = client.get(reverse("information-request-create"), {"subject": other_org.pk})
    assert response.status_code == 400
    assert InformationRequest.objects.count() == 0


def test_the_pages_render_with_the_database_shut_while_templates_run(
    login, world, director, icb_person, monkeypatch
):
    """Templates receive data and never query (tests/core/test_templates_never_query.py, for these pages)."""
    from django.db import connection
    from django.template.backends.jinja2 import Template

    render = Template.render

    def _refuse(*args, **kwargs):
        raise AssertionError("A template queried the database.")

    def render_shut(self, context=None, request=None):
        with connection.execute_wrapper(_refuse):
            return render(self, context, request)

    monkeypatch.setattr(Template, "render", render_shut)
    client = login(director)
    for url in (
        reverse("information-request-list"),
        reverse("information-request-create"),
        reverse("information-request-detail", args=[world["request"].pk]),
        reverse("information-request-detail", args=[world["later"].pk]),
        reverse("information-request-history", args=[world["request"].pk]),
    ):
        assert client.get(url).status_code == 200, url
    answered = client.get(reverse("information-request-detail", args=[world["request"].pk])).content.decode()
    assert "Shared in Wellled" in answered and ".xlsx" in answered
    client = login(icb_person)
    assert client.get(reverse("information-shared-list")).status_code == 200


def test_withdrawing_an_answer_stops_it_being_offered(login, world, director):
    client = login(director)
    url = reverse("information-answer-withdraw", args=[world["answer"].pk])
    client.post(url, {"reason": "", "request": world["request"].pk})
    assert world["answer"].paper.withdrawn is None  # a reason is needed
    client.post(url, {"reason": "The figures were corrected", "request": world["request"].pk})
    page = client.get(reverse("information-request-detail", args=[world["later"].pk])).content.decode()
    assert "Reuse it for" not in page
    answered = client.get(reverse("information-request-detail", args=[world["request"].pk])).content.decode()
    assert "The figures were corrected" in answered
