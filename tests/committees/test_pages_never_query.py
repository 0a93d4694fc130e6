"""The committees and meetings pages read nothing from the database while their templates render
(tests/core/test_templates_never_query.py's check), for the governance team, a member and a non-member."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.committees.builders import build_board
from tests.core.test_templates_never_query import TemplateQueried, templates_never_query  # noqa: F401 (fixture)
from tests.factories import make_person

from wellled.committees.choices import Attendance
from wellled.committees.services import meetings as services
from wellled.core.choices import Role

pytestmark = pytest.mark.django_db


def test_no_template_queries_on_the_committee_pages(templates_never_query, login, client):  # noqa: F811
    b = build_board()
    held = services.meeting_schedule(
        committee=b.quality, by=b.governance, starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    services.attendance_record(
        meeting=held, by=b.governance, rows=[services.Attended(b.chair, Attendance.PRESENT)]
    )
    services.decision_record(meeting=held, by=b.governance, text="Agreed the quality priorities.")
    services.action_raise(
        meeting=held, by=b.governance, title="Report back", lead=b.member, due_date=timezone.localdate()
    )
    terms = b.quality.terms.get()
    pages = [
        reverse("committee-list"),
        reverse("committee-detail", args=[b.quality.pk]),
        reverse("committee-actions", args=[b.quality.pk]),
        reverse("committee-terms-detail", args=[terms.pk]),
        reverse("committee-meeting-list"),
        reverse("committee-meeting-detail", args=[b.meeting.pk]),
        reverse("committee-meeting-detail", args=[held.pk]),
        reverse("decision-list") + "?q=quality",
    ]
    forms = [
        reverse("committee-create"),
        reverse("committee-edit", args=[b.quality.pk]),
        reverse("committee-terms-create", args=[b.quality.pk]),
        reverse("committee-terms-approve", args=[terms.pk]),
        reverse("committee-meeting-edit", args=[b.meeting.pk]),
        reverse("agenda-item-create", args=[b.meeting.pk]),
        reverse("agenda-item-edit", args=[b.private_item.pk]),
        reverse("agenda-item-minute", args=[b.public_item.pk]),
    ]
    failures = []
    for person, urls in {
        b.governance: pages + forms,
        b.chair: pages,
        make_person(b.org, Role.LEAD): pages,
    }.items():
        login(person)
        for url in urls:
            try:
                response = client.get(url)
            except TemplateQueried as exc:
                failures.append((url, str(exc)))
                continue
            assert response.status_code == 200, (url, response.status_code)
        client.logout()
    assert failures == [], "\n".join(f"{u}: {m}" for u, m in failures)
