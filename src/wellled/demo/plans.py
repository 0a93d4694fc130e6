"""Demo step: the two fictional trusts, their people and structure, and their plans with months of history.

The content is in `data/trusts.yaml` and `data/plans.yaml`; this module only places it (dates relative to the
load day) and writes it through the services, so every record is attributed and audited like a real one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from wellled.core.access import memberships_ever
from wellled.core.choices import Role
from wellled.core.formatting import day_text
from wellled.core.models import DeliveryStatus, Organisation, OrganisationUnit, User
from wellled.core.service_kit import AS_IT_STANDS
from wellled.core.services import membership_set, organisation_create, organisation_unit_create, person_create
from wellled.frameworks.models import Framework
from wellled.plans.choices import ActionState, FindingSource, PlanKind
from wellled.plans.models import Action, Plan, ProgressUpdate
from wellled.plans.services import (
    action_create,
    action_state_set,
    action_timescale_revise,
    cycle_open,
    finding_create,
    plan_create,
    progress_update_record,
    section_create,
)

from .loader import DemoDates, Writer, data, say_to

TRUSTS = data("trusts.yaml")
PLANS = data("plans.yaml")

# Not a secret: every demo person signs in with it, and the README prints it.
DEMO_PASSWORD: str = TRUSTS["password"]
# Fictional trusts. Z-prefixed ODS codes are not issued to NHS trusts, so these cannot clash with a real one.
DEMO_ODS_CODE: str = TRUSTS["trusts"][0]["ods_code"]
SECOND_ODS_CODE: str = TRUSTS["trusts"][1]["ods_code"]
DEMO_USERNAMES: tuple[str, ...] = tuple(p["username"] for p in TRUSTS["people"])
VIEWER_OF_BOTH: str = TRUSTS["viewer_of_both"]
MANAGING_ROLES = frozenset({Role.ADMINISTRATOR, Role.GOVERNANCE_EDITOR})
# Each trust's plan is found again by its kind, not its name: the name carries a year placed at load.
PLAN_KINDS = {DEMO_ODS_CODE: PlanKind.SELF_REVIEW, SECOND_ODS_CODE: PlanKind.IMPROVEMENT}

UPDATE_DAY_SPREAD = 14  # updates land between the 2nd and 15th day after a cycle opens
UPDATE_DEADLINE_AFTER_POSITION = datetime.timedelta(days=7)  # leads have a week after the month end
CLOSED_AFTER_LAST_UPDATE = datetime.timedelta(days=7)  # the governance team checks the evidence within a week


def plan_names(dates: DemoDates | None = None) -> dict[str, str]:
    """Each demo trust's plan name (ODS code -> name) as a load on `dates.today` writes it."""
    dates = dates or DemoDates()
    return {spec["trust"]: dates.text(spec["name"]) for spec in PLANS["plans"]}


def demo_plan(ods_code: str = DEMO_ODS_CODE) -> Plan | None:
    """A demo trust's plan, if loaded (the self-review of the demo trust by default)."""
    return Plan.objects.filter(organisation__ods_code=ods_code, kind=PLAN_KINDS[ods_code]).first()


def demo_trust(say, *, missing: str) -> Organisation | None:
    """The demo trust, or None after saying what is not added (`missing`) because it is not loaded."""
    organisation = Organisation.objects.filter(ods_code=DEMO_ODS_CODE).first()
    if organisation is None:
        say(f"The demo trust is not loaded; {missing}.")
    return organisation


def demo_person_create(
    person: dict[str, Any], *, organisation: Organisation, role: str, email_domain: str, by: User | None
) -> User:
    """A demo person from their entry in the demo's content, a member of `organisation` in `role`."""
    return person_create(
        username=person["username"],
        by=by,
        organisation=organisation,
        role=role,
        first_name=person["first_name"],
        last_name=person["last_name"],
        email=f"{person['username']}@{email_domain}",
        initials=person["initials"],
        job_title=person["job_title"],
        password=DEMO_PASSWORD,
    )


@dataclass(frozen=True)
class DemoLogin:
    """A demo sign-in: who, with which role, where."""

    username: str
    name: str
    initials: str
    job_title: str
    role: str
    organisation: str

    @classmethod
    def of(cls, membership, organisation_name: str) -> DemoLogin:
        """The sign-in of a demo membership, shown as being at `organisation_name`."""
        user = membership.user
        return cls(
            user.username,
            user.get_full_name(),
            user.display_initials,
            user.job_title,
            membership.get_role_display(),
            organisation_name,
        )


@dataclass
class DemoResult:
    """What demo_load did (created, or found already loaded) and how to sign in."""

    created: bool
    organisation: Organisation
    plans: list[Plan]
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = DEMO_PASSWORD


class DemoDataError(RuntimeError):
    """The database holds part of the demo (or something using its codes); it cannot be completed safely."""


def demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> DemoResult:
    """Load the demo trusts, people, plans and history once; a second run changes nothing."""
    say = say_to(stdout)
    if all(demo_plan(ods) for ods in PLAN_KINDS):
        say(f"Demo data is already loaded (ODS {DEMO_ODS_CODE} and {SECOND_ODS_CODE}); nothing changed.")
        return demo_result(created=False)
    _refuse_partial_demo()
    dates = dates or DemoDates()
    with transaction.atomic():
        people = _load_trusts_and_people(say)
        for spec in PLANS["plans"]:
            _load_plan(spec, people, dates, say)
    say("Demo data loaded.")
    return demo_result(created=True)


def _refuse_partial_demo() -> None:
    """Stop, rather than duplicate or overwrite, when some demo codes or usernames are already taken."""
    taken = sorted(
        Organisation.objects.filter(ods_code__in=list(PLAN_KINDS)).values_list("ods_code", flat=True)
    )
    taken += sorted(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if taken:
        raise DemoDataError(
            f"The database already holds part of the demo ({', '.join(taken)}) but not all of it. "
            "Use a fresh WELLLED_DATA_DIR (or database) for the demo."
        )


def demo_result(*, created: bool) -> DemoResult:
    """The demo organisation, its plans and the sign-ins, read back from the database."""
    organisation = Organisation.objects.get(ods_code=DEMO_ODS_CODE)
    plans = list(
        Plan.objects.filter(organisation__ods_code__in=list(PLAN_KINDS)).order_by(
            "organisation__name", "name"
        )
    )
    memberships = memberships_ever(user__username__in=DEMO_USERNAMES).select_related("user", "organisation")
    order = {username: index for index, username in enumerate(DEMO_USERNAMES)}
    logins = [
        DemoLogin.of(m, m.organisation.name)
        for m in sorted(
            memberships, key=lambda m: (order[m.user.username], m.organisation.ods_code != DEMO_ODS_CODE)
        )
    ]
    return DemoResult(created=created, organisation=organisation, plans=plans, logins=logins)


def _load_trusts_and_people(say) -> dict[str, User]:
    """Create both trusts, every demo person with their roles, and each trust's structure."""
    say(f"Creating {' and '.join(t['name'] for t in TRUSTS['trusts'])}.")
    trusts = {
        t["ods_code"]: organisation_create(name=t["name"], ods_code=t["ods_code"], by=None, kind=t["kind"])
        for t in TRUSTS["trusts"]
    }
    domains = {t["ods_code"]: t["email_domain"] for t in TRUSTS["trusts"]}
    people: dict[str, User] = {}
    # Each trust's records are made by its first administrator or editor (the very first one, by no one).
    actors: dict[str, User | None] = dict.fromkeys(trusts)
    for person in TRUSTS["people"]:
        roles = list(person["roles"].items())
        home_ods, home_role = roles[0]
        user = demo_person_create(
            person,
            organisation=trusts[home_ods],
            role=home_role,
            email_domain=domains[home_ods],
            by=actors[home_ods],
        )
        if actors[home_ods] is None and home_role in MANAGING_ROLES:
            actors[home_ods] = user
        people[person["username"]] = user
    for person in TRUSTS["people"]:
        for ods_code, role in list(person["roles"].items())[1:]:
            membership_set(
                user=people[person["username"]], organisation=trusts[ods_code], role=role, by=actors[ods_code]
            )
    for trust in TRUSTS["trusts"]:
        ods_code = trust["ods_code"]
        created: dict[str, OrganisationUnit] = {}
        for unit in trust["units"]:
            created[unit["name"]] = organisation_unit_create(
                organisation=trusts[ods_code],
                kind=unit["kind"],
                name=unit["name"],
                code=unit["code"],
                by=actors[ods_code],
                parent=created[unit["parent"]] if unit.get("parent") else None,
            )
    return people


def _load_plan(spec: dict[str, Any], people: dict[str, User], dates: DemoDates, say) -> Plan:
    """One trust's plan: its sections (framework elements or workstreams), findings, actions and history."""
    editor = people[spec["editor"]]
    organisation = Organisation.objects.get(ods_code=spec["trust"])
    framework = (
        Framework.objects.get(key=spec["framework"], organisation__isnull=True)
        if spec.get("framework")
        else None
    )
    inspection = dates.date(spec["inspection"]) if spec.get("inspection") else None
    named = {"inspection": inspection} if inspection else {}
    name = dates.text(spec["name"])
    say(f"Creating the plan '{name}' for {organisation.name}.")
    plan = plan_create(
        organisation=organisation,
        by=editor,
        name=name,
        kind=spec["kind"],
        organised_by=spec["organised_by"],
        framework=framework,
        description=dates.text(spec["description"], **named),
    )
    for order, workstream in enumerate(spec.get("workstreams", ()), start=1):
        section_create(
            plan=plan,
            by=editor,
            code=workstream["code"],
            title=workstream["title"],
            executive_lead=people[workstream["lead"]],
            order=order,
        )
    elements = {e.code: e for e in framework.elements.all()} if framework else {}
    findings = {
        finding["number"]: finding_create(
            plan=plan,
            by=editor,
            number=finding["number"],
            text=dates.text(finding["text"]),
            finding_type=finding["type"],
            regulation=finding.get("regulation", ""),
            source=FindingSource.CQC_INSPECTION,
            source_date=inspection,
            framework_element=elements.get(finding["element"]) if finding.get("element") else None,
        )
        for finding in spec.get("findings", ())
    }
    actions = _load_actions(plan, spec, people, editor, findings, dates)
    say(f"  {len(actions)} actions with their timescales.")
    _load_history(plan, spec, actions, people, editor, dates, say)
    return plan


def _load_actions(plan, spec, people, editor, findings, dates: DemoDates) -> dict[str, Action]:
    """Create the actions as agreed, then revise the timescales that slipped, on the days they were agreed."""
    sections = {s.code: s for s in plan.sections.all()}
    created_at = dates.moment(spec["agreed"])
    actions: dict[str, Action] = {}
    for row in spec["actions"]:
        action = action_create(
            plan=plan,
            by=editor,
            reference=row["reference"],
            title=dates.text(row["title"]),
            section=sections[row["section"]] if row.get("section") else None,
            lead=people[row["lead"]] if row.get("lead") else None,
            other_leads=[people[u] for u in row.get("other_leads", ())],
            lead_note=row.get("lead_note", ""),
            success_measure=dates.text(row["success_measure"]),
            due_date=dates.date(row["due"]),
            findings=[findings[n] for n in row.get("findings", ())],
            at=created_at,
        )
        for slip in row.get("slips", ()):
            action_timescale_revise(
                action=action,
                by=editor,
                expected_version=AS_IT_STANDS,
                due_date=dates.date(slip["due"]),
                reason=dates.text(slip["reason"]),
                at=dates.moment(slip["agreed"]),
            )
        actions[row["reference"]] = action
    return actions


def _load_history(plan, spec, actions, people, editor, dates: DemoDates, say) -> None:
    """Open each monthly cycle in turn and replay its progress updates in date order; then close what closed."""
    statuses = {s.code: s for s in DeliveryStatus.objects.filter(organisation=plan.organisation)}
    last_update_on: dict[str, datetime.date] = {}
    for cycle in spec["cycles"]:
        month = cycle["month"]
        position = dates.date(f"month_end({month})")
        opened_on = dates.date(f"day({month}, {cycle['opened']})")
        name = f"Position as at {day_text(position)}"
        cycle_open(
            plan=plan,
            by=editor,
            name=name,
            position_as_at=position,
            update_deadline=position + UPDATE_DEADLINE_AFTER_POSITION,
            at=dates.moment(opened_on, hour=9),
        )
        recorded = 0
        for order, row in enumerate(spec["actions"]):
            previous: ProgressUpdate | None = None
            for update in (u for u in row.get("updates", ()) if u["cycle"] == month):
                day = opened_on + datetime.timedelta(days=2 + (order * 3) % UPDATE_DAY_SPREAD)
                if update.get("corrects"):
                    day += datetime.timedelta(days=1)
                author = people[update.get("by") or row.get("lead") or editor.username]
                previous = progress_update_record(
                    action=actions[row["reference"]],
                    by=author,
                    narrative=dates.text(update["text"]),
                    status=statuses[update["status"]],
                    expected_version=None,
                    update_date=day,
                    supersedes=previous if update.get("corrects") else None,
                    at=dates.moment(day, hour=11 + recorded % 6),
                )
                recorded += 1
                last_update_on[row["reference"]] = day
        say(f"  {name}: {recorded} progress updates.")
    yesterday = dates.today - datetime.timedelta(days=1)
    for row in spec["actions"]:
        state = row.get("state", ActionState.OPEN)
        if state != ActionState.OPEN:
            # Closed a week after its last update, so papers for earlier dates show it still open.
            last = last_update_on.get(row["reference"])
            action_state_set(
                action=actions[row["reference"]],
                by=editor,
                expected_version=AS_IT_STANDS,
                state=state,
                assurance_evidence=dates.text(row.get("assurance_evidence", "")),
                at=dates.moment(min(last + CLOSED_AFTER_LAST_UPDATE, yesterday), hour=16) if last else None,
            )
