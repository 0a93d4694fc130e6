"""The risk register, heat map, BAF and their forms, like every other page, read nothing from the database while
their templates render (tests/core/test_templates_never_query.py's check), for every role that opens them."""

from __future__ import annotations

import pytest
from tests.core.test_templates_never_query import TemplateQueried, templates_never_query  # noqa: F401 (fixture)

from wellled.core.choices import Role

from .test_views import MANAGE, OWN_REVIEW, READ, things, url  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

FILES = {"risk-export", "baf-paper-file"}  # they answer with a file: no template runs


@pytest.mark.parametrize("role", [Role.GOVERNANCE_EDITOR, Role.LEAD, Role.VIEWER])
def test_no_template_queries_on_the_risk_pages(role, templates_never_query, things, people, login):  # noqa: F811
    pages = sorted((READ.keys() | MANAGE.keys() | OWN_REVIEW.keys()) - FILES)
    assert len(pages) > 20  # the register, the BAF, their forms: not an empty loop
    client = login(people[role])
    failures = []
    for name in pages:
        address = url(name, things)
        try:
            response = client.get(address)
        except TemplateQueried as exc:
            failures.append(f"{address}: {exc}")
            continue
        # a finished job sends its reader on to the paper
        assert response.status_code in (200, 302, 403), (address, response.status_code)
    assert failures == []
