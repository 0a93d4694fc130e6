"""Templates receive data and never query: every main page, as every role, renders with the database shut.

A query made while a template renders is a query a view did not plan for: it hides from the selectors' query
counts, can run once per table row, and can read past the organisation scoping of the selectors."""

from __future__ import annotations

import datetime
import inspect
from pathlib import Path

import pytest
from django.db import connection
from django.template.backends.jinja2 import Template
from django.urls import reverse
from tests.assessments.conftest import cqc_saf, kloes, make_assessment, service, site  # noqa: F401 (fixtures)
from tests.assessments.test_assessment_views import POST_ONLY as ASSESSMENT_POST_ONLY
from tests.assessments.test_assessment_views import URL_KIND as ASSESSMENT_URLS
from tests.assessments.test_assessment_views import things  # noqa: F401 (fixture)
from tests.assessments.test_assessment_views import url as assessment_url
from tests.core.test_people_views import (  # noqa: F401 (fixtures)
    ORGANISATION_PAGES,
    PERSON_PAGES,
    SIGNED_IN_ANY,
    membership,
    placeholder,
)
from tests.core.test_people_views import POST_ONLY as PEOPLE_POST_ONLY
from tests.core.test_people_views import url as people_url
from tests.factories import URL_POST_ONLY, foundation_url_patterns, url_for
from tests.measures.conftest import measure, measure_objects  # noqa: F401 (fixtures)
from tests.measures.test_views import OBJECT_URLS as MEASURE_OBJECT_URLS
from tests.measures.test_views import PLAIN_URLS as MEASURE_PLAIN_URLS
from tests.measures.test_views import POST_ONLY as MEASURE_POST_ONLY

from wellled.core.choices import Role
from wellled.core.services import membership_set
from wellled.measures import services as measure_services
from wellled.reports.services import paper_issue

pytestmark = pytest.mark.django_db

# Pages that answer with a file, not a rendered template (a template never runs, so there is nothing to check).
FILES = {
    "plan-export",
    "plan-import-example",
    "board-paper-download",
    "paper-file",
    "word-template-download",
    "measure-chart-png",
    "measure-data-csv",
    "evidence-download",
    "health",
}


class TemplateQueried(AssertionError):
    """A template reached the database while rendering."""


def _refuse(execute, sql, params, many, context):
    where = [
        f"{f.filename.rsplit('/templates/', 1)[-1]}:{f.lineno}"
        for f in inspect.stack()
        if ".jinja" in f.filename
    ]
    table = sql.partition(" FROM ")[2].split(" ", 1)[0]
    raise TemplateQueried(f"a template queried {table} at {' < '.join(where)}")


@pytest.fixture
def templates_never_query(monkeypatch):
    """Any database query made while a Jinja2 template renders raises TemplateQueried."""
    render = Template.render

    def render_shut(self, context=None, request=None):
        with connection.execute_wrapper(_refuse):
            return render(self, context, request)

    monkeypatch.setattr(Template, "render", render_shut)


def test_a_template_that_queries_fails_when_the_database_is_shut(templates_never_query, rf, org):
    from django.template import engines

    template = engines["jinja2"].from_string("{{ organisation.memberships.count() }}")
    with pytest.raises(TemplateQueried):
        template.render({"organisation": org})


@pytest.fixture
def pages(objects, measure_objects, things, membership, editor, lead):  # noqa: F811 (fixtures imported above)
    """Every page to try, with plan, measure, assessment and paper objects behind it."""
    plan, action = objects["plan"], objects["action"]
    # The action's success measure tied to a measure: the plan table, the action page and the dashboard show it.
    measure_services.success_measure_link(
        action=action, by=editor, measure=measure_objects["measure"], target=250
    )
    # Two issued papers, so there is something to compare.
    first = objects["paper"]
    second = paper_issue(plan=plan, cycle_or_as_at=datetime.date(2026, 12, 1), by=editor)
    urls = []
    for name, _route, _takes_pk in foundation_url_patterns():  # plans, core and reports pages
        if name in FILES or name in URL_POST_ONLY or name in {"login", "logout"}:
            continue
        urls.append(url_for(name, objects))
    for name in sorted((PERSON_PAGES | ORGANISATION_PAGES | SIGNED_IN_ANY) - PEOPLE_POST_ONLY):
        urls.append(people_url(name, membership))
    detail = reverse("plan-detail", args=[plan.pk])
    section = objects["section"]
    urls += [
        f"{detail}?overdue=1&q=action",
        f"{detail}?status=A/G&lead={lead.pk}&section={section.pk}",
        f"{detail}?slipped=1&awaiting=1",
        f"{detail}?status=none",
        reverse("paper-compare", args=[plan.pk]) + f"?before={first.pk}&after={second.pk}",
        reverse("action-update", args=[action.pk]) + f"?correct={objects['update'].pk}",
    ]
    measure_objs = {**objects, **measure_objects}
    for name in sorted(MEASURE_OBJECT_URLS.keys() | MEASURE_PLAIN_URLS):
        if name in FILES or name in MEASURE_POST_ONLY:
            continue
        kind = MEASURE_OBJECT_URLS.get(name)
        urls.append(reverse(name, args=[measure_objs[kind].pk]) if kind else reverse(name))
    for name in sorted(ASSESSMENT_URLS):
        if name in FILES or name in ASSESSMENT_POST_ONLY:
            continue
        urls.append(assessment_url(name, things))
    return urls


@pytest.mark.parametrize("role", Role.values)
def test_no_template_queries_when_any_role_opens_every_page(
    role, templates_never_query, pages, people, other_org, login, client
):
    assert len(pages) > 50  # plans, cycles, papers, measures, assessments, organisation: not an empty loop
    # A second organisation, so every page's header offers the switch between them.
    membership_set(user=people[role], organisation=other_org, role=Role.VIEWER, by=None)
    login(people[role])
    failures = []
    for url in pages:
        try:
            response = client.get(url)
        except TemplateQueried as exc:
            failures.append((url, str(exc)))
            continue
        assert response.status_code in (200, 403), (url, response.status_code)
    assert b"wl-org-switch" in client.get("/").content
    assert failures == [], "\n".join(f"{u}: {m}" for u, m in failures)


def test_no_template_queries_on_the_plan_tables_over_htmx(templates_never_query, objects, editor, login):
    client = login(editor)
    url = reverse("plan-detail", args=[objects["plan"].pk]) + "?overdue=1"
    response = client.get(url, headers={"HX-Request": "true", "HX-Target": "plan-tables"})
    assert response.status_code == 200
    assert b"<html" not in response.content


def test_no_template_queries_on_the_api_tokens_page(templates_never_query, people, login):
    for role in (Role.ADMINISTRATOR, Role.VIEWER):
        assert login(people[role]).get(reverse("api-tokens")).status_code == 200


TESTS = Path(__file__).resolve().parents[1]
# Where each app's pages are opened with the database shut: the foundation's (core, plans, reports, measures,
# assessments) and the API tokens page in this file, every other app's in a test of its own.
NEVER_QUERY_TESTS = {
    "core": "core/test_templates_never_query.py",
    "plans": "core/test_templates_never_query.py",
    "reports": "core/test_templates_never_query.py",
    "measures": "core/test_templates_never_query.py",
    "assessments": "core/test_templates_never_query.py",
    "api": "core/test_templates_never_query.py",
    "improvement": "improvement/test_pages_never_query.py",
    "accreditation": "improvement/test_pages_never_query.py",  # with the QI pages and the performance report
    "oversight": "oversight/test_pages_never_query.py",
    "information": "information/test_views.py",
    "risks": "risks/test_pages_never_query.py",
    "ftsu": "ftsu/test_ftsu_never_query.py",
    "committees": "committees/test_pages_never_query.py",
}


def test_every_app_with_pages_has_them_opened_with_the_database_shut():
    """A new app's pages (committee packs, Freedom to Speak Up...) cannot land without a never-query check."""
    import wellled

    source = Path(wellled.__file__).resolve().parent
    with_pages = {path.parent.name for path in source.glob("*/*urls.py")}
    assert with_pages == set(NEVER_QUERY_TESTS)
    for app, test in NEVER_QUERY_TESTS.items():
        text = (TESTS / test).read_text(encoding="utf-8")
        assert "render_shut" in text or "templates_never_query" in text, (app, test)
