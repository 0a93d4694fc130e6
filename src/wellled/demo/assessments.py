"""Demo step: the demo trust's assessments and published ratings (content in `data/assessments.yaml`)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.db import transaction

from wellled.assessments import services
from wellled.assessments.importers import ratings_import
from wellled.assessments.models import Assessment, StatementAssessment
from wellled.core.choices import UnitKind
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.service_kit import AS_IT_STANDS
from wellled.core.services import organisation_unit_create
from wellled.frameworks.models import Framework

from .loader import DemoDates, Writer, data, say_to
from .plans import demo_plan, demo_trust

ASSESSMENTS = data("assessments.yaml")
RATINGS_HEADER = ("location id", "location name", "service", "key question", "rating", "date")


def assessment_titles(dates: DemoDates | None = None) -> tuple[str, ...]:
    """The demo assessments' titles, in the order they were made, as a load on `dates.today` writes them."""
    dates = dates or DemoDates()
    return tuple(
        dates.text(spec["title"], assessed=dates.date(spec["assessed"]))
        for spec in ASSESSMENTS["assessments"]
    )


def assessments_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> bool:
    """Add the demo assessments to the demo trust once; False if already there (or the trust is missing)."""
    say = say_to(stdout)
    organisation = demo_trust(say, missing="no demo assessments added")
    if organisation is None:
        return False
    if Assessment.objects.filter(organisation=organisation).exists():
        say("The demo trust already has assessments; nothing changed.")
        return False
    with transaction.atomic():
        _load(organisation, dates or DemoDates())
    say(f"Demo assessments loaded: {len(ASSESSMENTS['assessments'])} and earlier published ratings.")
    return True


def _ratings_csv(spec: dict[str, Any], dates: DemoDates) -> str:
    """The earlier ratings as CQC publishes them, in the format the ratings import reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RATINGS_HEADER)
    day = dates.date(spec["date"]).isoformat()
    for location in spec["locations"]:
        for question, rating in location["ratings"].items():
            writer.writerow((location["id"], location["name"], location["service"], question, rating, day))
    return out.getvalue()


def _unit(organisation: Organisation, kind: str, name: str, by: User) -> OrganisationUnit:
    unit = OrganisationUnit.objects.filter(organisation=organisation, kind=kind, name=name).first()
    return unit or organisation_unit_create(organisation=organisation, kind=kind, name=name, by=by)


def _load(organisation: Organisation, dates: DemoDates) -> None:
    editor = User.objects.get(username=ASSESSMENTS["editor"])
    ratings_import(
        organisation=organisation, text=_ratings_csv(ASSESSMENTS["earlier_ratings"], dates), by=editor
    )
    titles = assessment_titles(dates)
    for spec, title in zip(ASSESSMENTS["assessments"], titles, strict=True):
        _assessment(organisation, spec, title, editor, dates)


def _assessment(organisation: Organisation, spec: dict[str, Any], title: str, editor: User, dates) -> None:
    """One assessment: scored with evidence, submitted if a team scored it, findings, published, findings answered."""
    scorer = User.objects.get(username=spec["scored_by"])
    assessment = services.assessment_create(
        organisation=organisation,
        by=editor,
        framework=Framework.objects.get(key=spec["framework"], organisation__isnull=True),
        assessed_on=dates.date(spec["assessed"]),
        assessor_kind=spec["assessor_kind"],
        location=OrganisationUnit.objects.get(
            organisation=organisation, kind=UnitKind.SITE, code=spec["location"]
        ),
        service=_unit(organisation, UnitKind.SERVICE, spec["service"], editor),
        title=title,
        summary=dates.text(spec["summary"]),
    )
    scores, notes = spec.get("scores", {}), spec.get("notes", {})
    statements = StatementAssessment.objects.filter(assessment=assessment).select_related("element")
    for statement in statements:
        code = statement.element.code
        if code in scores or code in notes:
            services.statement_score(
                statement=statement,
                by=scorer,
                expected_version=AS_IT_STANDS,
                score=scores.get(code),
                narrative=dates.text(notes.get(code, "")),
            )
    for item in spec.get("evidence", ()):
        services.evidence_add(
            statement=statements.get(element__code=item["statement"]),
            by=scorer,
            title=dates.text(item["title"]),
            url=dates.text(item["url"]),
        )
    if spec.get("submitted"):
        services.assessment_submit(assessment=assessment, by=scorer, expected_version=AS_IT_STANDS)
    answered = []
    for finding_spec in spec.get("findings", ()):
        finding = services.assessment_finding_create(
            assessment=assessment,
            by=editor,
            element=assessment.framework.elements.get(code=finding_spec["element"]),
            text=dates.text(finding_spec["text"]),
            finding_type=finding_spec["type"],
            regulation=finding_spec.get("regulation", ""),
            enforcement=finding_spec.get("enforcement", ""),
        )
        if finding_spec.get("action"):
            answered.append((finding, finding_spec["action"]))
    services.assessment_publish(
        assessment=assessment, by=editor, expected_version=AS_IT_STANDS, at=_published(assessment, dates)
    )
    plan = demo_plan()
    for finding, action in answered:
        if plan is None:
            continue
        services.finding_to_action(
            finding=finding,
            by=editor,
            plan=plan,
            reference=action["reference"],
            title=dates.text(action["title"]),
            lead=User.objects.get(username=action["lead"]),
            due_date=dates.date(action["due"]),
            success_measure=dates.text(action["success_measure"]),
        )


def _published(assessment: Assessment, dates: DemoDates) -> datetime.datetime:
    """When the demo's assessment was published: its report some weeks after the visit, never in the future."""
    after = datetime.timedelta(days=ASSESSMENTS["published_after_days"])
    day = min(assessment.assessed_on + after, dates.today - datetime.timedelta(days=1))
    return dates.moment(day, hour=14)
