"""The cycle of business, papers and pack pages read nothing from the database while their templates render
(tests/core/test_templates_never_query.py's check), for the governance team, a member and a non-member."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.committees.builders import build_board
from tests.committees.pack_files import pdf_pages
from tests.core.test_templates_never_query import TemplateQueried, templates_never_query  # noqa: F401 (fixture)
from tests.factories import PASSWORD

from wellled.committees.choices import Recurrence
from wellled.committees.jobs import pack_request
from wellled.committees.models import CycleEntry
from wellled.committees.services.cycle import cycle_item_create, cycle_year_plan
from wellled.committees.services.papers import paper_upload

pytestmark = pytest.mark.django_db


def test_no_template_queries_on_the_cycle_paper_and_pack_pages(templates_never_query, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    b = build_board()
    item = cycle_item_create(
        committee=b.quality, by=b.governance, title="IPR: quality", recurrence=Recurrence.EVERY_MEETING
    )
    cycle_year_plan(
        committee=b.quality, year=b.meeting.starts_at.year - (b.meeting.starts_at.month < 4), by=b.governance
    )
    entry = CycleEntry.objects.filter(cycle_item=item).first()
    paper = paper_upload(
        item=b.public_item, upload=SimpleUploadedFile("p.pdf", pdf_pages("Paper", 1)), by=b.governance
    )
    pack = pack_request(meeting=b.meeting, public=False, by=b.governance)
    year = f"?year={b.meeting.starts_at.year - (b.meeting.starts_at.month < 4)}"
    everyone = [
        reverse("committee-cycle-index"),
        reverse("committee-cycle", args=[b.quality.pk]) + year,
        reverse("committee-cycle-year-end", args=[b.quality.pk]) + year,
        reverse("committee-meeting-papers", args=[b.meeting.pk]),
    ]
    pages = {
        b.governance: [
            *everyone,
            reverse("committee-cycle-item-create", args=[b.quality.pk]),
            reverse("committee-cycle-item-edit", args=[item.pk]),
            reverse("committee-cycle-entry-defer", args=[entry.pk]),
            reverse("committee-paper-create", args=[b.public_item.pk]),
            reverse("committee-paper-edit", args=[paper.pk]),
            reverse("committee-pack-detail", args=[pack.pk]),
        ],
        b.chair: [*everyone, reverse("committee-pack-detail", args=[pack.pk])],
        b.outsider: everyone,
    }
    failures = []
    for person, urls in pages.items():
        client = Client()
        client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
        for url in urls:
            try:
                response = client.get(url)
            except TemplateQueried as exc:
                failures.append((url, str(exc)))
                continue
            assert response.status_code == 200, (url, response.status_code)
    assert failures == [], "\n".join(f"{u}: {m}" for u, m in failures)
