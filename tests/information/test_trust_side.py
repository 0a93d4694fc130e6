"""Information requests from the trust's side and over time (issue 25 item 5, issue 27 item 8): a request is
changed by its register's keepers until it is answered, every change audited and shown in its History; a trust
sees every request addressed to it with what it answered; the navigation offers requests to those who use them;
a draft of the answer is downloaded without answering; and no one crosses organisations."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.factories import db_state, make_person

from wellled.core.choices import Role
from wellled.core.models import AuditLog
from wellled.core.service_kit import ConcurrentEditError
from wellled.information import services
from wellled.information.models import InformationRequest, RequestStatus
from wellled.reports.models import IssuedPaper

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def trust_register(org, editor, plan, region, as_at):
    """A request addressed to the trust (org) by the region, in the trust's own register."""

    def _register(**overrides):
        fields = {
            "organisation": org,
            "by": editor,
            "subject": org,
            "question": "The plan's position at month end, please.",
            "received_on": TODAY(),
            "due_on": TODAY() + datetime.timedelta(days=10),
            "kind": "plan",
            "parameters": {"plan": plan.pk, "as_at": as_at},
            "asked_by_organisation": region,
        }
        fields.update(overrides)
        return services.request_register(**fields)

    return _register


def edit_data(asked, **changes):
    data = {
        "asked_by_organisation": asked.asked_by_organisation_id or "",
        "asked_by_name": asked.asked_by_name,
        "asked_by_email": asked.asked_by_email,
        "their_reference": asked.their_reference,
        "question": asked.question,
        "received_on": asked.received_on.isoformat(),
        "due_on": asked.due_on.isoformat(),
        "version": asked.version,
    }
    data.update(changes)
    return data


def test_the_owner_changes_an_open_request_and_its_history_shows_each_change(login, editor, trust_register):
    asked = trust_register(their_reference="WDR/1")
    client = login(editor)
    page = client.get(reverse("information-request-detail", args=[asked.pk])).content.decode()
    assert reverse("information-request-edit", args=[asked.pk]) in page
    later = (TODAY() + datetime.timedelta(days=21)).isoformat()
    response = client.post(
        reverse("information-request-edit", args=[asked.pk]),
        edit_data(asked, question="The plan's position, with slipped actions.", due_on=later),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    asked.refresh_from_db()
    assert (
        asked.question == "The plan's position, with slipped actions." and asked.due_on.isoformat() == later
    )
    assert asked.version == 2
    record = AuditLog.objects.filter(note="Information request changed").get()
    assert record.actor == editor and record.before["question"] == "The plan's position at month end, please."
    history = client.get(reverse("information-request-history", args=[asked.pk])).content.decode()
    assert "Information request changed" in history and "with slipped actions" in history


def test_a_stale_change_is_refused_and_bad_dates_are_said(login, editor, trust_register):
    asked = trust_register()
    services.request_update(request=asked, by=editor, expected_version=1, question="Changed meanwhile.")
    with pytest.raises(ConcurrentEditError):
        services.request_update(request=asked, by=editor, expected_version=1, question="Mine.")
    asked.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be before the day"):
        services.request_update(
            request=asked,
            by=editor,
            expected_version=asked.version,
            due_on=TODAY() - datetime.timedelta(days=9),
        )
    response = login(editor).post(
        reverse("information-request-edit", args=[asked.pk]), edit_data(asked, asked_by_organisation="")
    )
    assert "Enter the body that asked" in response.content.decode()
    asked.refresh_from_db()
    assert asked.asked_by_organisation_id is not None


def test_an_answered_request_is_no_longer_changed(login, editor, trust_register):
    asked = trust_register()
    services.answer_produce(request=asked, by=editor)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.ANSWERED
    with pytest.raises(ValidationError, match="changed only until it is answered"):
        services.request_update(
            request=asked, by=editor, expected_version=asked.version, question="Too late."
        )
    client = login(editor)
    before = db_state()
    response = client.post(reverse("information-request-edit", args=[asked.pk]), edit_data(asked))
    assert response.status_code == 302 and db_state() == before
    detail = client.get(reverse("information-request-detail", args=[asked.pk])).content.decode()
    assert reverse("information-request-edit", args=[asked.pk]) not in detail


def test_a_viewer_cannot_change_and_other_organisations_see_nothing(
    login, org, trust_register, director, outsider
):
    asked = trust_register()
    viewer = make_person(org, role=Role.VIEWER, username="trustviewer")
    url = reverse("information-request-edit", args=[asked.pk])
    before = db_state()
    client = login(viewer)
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data(asked, question="Viewer")).status_code == 403
    client.logout()
    # The region asked it, but the request is the trust's record: the region sees the answer when it is shared.
    for person in (director, outsider):
        client = login(person)
        for name in ("information-request-detail", "information-request-edit", "information-request-history"):
            assert client.get(reverse(name, args=[asked.pk])).status_code == 404, (person, name)
        assert client.post(url, edit_data(asked, question="Not mine")).status_code == 404
        assert (
            client.get(reverse("paper-draft", args=["answer", "xlsx"]) + f"?request={asked.pk}").status_code
            == 404
        )
        client.logout()
    assert db_state() == before


def test_the_trust_sees_every_request_addressed_to_it_with_what_it_answered(
    login, editor, trust_register, region
):
    answered = trust_register(their_reference="WDR/SQG/1")
    outcome = services.answer_produce(request=answered, by=editor)
    again = trust_register(their_reference="WDR/OAM/2")
    services.answer_share(request=again, answer=outcome.answer, by=editor)
    waiting = trust_register(
        their_reference="HW/3",
        asked_by_organisation=None,
        asked_by_name="Healthwatch",
        asked_by_email="hw@example.org",
    )
    page = login(editor).get(reverse("information-request-list")).content.decode()
    for asked in (answered, again, waiting):
        assert reverse("information-request-detail", args=[asked.pk]) in page
    title = outcome.answer.paper.title.replace("'", "&#39;")  # as Jinja escapes it
    assert page.count(title) == 2, (
        page[page.index("<table") :] and "by reuse" in page and "Not answered" in page
    )
    assert InformationRequest.objects.get(pk=again.pk).answered_by_reuse


def test_requests_are_in_the_navigation_of_those_who_use_them(login, org, editor, lead, director):
    link = f'href="{reverse("information-request-list")}"'
    for person, shown in ((editor, True), (lead, False), (director, True)):
        client = login(person)
        page = client.get(reverse("organisation-detail")).content.decode()
        header = page[: page.index("</header>")]
        assert (link in header) is shown, person
        client.logout()


def test_a_draft_of_the_answer_is_marked_and_answers_nothing(login, editor, trust_register):
    from io import BytesIO

    from openpyxl import load_workbook

    asked = trust_register()
    client = login(editor)
    page = client.get(reverse("information-request-detail", args=[asked.pk])).content.decode()
    url = reverse("paper-draft", args=["answer", "xlsx"]) + f"?request={asked.pk}"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[0] == "Draft" and book["Draft"]["A1"].value.startswith("DRAFT: not issued.")
    assert not IssuedPaper.objects.exists()
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN and not asked.deliveries.exists()
