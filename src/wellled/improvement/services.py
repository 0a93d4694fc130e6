"""Writes for quality improvement projects, each checking the role and writing its audit record."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.access import is_current_member
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission, role_allows
from wellled.core.service_kit import (
    AS_IT_STANDS,
    ROLE_REFUSED,
    ExpectedVersion,
    fields_update,
    membership_role,
    people_check,
    permission_require,
    record_create,
)
from wellled.measures import services as measure_services
from wellled.measures.models import Measure

from .models import ChangeIdea, Driver, PDSACycle, ProjectMeasure, QIProject

AIM_FIELDS = ("aim_measure", "aim_baseline", "aim_goal", "aim_by")
PROJECT_FIELDS = {
    "title",
    "aim",
    "lead",
    "sponsor",
    "status",
    "started_on",
    "team",
    "actions",
    "findings",
    *AIM_FIELDS,
}
AIM_PARTS = "An aim in numbers needs all three: the baseline, the goal and the date to reach it by."


def _aim_check(organisation_id: int, started_on: datetime.date | None, aim: dict) -> None:
    """An aim in numbers has a baseline, a goal different from it and a date after the project started, and its
    measure is the organisation's own; or it is words alone (none of the three)."""
    errors: dict[str, str] = {}
    numbers = {name: aim.get(name) for name in ("aim_baseline", "aim_goal", "aim_by")}
    given = [name for name, value in numbers.items() if value is not None]
    if given and len(given) < len(numbers):
        for name, value in numbers.items():
            if value is None:
                errors[name] = AIM_PARTS
    elif given:
        if numbers["aim_goal"] == numbers["aim_baseline"]:
            errors["aim_goal"] = "The goal is the same as the baseline: say what value the aim is to reach."
        aim_by = numbers["aim_by"]
        if started_on is not None and aim_by is not None and aim_by < started_on:
            errors["aim_by"] = "The date to reach the goal by cannot be before the project started."
    measure = aim.get("aim_measure")
    if measure is not None and measure.organisation_id != organisation_id:
        errors["aim_measure"] = "Choose one of your organisation's measures."
    if measure is not None and not given:
        errors.setdefault("aim_baseline", AIM_PARTS)
    if errors:
        raise ValidationError(errors)


PDSA_PROGRESS_FIELDS = {"plan", "prediction", "do", "study", "act", "act_notes", "ended_on"}
# Annotations are short (measures.Annotation.text): the cycle's title, said to be a PDSA cycle.
ANNOTATION_PREFIX = "PDSA: "


def user_may_record_pdsa(*, user: User, project: QIProject) -> bool:
    """Editors on any project; leads on projects they lead or are in the team of."""
    role = membership_role(user=user, organisation_id=project.organisation_id)
    if role_allows(role, Permission.MANAGE_QI):
        return True
    if not role_allows(role, Permission.RECORD_PDSA):
        return False
    return project.lead_id == user.pk or project.team.filter(pk=user.pk).exists()


def _require_pdsa(user: User, project: QIProject) -> None:
    if not user_may_record_pdsa(user=user, project=project):
        raise PermissionDenied(ROLE_REFUSED)


def _same_organisation(organisation_id: int, **groups: Iterable) -> None:
    for field, items in groups.items():
        for item in items:
            owner = getattr(item, "organisation_id", None)
            if owner is None and hasattr(item, "plan"):
                owner = item.plan.organisation_id
            if owner is None and hasattr(item, "memberships"):
                if not is_current_member(user=item, organisation_id=organisation_id):
                    raise ValidationError({field: "Choose from your own organisation."})
                continue
            if owner is not None and owner != organisation_id:
                raise ValidationError({field: "Choose from your own organisation."})


def _people_check(project: QIProject | None, organisation_id: int, changes: dict) -> None:
    """A project's lead, sponsor and team are people who can act on it (record its PDSA cycles): never a viewer, a
    leaver or an invitee yet to accept; whoever the project already names may stay."""
    chosen = {
        k: list(v) if k == "team" else v for k, v in changes.items() if k in ("lead", "sponsor", "team")
    }
    people_check(
        organisation_id=organisation_id, permissions=[Permission.RECORD_PDSA], instance=project, **chosen
    )


def _not_in_future(day: datetime.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: "The date cannot be in the future."})


@transaction.atomic
def project_create(
    *,
    organisation: Organisation,
    by: User,
    title: str,
    aim: str,
    started_on: datetime.date,
    lead: User | None = None,
    sponsor: User | None = None,
    team: Iterable[User] = (),
    status: str = "active",
    aim_measure: Measure | None = None,
    aim_baseline: float | None = None,
    aim_goal: float | None = None,
    aim_by: datetime.date | None = None,
) -> QIProject:
    """Start a QI project, its aim in words and, if given, in numbers (baseline, goal, date, the measure read)."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_QI)
    aim_numbers = {
        "aim_measure": aim_measure,
        "aim_baseline": aim_baseline,
        "aim_goal": aim_goal,
        "aim_by": aim_by,
    }
    _aim_check(organisation.pk, started_on, aim_numbers)
    team = list(team)
    _same_organisation(
        organisation.pk, lead=[p for p in [lead] if p], sponsor=[p for p in [sponsor] if p], team=team
    )
    _people_check(None, organisation.pk, {"lead": lead, "sponsor": sponsor, "team": team})
    if QIProject.objects.filter(organisation=organisation, title__iexact=title.strip()).exists():
        raise ValidationError({"title": "Your organisation already has a project with this title."})
    project = QIProject(
        organisation=organisation,
        title=title.strip(),
        aim=aim.strip(),
        lead=lead,
        sponsor=sponsor,
        status=status,
        started_on=started_on,
        **aim_numbers,
    )
    return record_create(
        instance=project, by=by, organisation=organisation, permission=None, many={"team": team}
    )


@transaction.atomic
def project_update(
    *, project: QIProject, by: User, expected_version: ExpectedVersion, **changes
) -> QIProject:
    """Change a project's aim, people, status, dates, or the actions and findings it answers."""
    _same_organisation(
        project.organisation_id,
        lead=[p for p in [changes.get("lead")] if p],
        sponsor=[p for p in [changes.get("sponsor")] if p],
        team=changes.get("team", ()),
        actions=changes.get("actions", ()),
        findings=changes.get("findings", ()),
    )
    _people_check(project, project.organisation_id, changes)
    if set(AIM_FIELDS) & set(changes) or "started_on" in changes:
        after = {name: changes.get(name, getattr(project, name)) for name in AIM_FIELDS}
        _aim_check(project.organisation_id, changes.get("started_on", project.started_on), after)
    if "title" in changes:
        changes["title"] = changes["title"].strip()
        clash = QIProject.objects.filter(
            organisation_id=project.organisation_id, title__iexact=changes["title"]
        )
        if clash.exclude(pk=project.pk).exists():
            raise ValidationError({"title": "Your organisation already has a project with this title."})
    return fields_update(
        instance=project,
        by=by,
        organisation=project.organisation,
        permission=Permission.MANAGE_QI,
        expected_version=expected_version,
        allowed=PROJECT_FIELDS,
        changes=changes,
    )


@transaction.atomic
def driver_add(*, project: QIProject, by: User, text: str, parent: Driver | None = None) -> Driver:
    """Add a primary driver, or a secondary one under a primary driver of the same project."""
    permission_require(user=by, organisation_id=project.organisation_id, permission=Permission.MANAGE_QI)
    if parent is not None and (parent.project_id != project.pk or not parent.is_primary):
        raise ValidationError({"parent": "Choose one of this project's primary drivers."})
    siblings = project.drivers.filter(parent=parent)
    driver = Driver(project=project, parent=parent, text=text.strip(), order=siblings.count() + 1)
    return record_create(instance=driver, by=by, organisation=project.organisation, permission=None)


@transaction.atomic
def change_idea_add(*, driver: Driver, by: User, text: str) -> ChangeIdea:
    """Add a change idea to test under a driver."""
    project = driver.project
    permission_require(user=by, organisation_id=project.organisation_id, permission=Permission.MANAGE_QI)
    idea = ChangeIdea(driver=driver, text=text.strip(), order=driver.change_ideas.count() + 1)
    return record_create(instance=idea, by=by, organisation=project.organisation, permission=None)


@transaction.atomic
def project_measure_link(*, project: QIProject, by: User, measure: Measure, role: str) -> ProjectMeasure:
    """Watch a measure as the project's outcome, process or balancing measure."""
    permission_require(user=by, organisation_id=project.organisation_id, permission=Permission.MANAGE_QI)
    if measure.organisation_id != project.organisation_id:
        raise ValidationError({"measure": "Choose one of your organisation's measures."})
    if project.project_measures.filter(measure=measure).exists():
        raise ValidationError({"measure": "The project already watches this measure."})
    link = ProjectMeasure(project=project, measure=measure, role=role)
    return record_create(instance=link, by=by, organisation=project.organisation, permission=None)


@transaction.atomic
def pdsa_record(
    *,
    project: QIProject,
    by: User,
    title: str,
    plan: str,
    prediction: str,
    started_on: datetime.date,
    change_idea: ChangeIdea | None = None,
) -> PDSACycle:
    """Record a PDSA cycle's plan and prediction; its start is annotated on every measure the project watches."""
    _require_pdsa(by, project)
    _not_in_future(started_on, "started_on")
    if change_idea is not None and change_idea.driver.project_id != project.pk:
        raise ValidationError({"change_idea": "Choose one of this project's change ideas."})
    cycle = PDSACycle(
        project=project,
        change_idea=change_idea,
        title=title.strip(),
        plan=plan.strip(),
        prediction=prediction.strip(),
        started_on=started_on,
        created_by=by,
    )
    cycle.full_clean()  # before the measures are annotated with it
    notes = [
        measure_services.annotation_add(
            measure=link.measure,
            by=by,
            date=started_on,
            text=(ANNOTATION_PREFIX + cycle.title)[:200],
            permission=Permission.RECORD_PDSA,
        )
        for link in project.project_measures.select_related("measure")
    ]
    return record_create(
        instance=cycle,
        by=by,
        organisation=project.organisation,
        permission=None,
        clean=(),  # validated whole above
        many={"annotations": notes},
    )


@transaction.atomic
def pdsa_progress_record(*, cycle: PDSACycle, by: User, expected_version: int | None, **changes) -> PDSACycle:
    """Write what happened (do), what the data showed (study) and the decision (act); the start date stays."""
    _require_pdsa(by, cycle.project)
    _not_in_future(changes.get("ended_on"), "ended_on")
    ended_on = changes.get("ended_on")
    if ended_on is not None and ended_on < cycle.started_on:
        raise ValidationError({"ended_on": "The cycle cannot end before it started."})
    return fields_update(
        instance=cycle,
        by=by,
        organisation=cycle.project.organisation,
        permission=None,
        expected_version=expected_version,
        allowed=PDSA_PROGRESS_FIELDS,
        changes=changes,
    )


@transaction.atomic
def projects_hand_on(*, records: Iterable[QIProject], person: User, to: User, by: User) -> int:
    """Give `to` the person's part in each project (lead, sponsor, a place in the team), through project_update, so
    each change is versioned and audited (a leaver's projects, core.holdings). Returns how many."""
    count = 0
    for project in records:
        project = QIProject.objects.get(pk=project.pk)
        changes: dict = {f: to for f in ("lead", "sponsor") if getattr(project, f"{f}_id") == person.pk}
        team = list(project.team.all())
        if person in team:
            changes["team"] = [p for p in team if p.pk != person.pk] + ([to] if to not in team else [])
        project_update(project=project, by=by, expected_version=AS_IT_STANDS, **changes)
        count += 1
    return count
