"""The oversight pages, like every other page, read nothing from the database while their templates render."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.core.test_templates_never_query import TemplateQueried, templates_never_query  # noqa: F401 (fixture)

from .test_views import BODY_URLS, MEETING_URLS, POST_ONLY, objs, url  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _try(client, urls):
    failures = []
    for address in urls:
        try:
            response = client.get(address)
        except TemplateQueried as exc:
            failures.append(f"{address}: {exc}")
            continue
        assert response.status_code in (200, 403), (address, response.status_code)
    return failures


def test_no_template_queries_on_the_bodys_pages(templates_never_query, objs, director, login):  # noqa: F811
    urls = [url(name, objs) for name in BODY_URLS if name not in POST_ONLY] + [reverse("oversight-home")]
    assert _try(login(director), urls) == []


@pytest.mark.parametrize("role", ["governance_editor", "lead", "viewer"])
def test_no_template_queries_on_the_trusts_pages(templates_never_query, objs, people, login, role):  # noqa: F811
    urls = [url(name, objs) for name in MEETING_URLS] + [reverse("oversight-home"), reverse("meeting-create")]
    assert _try(login(people[role]), urls) == []
