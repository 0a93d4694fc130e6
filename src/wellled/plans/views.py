"""Plan pages: each view checks the role, calls a selector or a service, and renders."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from wellled.core.formatting import counted
from wellled.core.permissions import Permission, require
from wellled.core.selectors import delivery_statuses, organisation_people, people_who_can_act
from wellled.core.service_kit import ConcurrentEditError
from wellled.core.view_kit import (
    CreatePage,
    EditPage,
    HistoryPage,
    SignedInRequest,
    chosen,
    form_fields,
    form_page,
    page_of,
    role,
    scope,
)
from wellled.frameworks.selectors import frameworks_available

from . import selectors, services
from .choices import ActionState, ImportState
from .forms import (
    ActionCreateForm,
    ActionFilterForm,
    ActionForm,
    ActionStateForm,
    CycleForm,
    FindingForm,
    PlanCreateForm,
    PlanForm,
    PlanImportForm,
    PlanImportNewForm,
    ProgressUpdateForm,
    SectionForm,
    TimescaleForm,
)
from .models import Action, Finding, Plan, ProgressUpdate, ReportingCycle, Section
from .panels import action_panels
from .position import default_position
from .spreadsheet import export, importer
from .spreadsheet.read import max_upload_bytes, size_text

CONCURRENT_UPDATE_MESSAGE = (
    "Someone else changed {reference} while you were writing. Your update has not been saved and nothing was "
    "overwritten: read the latest position below, then submit again."
)


# Dashboard and my actions -------------------------------------------------------------------------------------


def dashboard(request: SignedInRequest) -> HttpResponse:
    if request.organisation.is_oversight_body:
        # An oversight body keeps no plans: its home is the portfolio of trusts it follows (docs/oversight.md).
        return redirect("oversight-portfolio")
    board = selectors.dashboard(**scope(request))
    return render(request, "plans/dashboard.jinja", {"board": board})


def my_actions(request: SignedInRequest) -> HttpResponse:
    actions = selectors.my_actions(**scope(request))
    return render(request, "plans/my_actions.jinja", {"actions": actions})


# Plans --------------------------------------------------------------------------------------------------------


def plan_list(request: SignedInRequest) -> HttpResponse:
    plans = list(selectors.plans_for_user(**scope(request)))
    return render(request, "plans/plan_list.jinja", {"plans": plans})


def _managed(template: str, success_url: Callable[[Any], str]) -> dict[str, Any]:
    """What a declared page of a plan's parts says besides its form and service: only those who manage plans use
    it, on its form page, and saving leads to the record's page."""
    return {"permission": Permission.MANAGE_PLANS, "template": template, "success_url": success_url}


plan_create = CreatePage(
    form=PlanCreateForm,
    service=services.plan_create,
    fields=("name", "kind", "organised_by", "framework", "description"),
    title="New plan",
    form_kwargs=lambda request, organisation: {"frameworks": frameworks_available(organisation=organisation)},
    message=lambda plan: f"Plan “{plan.name}” created.",
    **_managed("plans/plan_form.jinja", page_of("plan-detail")),
)

plan_edit = EditPage[Plan](
    get=selectors.plan_get,
    form=PlanForm,
    service=services.plan_update,
    title=lambda plan: f"Edit {plan.name}",
    message="Plan saved.",
    **_managed("plans/plan_form.jinja", page_of("plan-detail")),
)


def plan_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(pk=pk, **scope(request))
    filters = selectors.ActionFilters(**ActionFilterForm(request.GET).values())
    actions = selectors.plan_actions(
        plan=plan, filters=filters, history=False, measures=True, **scope(request)
    )
    sections = list(plan.sections.select_related("executive_lead").order_by("order"))
    grouped = [(s, [a for a in actions if a.action.section_id == s.pk]) for s in sections]
    unsectioned = [a for a in actions if a.action.section_id is None]
    by_pk = {a.pk: a for a in actions}
    findings = [
        (f, [by_pk[pk] for pk in f.answered_by if pk in by_pk])
        for f in selectors.plan_findings(plan=plan, as_keys=True, **scope(request))
    ]
    context = {
        "plan": plan,
        "filters": filters,
        "grouped": grouped,
        "unsectioned": unsectioned,
        "actions": actions,
        "findings": findings,
        "statuses": delivery_statuses(organisation=request.organisation),
        "people": list(selectors.plan_leads(plan=plan, **scope(request))),
        "sections": sections,
        # Each row knows its plan's open cycle (read with the rows); asked for only when no row is shown.
        "cycle": actions[0].cycle if actions else selectors.open_cycle(plan=plan),
        "filtered": any(v for v in vars(filters).values()),
    }
    template = (
        "plans/_plan_tables.jinja"
        if request.htmx and request.htmx.target == "plan-tables"
        else "plans/plan_detail.jinja"
    )
    return render(request, template, context)


plan_history = HistoryPage[Plan](
    get=selectors.plan_get,
    back_url=page_of("plan-detail"),
)


# Sections -----------------------------------------------------------------------------------------------------


def _leads(request: SignedInRequest, keep: list[int | None]):
    """Who may lead (core.selectors.people_who_can_act), and whoever the record already names."""
    return people_who_can_act(**scope(request), permissions=[Permission.UPDATE_OWN_ACTION], keep=keep)


def _people(request: SignedInRequest, instance: object) -> dict[str, object]:
    keep = [instance.executive_lead_id] if isinstance(instance, Section) else []
    return {"people": _leads(request, keep)}


section_create = CreatePage(
    parent=selectors.plan_get,
    form=SectionForm,
    service=services.section_create,
    title="Add a section",
    form_kwargs=_people,
    message=lambda section: f"Section {section.code} added.",
    **_managed("plans/section_form.jinja", page_of("plan-detail", "plan_id")),
)

section_edit = EditPage[Section](
    get=selectors.section_get,
    form=SectionForm,
    service=services.section_update,
    title=lambda section: f"Edit section {section.code}",
    form_kwargs=_people,
    context=lambda request, section: {"plan": section.plan},
    message="Section saved.",
    **_managed("plans/section_form.jinja", page_of("plan-detail", "plan_id")),
)

section_history = HistoryPage[Section](
    get=selectors.section_get,
    title=lambda section: f"History of section {section.code}",
    back_url=page_of("plan-detail", "plan_id"),
)


# Actions ------------------------------------------------------------------------------------------------------


def _action_choices(request: SignedInRequest, plan_or_action: Plan | Action) -> dict[str, object]:
    if isinstance(plan_or_action, Action):
        action = plan_or_action
        keep = [action.lead_id, *(p.pk for p in action.other_leads.all())]
        return {"plan": action.plan, "people": _leads(request, keep)}
    return {"plan": plan_or_action, "people": _leads(request, [])}


action_create = CreatePage(
    parent=selectors.plan_get,
    form=ActionCreateForm,
    service=services.action_create,
    title="Add an action",
    initial=lambda request: {"section": request.GET.get("section")},
    form_kwargs=_action_choices,
    message=lambda action: f"Action {action.reference} added.",
    **_managed("plans/action_form.jinja", page_of("action-detail")),
)


def action_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    row = selectors.action_row_get(pk=pk, measures=True, **scope(request))
    action = row.action
    timeline = selectors.action_timeline(action=action, **scope(request))
    return render(
        request,
        "plans/action_detail.jinja",
        {
            "action": action,
            "row": row,
            "plan": action.plan,
            "timeline": timeline,
            "may_update": services.user_may_update_action(user=request.user, action=action),
            "panels": action_panels(action=action, **scope(request)),
        },
    )


action_edit = EditPage[Action](
    get=selectors.action_get,
    form=ActionForm,
    service=services.action_update,
    title=lambda action: f"Edit action {action.reference}",
    form_kwargs=_action_choices,
    context=lambda request, action: {"plan": action.plan},
    message=lambda saved: f"Action {saved.reference} saved.",
    **_managed("plans/action_form.jinja", page_of("action-detail")),
)


def progress_update_record_page(request: SignedInRequest, pk: int) -> HttpResponse:
    """Record a progress update (or, with ?correct=ID, a correction that supersedes an earlier one)."""
    action = selectors.action_get(pk=pk, **scope(request))
    if not services.user_may_update_action(user=request.user, action=action):
        raise PermissionDenied("Only the action's lead or a governance editor can record progress on it.")
    supersedes = None
    correct_id = request.GET.get("correct") or request.POST.get("correct")
    if correct_id:
        supersedes = selectors.progress_update_get(pk=correct_id, **scope(request))
        if supersedes.action_id != action.pk:
            raise PermissionDenied("That update belongs to another action.")
    cycle = selectors.open_cycle(plan=action.plan)
    cycle_position = cycle.position_as_at if cycle else None
    position = default_position(cycle_position=cycle_position, today=timezone.localdate())
    initial = {"version": action.version, "update_date": position, "status": action.status_id}
    if supersedes is not None:
        initial.update(
            narrative=supersedes.narrative, status=supersedes.status_id, update_date=supersedes.update_date
        )
    statuses = delivery_statuses(organisation=request.organisation)  # the form's choices and the page's key
    form = ProgressUpdateForm(
        request.POST or None,
        initial=initial,
        organisation=request.organisation,
        cycle_position=cycle_position,
        statuses=statuses,
    )

    def latest_position(_form: object, exc: ConcurrentEditError) -> ProgressUpdateForm:
        """Keep what the person wrote, show the latest position, and let them submit again knowingly."""
        nonlocal action
        action = selectors.action_get(pk=pk, **scope(request))
        resubmit = request.POST.copy()
        resubmit["version"] = str(action.version)
        form = ProgressUpdateForm(
            resubmit, organisation=request.organisation, cycle_position=cycle_position, statuses=statuses
        )
        form.is_valid()
        form.add_error(None, CONCURRENT_UPDATE_MESSAGE.format(reference=action.reference))
        return form

    def page() -> dict:
        return {
            "action": action,
            "row": selectors.action_row_of(action=action, **scope(request)),
            "plan": action.plan,
            "supersedes": supersedes,
            "cycle": cycle,
            "statuses": statuses,
        }

    return form_page(
        request,
        form,
        template="plans/update_form.jinja",
        context=page,
        save=lambda data: services.progress_update_record(
            action=action,
            by=request.user,
            expected_version=data["version"],
            supersedes=supersedes,
            **chosen(("narrative", "status", "update_date"), data),
        ),
        on_stale=latest_position,
        message=f"Progress update recorded on {action.reference}.",
        success_url=reverse("action-detail", args=[action.pk]),
    )


action_timescale = EditPage[Action](
    get=selectors.action_get,
    form=TimescaleForm,
    service=services.action_timescale_revise,
    initial=lambda action: {"precision": action.due_precision, "due_date": None},  # a new date is typed
    context=lambda request, action: {
        "action": action,
        "row": selectors.action_row_of(action=action, **scope(request)),
        "plan": action.plan,
    },
    message=lambda revision: f"Timescale of {revision.action.reference} revised.",
    **_managed("plans/timescale_form.jinja", page_of("action-detail")),
)

action_state = EditPage[Action](
    get=selectors.action_get,
    form=ActionStateForm,
    service=services.action_state_set,
    context=lambda request, action: {"plan": action.plan},
    message=lambda saved: f"{saved.reference} is now {ActionState(saved.state).label.lower()}.",
    **_managed("plans/state_form.jinja", page_of("action-detail")),
)

action_history = HistoryPage[Action](
    get=selectors.action_get,
    title=lambda action: f"History of action {action.reference}",
    back_url=page_of("action-detail"),
)

progress_update_history = HistoryPage[ProgressUpdate](
    get=selectors.progress_update_get,
    back_url=page_of("action-detail", "action_id"),
)


# Findings -----------------------------------------------------------------------------------------------------


finding_create = CreatePage(
    parent=selectors.plan_get,
    form=FindingForm,
    service=services.finding_create,
    title="Add a finding",
    message=lambda finding: f"Finding {finding.number} added.",
    **_managed("plans/finding_form.jinja", page_of("finding-detail")),
)


def finding_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(pk=pk, **scope(request))
    actions = selectors.finding_actions(finding=finding, **scope(request))
    return render(
        request, "plans/finding_detail.jinja", {"finding": finding, "plan": finding.plan, "actions": actions}
    )


def _finding_changes(finding: Finding, data: Mapping[str, Any]) -> dict[str, Any]:
    """The finding's fields as typed; a number left blank keeps the one it has."""
    fields = chosen(form_fields(FindingForm), data)
    if not fields.get("number"):
        fields.pop("number", None)
    return fields


finding_edit = EditPage[Finding](
    get=selectors.finding_get,
    form=FindingForm,
    service=services.finding_update,
    changes=_finding_changes,
    title=lambda finding: f"Edit finding {finding.number}",
    context=lambda request, finding: {"plan": finding.plan},
    message="Finding saved.",
    **_managed("plans/finding_form.jinja", page_of("finding-detail")),
)

finding_history = HistoryPage[Finding](
    get=selectors.finding_get,
    title=lambda finding: f"History of finding {finding.number}",
    back_url=page_of("finding-detail"),
)


# Reporting cycles ---------------------------------------------------------------------------------------------


def cycle_list(request: SignedInRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(pk=pk, **scope(request))
    cycles = list(selectors.plan_cycles(plan=plan, **scope(request)))
    return render(request, "plans/cycle_list.jinja", {"plan": plan, "cycles": cycles})


cycle_open = CreatePage(
    parent=selectors.plan_get,
    form=CycleForm,
    service=services.cycle_open,
    permission=Permission.MANAGE_CYCLES,
    template="plans/cycle_form.jinja",
    context=lambda request, plan: {"current": selectors.open_cycle(plan=plan)},
    message=lambda cycle: f"Reporting cycle “{cycle.name}” opened. Leads can now record their updates.",
    success_url=page_of("cycle-detail"),
)


def cycle_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(pk=pk, **scope(request))
    awaiting = selectors.cycle_awaiting_by_lead(cycle=cycle, **scope(request))
    updated = selectors.cycle_updates(cycle=cycle, **scope(request))
    return render(
        request,
        "plans/cycle_detail.jinja",
        {
            "cycle": cycle,
            "plan": cycle.plan,
            "awaiting": awaiting,
            "updated": updated,
            "reminders": selectors.cycle_reminders(cycle=cycle, **scope(request)),
            "last_reminded": services.last_reminded(cycle=cycle),
        },
    )


REMIND_NONE_TICKED = "No one was reminded: tick the leads to remind, or choose “Remind everyone awaited”."


@require_POST
def cycle_remind(request: SignedInRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_CYCLES)
    # Actions with no named lead have nobody to remind.
    awaiting = {
        lead: acts
        for lead, acts in selectors.cycle_awaiting_by_lead(cycle=cycle, **scope(request)).items()
        if lead is not None
    }
    # Nothing is ticked for the sender: "Remind everyone awaited" is its own button; the other reminds exactly the
    # people ticked, and no one when none is.
    if request.POST.get("send") != "all":
        picked = set(request.POST.getlist("lead"))
        if not picked:
            messages.error(request, REMIND_NONE_TICKED)
            return redirect("cycle-detail", pk=cycle.pk)
        awaiting = {lead: acts for lead, acts in awaiting.items() if str(lead.pk) in picked}
    try:
        sent = services.cycle_send_reminders(
            cycle=cycle, by=request.user, awaiting=awaiting, repeat=request.POST.get("repeat") == "yes"
        )
    except services.RemindedRecently as exc:
        # Ask first: a lead reminded less than a day ago is not chased again by a double click.
        return render(
            request,
            "plans/cycle_remind_again.jinja",
            {
                "cycle": cycle,
                "plan": cycle.plan,
                "recent": exc.last,
                "leads": [lead.pk for lead in awaiting if lead],
            },
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cycle-detail", pk=cycle.pk)
    no_email = [lead for lead in awaiting if not lead.email]
    text = f"{sent} reminder{'s' if sent != 1 else ''} sent."
    if no_email:
        text += " Not sent to " + ", ".join(str(p) for p in no_email) + " (no e-mail address)."
    messages.success(request, text)
    return redirect("cycle-detail", pk=cycle.pk)


@require_POST
def cycle_close(request: SignedInRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_CYCLES)
    services.cycle_close(cycle=cycle, by=request.user)
    messages.success(request, f"Reporting cycle “{cycle.name}” closed.")
    return redirect("cycle-detail", pk=cycle.pk)


cycle_history = HistoryPage[ReportingCycle](
    get=selectors.cycle_get,
    back_url=page_of("cycle-detail"),
)


# Spreadsheet import and export ------------------------------------------------------------------------------


def plan_import(request: SignedInRequest, pk: int) -> HttpResponse:
    """Upload a spreadsheet to update the plan: its problems by row and column, or on to the preview."""
    plan = selectors.plan_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    return _import_upload(request, plan=plan)


def plan_import_new(request: SignedInRequest) -> HttpResponse:
    """Upload a spreadsheet to make a new plan."""
    require(role(request), Permission.MANAGE_PLANS)
    return _import_upload(request, plan=None)


@require_GET
def plan_import_example(request: SignedInRequest) -> HttpResponse:
    """An example action-plan workbook in the shape the import reads (fictional; nothing of the organisation's)."""
    from .spreadsheet.example import EXAMPLE_FILE_NAME, example_workbook

    response = HttpResponse(example_workbook(), content_type=export.FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{EXAMPLE_FILE_NAME}"'
    return response


def _import_upload(request: SignedInRequest, *, plan) -> HttpResponse:
    form = (PlanImportForm if plan else PlanImportNewForm)(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        name = data.get("name", "")
        preview = importer.plan_import_preview(
            organisation=request.organisation,
            plan_or_none=plan,
            file=data["file"],
            by=request.user,
            plan_name=name,
            as_at=data.get("position_as_at"),
        )
        if not preview.readable:
            form.add_error("file", preview.errors[0].message)
            preview = None
        elif preview.ok:
            pending = importer.plan_import_store(
                organisation=request.organisation,
                plan=plan,
                file=data["file"],
                by=request.user,
                plan_name=name,
                plan_kind=data.get("kind", ""),
                position_as_at=data.get("position_as_at"),
            )
            return redirect("plan-import-review", pk=pending.pk)
    return render(
        request,
        "plans/import_upload.jinja",
        {
            "form": form,
            "plan": plan,
            "preview": preview,
            "max_size": size_text(max_upload_bytes()),
            "title": f"Import into {plan.name}" if plan else "Import a new plan from a spreadsheet",
        },
    )


def plan_import_review(request: SignedInRequest, pk: int) -> HttpResponse:
    """The preview of an uploaded spreadsheet with its Import button; after the import, what it did."""
    pending = selectors.plan_import_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    if request.method == "POST":
        choices = {
            name.removeprefix(importer.LEAD_CHOICE_FIELD): str(value)
            for name, value in request.POST.items()
            if name.startswith(importer.LEAD_CHOICE_FIELD)
        }
        try:
            result = importer.plan_import_apply_pending(
                pending=pending,
                by=request.user,
                expected_fingerprint=request.POST.get("fingerprint", ""),
                lead_choices=choices,
                legend_wording=request.POST.get("legend_wording") == "yes",
            )
        except (importer.ImportOutOfDate, importer.ImportRefused) as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages) + " Nothing has been imported.")
        except PermissionDenied:
            messages.error(request, "Only an administrator can take the workbook's wording for the scale.")
        else:
            messages.success(
                request,
                f"{pending.file_name} imported into {result.plan.name}: "
                f"{counted(len(result.created), 'action')} added, {len(result.updated)} changed.",
            )
        return redirect("plan-import-review", pk=pending.pk)
    context: dict[str, object] = {"pending": pending, "plan": pending.plan}
    if pending.state == ImportState.PENDING and importer.pending_is_live(pending):
        preview = importer.plan_import_preview_pending(pending=pending, by=request.user)
        context.update(
            preview=preview,
            fingerprint=preview.fingerprint,
            people=organisation_people(**scope(request)) if preview.lead_matches else [],
        )
    return render(request, "plans/import_review.jinja", context)


@require_GET
def plan_export(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan as an .xlsx or .csv file in the layout the import reads."""
    plan = selectors.plan_get(pk=pk, **scope(request))
    if fmt not in export.FORMATS:
        raise Http404("Not found.")
    file = export.plan_export(plan=plan, fmt=fmt, **scope(request))
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response
