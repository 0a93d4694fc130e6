"""Demo step: an oversight region holding both demo trusts in its portfolio, its improvement director, the
demo trust's oversight status history, exit criteria with evidence and judgements, the region's notes, and the
trust's improvement board meetings (content in `data/oversight.yaml`). Last: evidence names issued papers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from wellled.assessments.models import Assessment
from wellled.core.access import current_memberships
from wellled.core.choices import OrganisationKind
from wellled.core.models import Organisation, User
from wellled.core.services import organisation_create, portfolio_trust_add
from wellled.measures.models import Measure
from wellled.oversight import services
from wellled.oversight.models import DEFAULT_SUSTAINED_JUDGEMENTS
from wellled.plans.models import Action, Plan
from wellled.reports.models import IssuedPaper

from .loader import DemoDates, Writer, data, say_to
from .plans import DemoDataError, DemoLogin, demo_person_create

CONTENT: dict[str, Any] = data("oversight.yaml")
REGION_ODS_CODE: str = CONTENT["region"]["ods_code"]


@dataclass
class OversightDemoResult:
    """What the oversight step did, and the region's sign-ins (printed with the other demo logins)."""

    created: bool
    region: Organisation
    logins: list[DemoLogin] = field(default_factory=list)


def oversight_demo_load(
    *, stdout: Writer | None = None, dates: DemoDates | None = None
) -> OversightDemoResult:
    """Load the region and its records once; a second run changes nothing."""
    say = say_to(stdout)
    region = Organisation.objects.filter(ods_code=REGION_ODS_CODE).first()
    if region is not None:
        say(f"The demo oversight region is already loaded (ODS {REGION_ODS_CODE}); nothing changed.")
        return _result(region, created=False)
    usernames = [p["username"] for p in CONTENT["people"]]
    taken = sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        raise DemoDataError(
            f"The database already holds part of the demo ({', '.join(taken)}) but not its oversight region. "
            "Use a fresh WELLLED_DATA_DIR (or database) for the demo."
        )
    dates = dates or DemoDates()
    with transaction.atomic():
        region = _region_and_people(dates, say)
        director = User.objects.get(username=CONTENT["director"])
        trusts = {o.ods_code: o for o in Organisation.objects.filter(ods_code__in=_trust_codes())}
        _statuses(region, trusts, director, dates)
        _regulatory_actions(region, trusts, director, dates)
        _criteria(region, trusts[CONTENT["criteria_trust"]], director, dates)
        for note in CONTENT["notes"]:
            services.oversight_note_add(
                oversight_body=region,
                trust=trusts[note["trust"]],
                by=director,
                noted_on=dates.date(note["date"]),
                text=note["text"],
            )
        _meetings(trusts[CONTENT["meetings_trust"]], dates)
    say("Demo oversight region loaded.")
    return _result(region, created=True)


def _trust_codes() -> set[str]:
    return {entry["trust"] for entry in CONTENT["portfolio"]}


def _result(region: Organisation, *, created: bool) -> OversightDemoResult:
    logins = [
        DemoLogin.of(m, region.name)
        for m in current_memberships(organisation=region).select_related("user").order_by("user__username")
    ]
    return OversightDemoResult(created=created, region=region, logins=logins)


def _region_and_people(dates: DemoDates, say) -> Organisation:
    spec = CONTENT["region"]
    say(f"Creating {spec['name']} with its portfolio.")
    region = organisation_create(
        name=spec["name"], ods_code=spec["ods_code"], by=None, kind=OrganisationKind.OVERSIGHT
    )
    for person in CONTENT["people"]:
        demo_person_create(
            person, organisation=region, role=person["role"], email_domain=spec["email_domain"], by=None
        )
    for entry in CONTENT["portfolio"]:
        portfolio_trust_add(
            oversight_body=region,
            trust=Organisation.objects.get(ods_code=entry["trust"]),
            by=None,
            joined_on=dates.date(entry["joined"]),
        )
    return region


def _statuses(
    region: Organisation, trusts: dict[str, Organisation], director: User, dates: DemoDates
) -> None:
    for spec in CONTENT["statuses"]:
        entered = spec.get("programme_entered_on")
        services.oversight_status_record(
            oversight_body=region,
            trust=trusts[spec["trust"]],
            by=director,
            effective_from=dates.date(spec["from"]),
            edition=spec["edition"],
            segment=spec["segment"],
            average_score=spec.get("score"),
            rank=spec.get("rank"),
            ranked_among=spec.get("ranked_among"),
            financial_override=spec.get("financial_override", False),
            programme=spec["programme"],
            programme_entered_on=dates.date(entered) if entered else None,
            improvement_director=director if spec.get("director") else None,
            buddy_organisation=spec.get("buddy", ""),
            improvement_funding=spec.get("funding"),
            note=spec.get("note", ""),
            at=dates.moment(spec["from"]),
        )


def _regulatory_actions(
    region: Organisation, trusts: dict[str, Organisation], director: User, dates: DemoDates
) -> None:
    for spec in CONTENT["regulatory_actions"]:
        services.regulatory_action_record(
            oversight_body=region,
            trust=trusts[spec["trust"]],
            by=director,
            kind=spec["kind"],
            summary=spec["summary"],
            reference=spec.get("reference", ""),
            issued_on=dates.date(spec["issued"]),
            lifted_on=dates.date(spec["lifted"]) if spec.get("lifted") else None,
        )


def _evidence_object_id(trust: Organisation, spec: dict[str, Any]) -> int:
    """The trust's record an evidence line of the data file names."""
    kind = spec["kind"]
    if kind == "action":
        return Action.objects.get(plan__organisation=trust, reference=spec["reference"]).pk
    if kind == "measure":
        return Measure.objects.get(organisation=trust, name=spec["name"]).pk
    if kind == "assessment":
        return (
            Assessment.objects.filter(organisation=trust)
            .order_by("-assessed_on", "-pk")
            .values_list("pk", flat=True)[0]
        )
    return IssuedPaper.objects.filter(plan__organisation=trust, withdrawal__isnull=True).values_list(
        "pk", flat=True
    )[0]  # newest first (IssuedPaper's ordering)


def _criteria(region: Organisation, trust: Organisation, director: User, dates: DemoDates) -> None:
    agreed = dates.date(CONTENT["criteria_agreed"])
    for spec in CONTENT["criteria"]:
        criterion = services.exit_criterion_create(
            oversight_body=region,
            trust=trust,
            by=director,
            reference=spec["reference"],
            title=spec["title"],
            description=spec.get("description", ""),
            agreed_on=agreed,
            sustained_judgements=spec.get("sustained_judgements", DEFAULT_SUSTAINED_JUDGEMENTS),
            sustained_months=spec.get("sustained_months"),
        )
        for evidence in spec["evidence"]:
            services.exit_criterion_evidence_add(
                criterion=criterion,
                by=director,
                kind=evidence["kind"],
                object_id=_evidence_object_id(trust, evidence),
            )
        for judgement in spec["judgements"]:
            services.exit_criterion_judgement_record(
                criterion=criterion,
                by=director,
                judgement=judgement["judgement"],
                judged_on=dates.date(judgement["date"]),
                rationale=judgement["rationale"],
                at=dates.moment(judgement["date"], hour=16),
            )


def _meetings(trust: Organisation, dates: DemoDates) -> None:
    editor = User.objects.get(username=CONTENT["meetings_editor"])
    plan = Plan.objects.get(organisation=trust, kind=CONTENT["meetings_plan"])
    for spec in CONTENT["meetings"]:
        meeting = services.meeting_create(
            organisation=trust,
            by=editor,
            held_on=dates.date(spec["held_on"]),
            chair=spec.get("chair", ""),
            attendees=spec.get("attendees", ""),
            status=spec["status"],
            minutes=spec.get("minutes", ""),
        )
        for item in spec["agenda"]:
            services.agenda_item_add(
                meeting=meeting, by=editor, title=item["title"], notes=item.get("notes", "")
            )
        for action in spec["actions"]:
            services.meeting_action_raise(
                meeting=meeting,
                by=editor,
                plan=plan,
                reference=action["reference"],
                title=action["title"],
                lead=User.objects.get(username=action["lead"]),
                due_date=dates.date(action["due"]),
            )
