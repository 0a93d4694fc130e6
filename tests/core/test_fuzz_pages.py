"""Every page, sent malformed query parameters and form values (hypothesis), answers without a server error: a
bad value is a 400 or a form error, never a 500 (issue 13). Bounded and derandomised, so CI runs it quickly and
the same way every time; WELLLED_FUZZ_EXAMPLES raises the number of examples per page for a longer local run."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.factories import PASSWORD, make_plan, make_plan_objects, named_url_patterns

from wellled.core.choices import UnitKind

EXAMPLES = int(os.environ.get("WELLLED_FUZZ_EXAMPLES", "3"))

# Values that have each caused a server error somewhere, mixed with hypothesis's own text and numbers.
NASTY = [
    "",
    "0",
    "-1",
    "1e400",
    "NaN",
    "9" * 30,
    str(2**63),
    str(2**31),
    "²",
    "abc",
    "\x00",
    "a\x00b",
    "line\nbreak",
    "\r\n",
    "<script>alert(1)</script>",
    "=1+1",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "x" * 5000,
    "\ud7ff\ue000\uffff",
    "' OR 1=1 --",
    "../../etc/passwd",
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)

OBJECT_KIND = {
    # plans and reports
    "plan": "plan",
    "section": "section",
    "action": "action",
    "update": "update",
    "finding": "finding",
    "cycle": "cycle",
    "paper": "paper",
    "job": "job",
    "import": "import",
}
# The object each `<int:pk>` URL names, beyond those tests/factories.py knows (measures and assessments).
EXTRA_KIND = {
    "measure-detail": "measure",
    "measure-edit": "measure",
    "measure-values": "measure",
    "measure-upload-one": "measure",
    "measure-rebase": "measure",
    "measure-annotate": "measure",
    "measure-chart-png": "measure",
    "measure-data-csv": "measure",
    "measure-history": "measure",
    "measure-survey": "measure",
    "measure-survey-upload": "measure",
    "measure-rebase-remove": "rebase",
    "action-measure-link": "action",
    "assessment-detail": "assessment",
    "assessment-edit": "assessment",
    "assessment-score": "assessment",
    "assessment-result": "assessment",
    "assessment-submit": "assessment",
    "assessment-return": "assessment",
    "assessment-publish": "assessment",
    "assessment-compare": "assessment",
    "assessment-history": "assessment",
    "assessment-finding-create": "assessment",
    "statement-detail": "statement",
    "statement-evidence": "statement",
    "evidence-download": "evidence",
    "assessment-finding-action": "assessment_finding",
}
SKIPPED = {"logout", "health"}  # signing out ends the session the other probes need; health has no input
# Query parameters the pages read (filters, pages, dates, ids), tried on pages that show no form.
QUERY_NAMES = [
    "q",
    "page",
    "as_at",
    "status",
    "lead",
    "section",
    "unit",
    "owner",
    "element",
    "before",
    "after",
    "location",
    "service",
    "view",
    "seen",
    "correct",
]
FIELD_RE = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"')


@pytest.fixture
def world(db, org, editor, lead, settings, tmp_path):
    """One object of every kind a page names, in the editor's organisation."""
    settings.MEDIA_ROOT = tmp_path
    from wellled.assessments import services as assessment_services
    from wellled.assessments.choices import AssessorKind
    from wellled.assessments.models import StatementAssessment
    from wellled.core.services import organisation_unit_create
    from wellled.frameworks.models import Framework
    from wellled.measures import services as measure_services

    plan = make_plan(org, editor, name="Fuzzed plan", lead=lead)
    objects = make_plan_objects(plan, editor, lead)
    measure = measure_services.measure_create(
        organisation=org, by=editor, name="Falls per month", kind="count"
    )
    objects["measure"] = measure
    objects["rebase"] = measure_services.rebase_add(
        measure=measure, by=editor, date=datetime.date(2024, 1, 1), reason="New ward"
    )
    site = organisation_unit_create(
        organisation=org, kind=UnitKind.SITE, name="General", code="ZNT11", by=None
    )
    assessment = assessment_services.assessment_create(
        organisation=org,
        by=editor,
        framework=Framework.objects.get(key="nhs-well-led-2017", organisation__isnull=True),
        assessed_on=datetime.date(2026, 3, 1),
        assessor_kind=AssessorKind.SELF_ASSESSMENT,
        location=site,
    )
    statement = StatementAssessment.objects.filter(assessment=assessment).order_by("pk").first()
    objects["assessment"] = assessment
    objects["statement"] = statement
    objects["evidence"] = assessment_services.evidence_add(
        statement=statement, by=editor, title="Minutes", file=SimpleUploadedFile("m.pdf", b"%PDF-1.4 x")
    )
    objects["assessment_finding"] = assessment_services.assessment_finding_create(
        assessment=assessment, by=editor, element=statement.element, text="Patchy", finding_type="should_do"
    )
    return objects


def page_urls(objects) -> list[tuple[str, str]]:
    from tests.factories import URL_EXTRA_ARGS, URL_OBJECT_KIND

    kinds = {**URL_OBJECT_KIND, **EXTRA_KIND}
    found = []
    for name, _route, takes_pk in named_url_patterns():
        if name in SKIPPED:
            continue
        try:
            if takes_pk and name in kinds:
                args = [objects[kinds[name]].pk, *URL_EXTRA_ARGS.get(name, [])]
            else:
                # A page added since (another app's): probed with the first id, so its parameters are fuzzed
                # even before its object is added to EXTRA_KIND.
                args = [1] if takes_pk else []
            found.append((name, reverse(name, args=args)))
        except NoReverseMatch:
            continue  # a URL taking more than an id that this list does not know how to fill
    return found


def test_every_page_answers_malformed_parameters_and_form_values_without_a_server_error(world, editor):
    """GET with fuzzed query parameters and POST with fuzzed values of the page's own form fields: never a 500
    (the test client raises the server's exception, so a failure shows its traceback)."""
    client = Client(raise_request_exception=True)
    response = client.post("/accounts/login/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302
    failures = []
    for name, url in page_urls(world):
        page = client.get(url)
        html = "" if page.streaming or page.status_code != 200 else page.content.decode("utf-8", "replace")
        fields = sorted(set(FIELD_RE.findall(html)) - {"csrfmiddlewaretoken"})
        methods = ("get", "post") if fields else ("get",)
        fields = fields or QUERY_NAMES
        prober(client, name, url, fields, methods, failures)()
    assert failures == [], "\n".join(failures)


def prober(client, name: str, url: str, fields: list[str], methods: tuple[str, ...], failures: list[str]):
    """A hypothesis test of one page: GET and POST with fuzzed values for its fields, server errors collected."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.dictionaries(st.sampled_from(fields), values, max_size=len(fields)))
    def probe(data):
        for method in methods:
            try:
                answer = getattr(client, method)(url, data)
            except Exception as exc:  # noqa: BLE001 (every server error is collected and reported together)
                failures.append(f"{method.upper()} {name} {data!r}: {type(exc).__name__}: {exc}"[:400])
                return
            if answer.status_code >= 500:
                failures.append(f"{method.upper()} {name} {data!r}: {answer.status_code}")

    return probe
