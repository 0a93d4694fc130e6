"""Demo step: Freedom to Speak Up in the demo trust: a guardian and a champion appointed, and a year of invented
cases put together from the phrases in `data/ftsu.yaml` with seeded random numbers (issue 23)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from wellled.assessments import services as assessments
from wellled.assessments.choices import AssessorKind
from wellled.assessments.models import StatementAssessment
from wellled.core.models import User
from wellled.core.service_kit import AS_IT_STANDS
from wellled.frameworks.models import Framework
from wellled.ftsu import services
from wellled.ftsu.choices import Feedback, WorkerGroup
from wellled.ftsu.models import Case
from wellled.ftsu.periods import Quarter, last_complete_quarter
from wellled.plans.models import Plan

from .loader import DemoDates, Writer, data, say_to
from .plans import demo_trust

CONTENT: dict[str, Any] = data("ftsu.yaml")
OPENNESS = ["open", "confidential", "confidential", "confidential", "anonymous"]
ROUTES = ["in_person", "in_person", "phone", "email", "champion"]


def _case(organisation, guardian: User, champion: User, received: datetime.date, rng: random.Random) -> Case:
    elements = rng.sample(list(CONTENT["concerns"]), rng.choice([1, 1, 2]))
    openness = rng.choice(OPENNESS)
    route = "online" if openness == "anonymous" and rng.random() < 0.6 else rng.choice(ROUTES)
    by = champion if route == "champion" else guardian
    case = services.case_create(
        organisation=organisation,
        by=by,
        received_on=received,
        route=route,
        openness=openness,
        worker_group=rng.choice([g for g in WorkerGroup.values if g != WorkerGroup.VOLUNTEERS]),
        area=rng.choice(CONTENT["areas"]),
        elements=elements,
        detriment=rng.choice(["no", "no", "no", "not_known", "yes"]),
        concern=rng.choice(CONTENT["concerns"][elements[0]]),
        name="" if openness == "anonymous" else f"Demo worker {rng.randrange(100, 999)}",
        contact_details="" if openness == "anonymous" else "Through the guardian's office",
    )
    if route == "online":
        services.contact_add(
            case=case, by=guardian, on=received, kind="to_worker", text=rng.choice(CONTENT["replies"])
        )
    else:
        services.contact_add(
            case=case,
            by=guardian,
            on=received + datetime.timedelta(days=2),
            kind="meeting",
            text="Met to hear the concern in full and agree what happens next.",
        )
    return case


def ftsu_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Appoint the demo trust's guardian and champion and record a year of cases, once; returns the number."""
    say = say_to(stdout)
    dates = dates or DemoDates()
    organisation = demo_trust(say, missing="no Freedom to Speak Up cases added")
    if organisation is None:
        return 0
    if Case.objects.filter(organisation=organisation).exists():
        say("Demo speak-up cases are already loaded; nothing changed.")
        return 0
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[CONTENT[k] for k in ("guardian", "champion", "appointed_by")]
        )
    }
    guardian, champion = people[CONTENT["guardian"]], people[CONTENT["champion"]]
    rng = random.Random(CONTENT["seed"])
    with transaction.atomic():
        by = people[CONTENT["appointed_by"]]
        services.speak_up_role_set(organisation=organisation, person=guardian, role="guardian", by=by)
        services.speak_up_role_set(organisation=organisation, person=champion, role="champion", by=by)
        days = sorted(rng.randrange(1, 366) for _ in range(CONTENT["cases"]))
        for back in reversed(days):
            received = dates.today - datetime.timedelta(days=back)
            case = _case(organisation, guardian, champion, received, rng)
            closed = received + datetime.timedelta(days=rng.randrange(14, 90))
            if closed < dates.today - datetime.timedelta(days=10):
                services.case_close(
                    case=case,
                    by=guardian,
                    expected_version=case.version,
                    closed_on=closed,
                    outcome=rng.choice(CONTENT["outcomes"]),
                    learning=rng.choice(CONTENT["learning"]),
                    feedback=rng.choice(
                        [Feedback.YES, Feedback.YES, Feedback.MAYBE, Feedback.NO_RESPONSE, Feedback.NO]
                    ),
                )
    last = last_complete_quarter(dates.today)
    services.return_issue(organisation=organisation, quarter=last, by=guardian)
    first = last
    for _ in range(3):
        first = Quarter(first.year - 1, 4) if first.number == 1 else Quarter(first.year, first.number - 1)
    plan = _plan(organisation)
    _self_review(organisation, plan=plan, dates=dates)
    services.national_figures_load(data={**CONTENT["national"], "year": last.financial_year}, by=None)
    words = CONTENT["board_report"]
    report = services.guardian_report_create(
        organisation=organisation,
        by=guardian,
        period_from=first.first_day,
        period_to=last.last_day,
        themes=words["themes"],
        learning=words["learning"],
        actions=words["actions"],
        guardian_hours=Decimal(str(words["guardian_hours"])),
        guardian_wte=Decimal(str(words["guardian_wte"])),
        champions=words["champions"],
        executive_lead=words["executive_lead"],
        non_executive_lead=words["non_executive_lead"],
        plan=plan,
    )
    services.board_report_issue(report=report, by=guardian)
    say(
        f"Recorded {len(days)} demo speak-up cases for {organisation.name}, issued the {last.label} return, the board's "
        f"FTSU self-review and the guardian's report to the board for {first.label} to {last.label}."
    )
    return len(days)


def _plan(organisation) -> Plan | None:
    """The plan the demo's FTSU actions are tracked on (named in ftsu.yaml, its date words aside)."""
    name = CONTENT["board_report"]["plan"]
    return Plan.objects.filter(organisation=organisation, name__startswith=name).order_by("pk").first()


def _self_review(organisation, *, plan: Plan | None, dates: DemoDates) -> None:
    """The board's FTSU self-review, scored (not published), its gaps raised as actions on the FTSU plan."""
    spec = CONTENT["self_review"]
    by = User.objects.get(username=spec["by"])
    framework = Framework.objects.get(key="ftsu-self-review", organisation__isnull=True)
    review = assessments.assessment_create(
        organisation=organisation,
        by=by,
        framework=framework,
        assessed_on=dates.today - datetime.timedelta(days=30),
        assessor_kind=AssessorKind.SELF_ASSESSMENT,
        title=spec["title"],
    )
    for statement in StatementAssessment.objects.filter(assessment=review).select_related("element"):
        assessments.statement_score(
            statement=statement,
            by=by,
            expected_version=AS_IT_STANDS,
            score=spec["scores"].get(statement.element.code, spec["score"]),
        )
    gaps = []
    for gap in spec["gaps"]:
        element = framework.elements.get(code=gap["code"])
        gaps.append(
            (
                gap,
                assessments.assessment_finding_create(
                    assessment=review, by=by, element=element, text=gap["text"]
                ),
            )
        )
    # Not published: publishing would file its scores among the trust's own ratings (docs/ftsu.md).
    if plan is not None:
        for gap, finding in gaps:
            assessments.finding_to_action(
                finding=finding, by=by, plan=plan, reference=gap["reference"], title=gap["title"]
            )
