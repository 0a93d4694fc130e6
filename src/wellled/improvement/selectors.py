"""Reads for quality improvement, each limited to the person's organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wellled.core.models import Organisation, User
from wellled.core.selectors import get_or_404, scoped
from wellled.measures.selectors import MeasureSummary, summarise

from .choices import AimReading, ProjectStatus
from .models import ChangeIdea, Driver, PDSACycle, ProjectMeasure, QIProject


@dataclass(frozen=True)
class DriverRow:
    """A primary driver with its secondary drivers, and the change ideas under each."""

    driver: Driver
    ideas: tuple[ChangeIdea, ...]
    secondary: tuple[tuple[Driver, tuple[ChangeIdea, ...]], ...]


@dataclass(frozen=True)
class WatchedMeasure:
    link: ProjectMeasure
    summary: MeasureSummary


@dataclass(frozen=True)
class AimStanding:
    """The aim as numbers (baseline, goal, date) against its measure's latest value: met, not yet, or date passed."""

    reading: AimReading
    latest: float | None = None
    latest_period: datetime.date | None = None

    @property
    def label(self) -> str:
        return self.reading.label


def aim_reading(
    *, baseline: float, goal: float, by: datetime.date, latest: float | None, today: datetime.date
) -> AimReading:
    """Met when the latest value has reached the goal, on the side of it away from the baseline (the Model for
    Improvement's "how much, by when"); otherwise not yet, or the date passed once `by` is behind us."""
    if latest is None:
        return AimReading.DATE_PASSED if by < today else AimReading.NO_DATA
    reached = latest >= goal if goal >= baseline else latest <= goal
    if reached:
        return AimReading.MET
    return AimReading.DATE_PASSED if by < today else AimReading.NOT_YET


def aim_standing(
    *, project: QIProject, summary: MeasureSummary | None, today: datetime.date
) -> AimStanding | None:
    """The (already scoped) project's aim read from its measure's summary; None when the aim is words alone."""
    if project.aim_baseline is None or project.aim_goal is None or project.aim_by is None:
        return None
    latest = summary.latest if summary is not None else None
    reading = aim_reading(
        baseline=project.aim_baseline, goal=project.aim_goal, by=project.aim_by, latest=latest, today=today
    )
    return AimStanding(reading, latest, summary.latest_period if summary is not None else None)


@dataclass(frozen=True)
class ProjectPage:
    """Everything a project's page shows, read in a fixed number of queries."""

    project: QIProject
    drivers: tuple[DriverRow, ...]
    measures: tuple[WatchedMeasure, ...]
    cycles: tuple[PDSACycle, ...]
    team: tuple[User, ...]
    aim: AimStanding | None = None


def projects_for_user(*, user: User, organisation: Organisation) -> QuerySet[QIProject]:
    projects = QIProject.objects.select_related("lead", "sponsor", "aim_measure")
    return scoped(projects, user=user, organisation=organisation)


def project_get(*, user: User, organisation: Organisation, pk) -> QIProject:
    return get_or_404(projects_for_user(user=user, organisation=organisation), pk=pk)


def portfolio(*, user: User, organisation: Organisation) -> list[QIProject]:
    """Every project with its counts of PDSA cycles and watched measures."""
    return list(
        projects_for_user(user=user, organisation=organisation).annotate(
            cycle_count=Count("pdsa_cycles", distinct=True),
            measure_count=Count("project_measures", distinct=True),
        )
    )


def driver_get(*, user: User, organisation: Organisation, pk) -> Driver:
    drivers = Driver.objects.select_related("project")
    return get_or_404(
        scoped(drivers, user=user, organisation=organisation, path="project__organisation"), pk=pk
    )


def cycle_get(*, user: User, organisation: Organisation, pk) -> PDSACycle:
    cycles = PDSACycle.objects.select_related("project", "change_idea", "created_by")
    return get_or_404(
        scoped(cycles, user=user, organisation=organisation, path="project__organisation"), pk=pk
    )


def change_ideas(*, project: QIProject) -> QuerySet[ChangeIdea]:
    """The (already scoped) project's change ideas, for choosing which one a PDSA cycle tests."""
    return ChangeIdea.objects.filter(driver__project=project).select_related("driver")


def primary_drivers(*, project: QIProject) -> QuerySet[Driver]:
    return project.drivers.filter(parent__isnull=True)


def project_page(*, user: User, organisation: Organisation, pk) -> ProjectPage:
    """A project with its driver diagram, watched measures (with SPC icons) and PDSA cycles."""
    project = project_get(user=user, organisation=organisation, pk=pk)
    drivers = list(project.drivers.all())
    ideas = list(ChangeIdea.objects.filter(driver__project=project))
    ideas_of: dict[int, list[ChangeIdea]] = {}
    for idea in ideas:
        ideas_of.setdefault(idea.driver_id, []).append(idea)
    rows = []
    for primary in (d for d in drivers if d.parent_id is None):
        secondary = tuple((d, tuple(ideas_of.get(d.pk, ()))) for d in drivers if d.parent_id == primary.pk)
        rows.append(DriverRow(primary, tuple(ideas_of.get(primary.pk, ())), secondary))
    links = list(project.project_measures.select_related("measure"))
    aim_measure = [project.aim_measure] if project.aim_measure is not None else []
    summaries = summarise([link.measure for link in links] + aim_measure)
    return ProjectPage(
        project=project,
        drivers=tuple(rows),
        measures=tuple(WatchedMeasure(link, summaries[link.measure_id]) for link in links),
        cycles=tuple(project.pdsa_cycles.select_related("change_idea", "created_by")),
        team=tuple(project.team.all()),
        aim=aim_standing(
            project=project,
            summary=summaries.get(project.aim_measure_id) if project.aim_measure_id is not None else None,
            today=timezone.localdate(),
        ),
    )


def projects_held_open(*, by: User, organisation: Organisation, person: User) -> QuerySet[QIProject]:
    """The QI projects not closed that the person leads, sponsors or is in the team of: what to hand on when they
    leave or can no longer act (core.holdings), read as `by`."""
    held = Q(lead=person) | Q(sponsor=person) | Q(team=person)
    projects = projects_for_user(user=by, organisation=organisation).exclude(status=ProjectStatus.CLOSED)
    return projects.filter(held).distinct().order_by("title")
