"""Quality improvement pages: the portfolio, a project with its driver diagram, measures and PDSA cycles."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from wellled.core.permissions import Permission, require
from wellled.core.selectors import organisation_people
from wellled.core.view_kit import SignedInRequest, form_page, history_page, role, scope
from wellled.measures.selectors import measures_for_user

from . import selectors, services
from .forms import (
    ChangeIdeaForm,
    DriverForm,
    MeasureLinkForm,
    PDSAForm,
    PDSAProgressForm,
    ProjectEditForm,
    ProjectForm,
)


def project_list(request: SignedInRequest) -> HttpResponse:
    return render(
        request, "improvement/project_list.jinja", {"projects": selectors.portfolio(**scope(request))}
    )


def project_create(request: SignedInRequest) -> HttpResponse:
    require(role(request), Permission.MANAGE_QI)
    form = ProjectForm(request.POST or None, people=organisation_people(**scope(request)))
    return form_page(
        request,
        form,
        template="improvement/project_form.jinja",
        save=lambda data: services.project_create(
            organisation=request.organisation,
            by=request.user,
            title=data["title"],
            aim=data["aim"],
            status=data["status"],
            started_on=data["started_on"],
            lead=data["lead"],
            sponsor=data["sponsor"],
            team=data["team"],
        ),
        success_url=lambda project: reverse("qi-project-detail", args=[project.pk]),
        message=lambda project: f"Project “{project.title}” started.",
        context={"title": "Start a QI project"},
    )


def project_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    page = selectors.project_page(pk=pk, **scope(request))
    may_record = services.user_may_record_pdsa(user=request.user, project=page.project)
    return render(request, "improvement/project_detail.jinja", {"page": page, "may_record": may_record})


def project_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_QI)
    initial = {
        "version": project.version,
        "title": project.title,
        "aim": project.aim,
        "status": project.status,
        "started_on": project.started_on,
        "lead": project.lead_id,
        "sponsor": project.sponsor_id,
        "team": [p.pk for p in project.team.all()],
    }
    form = ProjectEditForm(
        request.POST or None, initial=initial, people=organisation_people(**scope(request))
    )
    fields = ("title", "aim", "status", "started_on", "lead", "sponsor", "team")
    return form_page(
        request,
        form,
        template="improvement/project_form.jinja",
        save=lambda data: services.project_update(
            project=project, by=request.user, expected_version=data["version"], **{f: data[f] for f in fields}
        ),
        success_url=reverse("qi-project-detail", args=[pk]),
        message="Project saved.",
        context={"title": f"Edit {project.title}", "project": project},
    )


def driver_add(request: SignedInRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_QI)
    form = DriverForm(request.POST or None, primaries=selectors.primary_drivers(project=project))
    return form_page(
        request,
        form,
        template="improvement/small_form.jinja",
        save=lambda data: services.driver_add(
            project=project, by=request.user, text=data["text"], parent=data["parent"]
        ),
        success_url=reverse("qi-project-detail", args=[pk]) + "#drivers",
        message="Driver added.",
        context={"title": "Add a driver", "project": project, "button": "Add the driver"},
    )


def change_idea_add(request: SignedInRequest, pk: int) -> HttpResponse:
    driver = selectors.driver_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_QI)
    form = ChangeIdeaForm(request.POST or None)
    return form_page(
        request,
        form,
        template="improvement/small_form.jinja",
        save=lambda data: services.change_idea_add(driver=driver, by=request.user, text=data["text"]),
        success_url=reverse("qi-project-detail", args=[driver.project_id]) + "#drivers",
        message="Change idea added.",
        context={
            "title": f"Add a change idea under “{driver.text}”",
            "project": driver.project,
            "button": "Add the change idea",
        },
    )


def measure_link(request: SignedInRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_QI)
    form = MeasureLinkForm(request.POST or None, measures=measures_for_user(**scope(request)))
    return form_page(
        request,
        form,
        template="improvement/small_form.jinja",
        save=lambda data: services.project_measure_link(
            project=project, by=request.user, measure=data["measure"], role=data["role"]
        ),
        success_url=reverse("qi-project-detail", args=[pk]) + "#measures",
        message="Measure linked.",
        context={"title": "Watch a measure", "project": project, "button": "Link the measure"},
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


def project_history(request: SignedInRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(pk=pk, **scope(request))
    return history_page(
        request,
        project,
        title=f"History of {project.title}",
        back_url=reverse("qi-project-detail", args=[pk]),
    )
