"""Quality improvement pages: the portfolio, a project with its driver diagram, measures and PDSA cycles, and the
projects exported and imported as a workbook."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from wellled.core.permissions import Permission, require
from wellled.core.selectors import people_who_can_act
from wellled.core.view_kit import (
    CreatePage,
    EditPage,
    HistoryPage,
    SignedInRequest,
    form_page,
    register_upload_page,
    role,
    scope,
    xlsx_download,
)
from wellled.measures.selectors import measures_for_user

from . import register, selectors, services
from .forms import (
    ChangeIdeaForm,
    DriverForm,
    MeasureLinkForm,
    PDSAForm,
    PDSAProgressForm,
    ProjectForm,
    ProjectsImportForm,
)
from .models import QIProject


def project_list(request: SignedInRequest) -> HttpResponse:
    return render(
        request, "improvement/project_list.jinja", {"projects": selectors.portfolio(**scope(request))}
    )


def _people(request: SignedInRequest, project: object) -> dict[str, object]:
    """Who may lead, sponsor or join a project (core.selectors.people_who_can_act), and whoever it already names."""
    keep = []
    if isinstance(project, QIProject):
        keep = [project.lead_id, project.sponsor_id, *(p.pk for p in project.team.all())]
    permissions = [Permission.RECORD_PDSA]
    return {
        "people": people_who_can_act(**scope(request), permissions=permissions, keep=keep),
        "measures": measures_for_user(**scope(request)),
    }


def _project_url(project: QIProject, anchor: str = "") -> str:
    return reverse("qi-project-detail", args=[project.pk]) + anchor


project_create = CreatePage(
    form=ProjectForm,
    service=services.project_create,
    permission=Permission.MANAGE_QI,
    template="improvement/project_form.jinja",
    title="Start a QI project",
    success_url=_project_url,
    message=lambda project: f"Project “{project.title}” started.",
    form_kwargs=_people,
)


def project_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    page = selectors.project_page(pk=pk, **scope(request))
    may_record = services.user_may_record_pdsa(user=request.user, project=page.project)
    return render(request, "improvement/project_detail.jinja", {"page": page, "may_record": may_record})


project_edit = EditPage[QIProject](
    get=selectors.project_get,
    form=ProjectForm,
    service=services.project_update,
    permission=Permission.MANAGE_QI,
    template="improvement/project_form.jinja",
    title=lambda project: f"Edit {project.title}",
    success_url=_project_url,
    message="Project saved.",
    form_kwargs=_people,
)

# The small pages adding to a project's driver diagram and measures: for those who manage QI projects.
_small_add = partial(CreatePage, permission=Permission.MANAGE_QI, template="improvement/small_form.jinja")

driver_add = _small_add(
    parent=selectors.project_get,
    form=DriverForm,
    service=services.driver_add,
    title="Add a driver",
    success_url=lambda driver: _project_url(driver.project, "#drivers"),
    message="Driver added.",
    form_kwargs=lambda request, project: {"primaries": selectors.primary_drivers(project=project)},
    context=lambda request, project: {"button": "Add the driver"},
)


change_idea_add = _small_add(
    parent=selectors.driver_get,
    form=ChangeIdeaForm,
    service=services.change_idea_add,
    success_url=lambda idea: _project_url(idea.driver.project, "#drivers"),
    message="Change idea added.",
    context=lambda request, driver: {
        "title": f"Add a change idea under “{driver.text}”",
        "project": driver.project,
        "button": "Add the change idea",
    },
)


measure_link = _small_add(
    parent=selectors.project_get,
    form=MeasureLinkForm,
    service=services.project_measure_link,
    title="Watch a measure",
    success_url=lambda link: _project_url(link.project, "#measures"),
    message="Measure linked.",
    form_kwargs=lambda request, project: {"measures": measures_for_user(**scope(request))},
    context=lambda request, project: {"button": "Link the measure"},
)


def pdsa_create(request: SignedInRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(pk=pk, **scope(request))
    if not services.user_may_record_pdsa(user=request.user, project=project):
        raise PermissionDenied(
            "Only the project's lead, its team or a governance editor can record PDSA cycles."
        )
    form = PDSAForm(request.POST or None, ideas=selectors.change_ideas(project=project))
    return form_page(
        request,
        form,
        template="improvement/small_form.jinja",
        save=lambda data: services.pdsa_record(project=project, by=request.user, **data),
        success_url=lambda cycle: reverse("qi-pdsa-detail", args=[cycle.pk]),
        message="PDSA cycle recorded; its start is marked on the project's charts.",
        context={"title": "Record a PDSA cycle", "project": project, "button": "Record the cycle"},
    )


def pdsa_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(pk=pk, **scope(request))
    may_record = services.user_may_record_pdsa(user=request.user, project=cycle.project)
    form = None
    if may_record:
        initial = {f: getattr(cycle, f) for f in ("do", "study", "act", "act_notes", "ended_on")}
        form = PDSAProgressForm(request.POST or None, initial={**initial, "version": cycle.version})
    elif request.method == "POST":
        raise PermissionDenied(
            "Only the project's lead, its team or a governance editor can record PDSA cycles."
        )
    if form is None:
        return render(request, "improvement/pdsa_detail.jinja", {"cycle": cycle, "form": None})
    return form_page(
        request,
        form,
        template="improvement/pdsa_detail.jinja",
        save=lambda data: services.pdsa_progress_record(
            cycle=cycle, by=request.user, expected_version=data.pop("version"), **data
        ),
        success_url=reverse("qi-pdsa-detail", args=[pk]),
        message="PDSA cycle saved.",
        context={"cycle": cycle},
    )


project_history = HistoryPage[QIProject](
    get=selectors.project_get,
    title=lambda project: f"History of {project.title}",
    back_url=_project_url,
)


def projects_export(request: SignedInRequest) -> HttpResponse:
    """The QI projects as a workbook, in the layout the import reads."""
    require(role(request), Permission.VIEW)
    content = register.projects_export(user=request.user, organisation=request.organisation)
    return xlsx_download(request, content, "qi-projects")


def projects_import(request: SignedInRequest) -> HttpResponse:
    """Upload the QI projects workbook: check it (the differences row by row), then import it."""
    require(role(request), Permission.MANAGE_QI)
    page = reverse("qi-project-list")
    return register_upload_page(
        request,
        ProjectsImportForm,
        register.projects_import,
        template="improvement/import.jinja",
        title="Import QI projects",
        success_url=page,
        noun="QI project",
    )
