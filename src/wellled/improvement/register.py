"""QI projects in and out of a workbook, through the register round-trip kit (core.registers): one row a project.

Projects are matched by Wellled's project ID (Q12; empty for a new project): a row retitles a project, rewords its
aim, changes its lead, sponsor, status or start date, or starts a project, through `project_create` and
`project_update` (each change audited and in the project's history). People are named as Wellled shows them (or by
username) and must be current members of the organisation. The team, driver diagram, measures and PDSA cycles stay
on the project's page. Nothing is deleted: a project missing from the workbook is left as it is.
"""

from __future__ import annotations

from typing import Any

from wellled.core import registers
from wellled.core.limits import limit_of
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.registers import Column, Comparison, Context, Register, cell_text
from wellled.core.selectors import organisation_people
from wellled.core.service_kit import AS_IT_STANDS, permission_require

from . import selectors, services
from .choices import ProjectStatus
from .models import QIProject

AS_IS: Any = AS_IT_STANDS  # the row was compared with the project as it stands (fields_update takes it)
STATUSES = {
    **{str(label).lower(): value for value, label in ProjectStatus.choices},
    **{value: value for value in ProjectStatus.values},
    "testing": ProjectStatus.ACTIVE,
}


def person_name(person: User | None) -> str:
    """A person as the workbook writes them: their full name, else their username."""
    if person is None:
        return ""
    return person.get_full_name() or person.username


class _People:
    """The organisation's current members by the names the workbook may use (full name or username)."""

    def __init__(self, context: Context):
        self.people: dict[str, User] = {}
        for person in organisation_people(user=context.by, organisation=context.organisation):
            self.people.setdefault(person.username.lower(), person)
            self.people.setdefault(person_name(person).lower(), person)


def _person(value: Any, context: Context) -> User | None:
    text = cell_text(value)
    if not text:
        return None
    found = context.lookups.people.get(text.lower())
    if found is None:
        raise ValueError(f"“{text[:60]}” is not a current member of {context.organisation.name}")
    return found


def _projects(context: Context):
    return selectors.projects_for_user(user=context.by, organisation=context.organisation).order_by(
        "title", "pk"
    )


def _project_create(context: Context, values: dict[str, Any]) -> QIProject:
    fields = {k: v for k, v in values.items() if k != "reference" and v not in (None, "")}
    return services.project_create(organisation=context.organisation, by=context.by, **fields)


PROJECTS: Register[QIProject] = Register(
    noun="QI project",
    sheet="QI projects",
    reference="reference",
    columns=(
        registers.id_column("Q", "Project ID", "Wellled project ID", "ID"),
        Column(
            "title",
            "Title",
            lambda p: p.title,
            read=registers.text_reader(limit_of(QIProject, "title"), required="the project has no title"),
            aliases=("Project", "Project title", "Name"),
            required=True,
        ),
        Column(
            "aim",
            "Aim",
            lambda p: p.aim,
            read=registers.text_reader(limit_of(QIProject, "aim"), required="the project has no aim"),
            aliases=("Aim statement",),
        ),
        Column("lead", "Lead", lambda p: p.lead, read=_person, cell=person_name, show=person_name),
        Column("sponsor", "Sponsor", lambda p: p.sponsor, read=_person, cell=person_name, show=person_name),
        Column(
            "status",
            "Status",
            lambda p: p.status,
            read=registers.choice_reader(STATUSES, blank=ProjectStatus.ACTIVE),
            cell=lambda status: ProjectStatus(status).label,
            show=lambda status: str(ProjectStatus(status).label),
        ),
        Column(
            "started_on",
            "Started on",
            lambda p: p.started_on,
            read=registers.date_reader(required=True),
            aliases=("Started", "Start date"),
            required=True,
        ),
    ),
    records=_projects,
    create=_project_create,
    update=lambda context, project, changes, values: services.project_update(
        project=project, by=context.by, expected_version=AS_IS, **changes
    ),
    prepare=_People,
    **registers.NUMBERED,
)


def projects_export(*, user: User, organisation: Organisation) -> bytes:
    """The organisation's QI projects as a workbook in the layout the import reads."""
    return registers.registers_workbook([(PROJECTS, _projects(Context(organisation=organisation, by=user)))])


def projects_import(*, organisation: Organisation, by: User, file: Any, dry_run: bool) -> list[Comparison]:
    """Compare the workbook's projects with the organisation's; unless it is a dry run or anything is wrong, write
    every change in one transaction."""
    permission_require(user=by, organisation_id=organisation.pk, permission=Permission.MANAGE_QI)
    context = Context(organisation=organisation, by=by)
    return registers.registers_import([PROJECTS], file, context, dry_run=dry_run)


__all__ = ["PROJECTS", "projects_export", "projects_import"]
