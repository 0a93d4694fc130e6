"""Plan pages: each view checks the role, calls a selector or a service, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from wellled.core.formatting import counted
from wellled.core.permissions import Permission, require
from wellled.core.selectors import delivery_statuses, organisation_people
from wellled.core.service_kit import ConcurrentEditError
from wellled.core.view_kit import form_page, history_page, role, scope
from wellled.frameworks.selectors import frameworks_available

from . import selectors, services
from .choices import ImportState
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
from .panels import action_panels
from .position import default_position
from .spreadsheet import export, importer
from .spreadsheet.read import max_upload_bytes, size_text

# What the action forms edit, passed to action_create and action_update under the same names.
ACTION_FORM_FIELDS = (
    "reference",
    "title",
    "section",
    "lead",
    "other_leads",
    "lead_note",
    "success_measure",
    "findings",
)
CONCURRENT_UPDATE_MESSAGE = (
    "Someone else changed {reference} while you were writing. Your update has not been saved and nothing was "
    "overwritten: read the latest position below, then submit again."
)


# Dashboard and my actions -------------------------------------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    if request.organisation.is_oversight_body:  # type: ignore[attr-defined]
        # An oversight body keeps no plans: its home is the portfolio of trusts it follows (docs/oversight.md).
        return redirect("oversight-portfolio")
    board = selectors.dashboard(**scope(request))
    return render(request, "plans/dashboard.jinja", {"board": board})


def my_actions(request: HttpRequest) -> HttpResponse:
    actions = selectors.my_actions(**scope(request))
    return render(request, "plans/my_actions.jinja", {"actions": actions})


# Plans --------------------------------------------------------------------------------------------------------


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.plans_for_user(**scope(request)))
    return render(request, "plans/plan_list.jinja", {"plans": plans})


def plan_create(request: HttpRequest) -> HttpResponse:
    require(role(request), Permission.MANAGE_PLANS)
    frameworks = frameworks_available(organisation=request.organisation)
    form = PlanCreateForm(request.POST or None, frameworks=frameworks)
    return form_page(
        request,
        form,
        template="plans/plan_form.jinja",
        context={"title": "New plan"},
        save=lambda data: services.plan_create(
            organisation=request.organisation,
            by=request.user,
            name=data["name"],
            kind=data["kind"],
            organised_by=data["organised_by"],
            framework=data["framework"],
            description=data["description"],
        ),
        message=lambda plan: f"Plan “{plan.name}” created.",
        success_url=lambda plan: reverse("plan-detail", args=[plan.pk]),
    )


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    initial = {
        "name": plan.name,
        "kind": plan.kind,
        "description": plan.description,
        "part_b_actions_in_part_a": plan.part_b_actions_in_part_a,
        "version": plan.version,
    }
    form = PlanForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        template="plans/plan_form.jinja",
        context={"title": f"Edit {plan.name}", "plan": plan},
        save=lambda data: services.plan_update(
            plan=plan,
            by=request.user,
            expected_version=data["version"],
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            part_b_actions_in_part_a=data["part_b_actions_in_part_a"],
        ),
        message="Plan saved.",
        success_url=reverse("plan-detail", args=[plan.pk]),
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
        (f, [by_pk[a.pk] for a in f.actions.all() if a.pk in by_pk])
        for f in selectors.plan_findings(plan=plan, **scope(request))
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
        "cycle": selectors.open_cycle(plan=plan),
        "filtered": any(v for v in vars(filters).values()),
    }
    template = (
        "plans/_plan_tables.jinja"
        if request.htmx and request.htmx.target == "plan-tables"
        else "plans/plan_detail.jinja"
    )
    return render(request, template, context)


def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(pk=pk, **scope(request))
    return history_page(
        request, plan, title=f"History of {plan.name}", back_url=reverse("plan-detail", args=[pk])
    )


# Sections -----------------------------------------------------------------------------------------------------


def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    form = SectionForm(request.POST or None, people=organisation_people(**scope(request)))
    return form_page(
        request,
        form,
        template="plans/section_form.jinja",
        context={"plan": plan, "title": "Add a section"},
        save=lambda data: services.section_create(
            plan=plan,
            by=request.user,
            code=data["code"],
            title=data["title"],
            executive_lead=data["executive_lead"],
            purpose=data["purpose"],
        ),
        message=lambda section: f"Section {section.code} added.",
        success_url=reverse("plan-detail", args=[plan.pk]),
    )


def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    initial = {
        "code": section.code,
        "title": section.title,
        "executive_lead": section.executive_lead_id,
        "purpose": section.purpose,
        "version": section.version,
    }
    form = SectionForm(request.POST or None, initial=initial, people=organisation_people(**scope(request)))
    return form_page(
        request,
        form,
        template="plans/section_form.jinja",
        context={"plan": section.plan, "section": section, "title": f"Edit section {section.code}"},
        save=lambda data: services.section_update(
            section=section,
            by=request.user,
            expected_version=data["version"],
            code=data["code"],
            title=data["title"],
            executive_lead=data["executive_lead"],
            purpose=data["purpose"],
        ),
        message="Section saved.",
        success_url=reverse("plan-detail", args=[section.plan_id]),
    )


def section_history(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_get(pk=pk, **scope(request))
    return history_page(
        request,
        section,
        title=f"History of section {section.code}",
        back_url=reverse("plan-detail", args=[section.plan_id]),
    )


# Actions ------------------------------------------------------------------------------------------------------


def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    people = organisation_people(**scope(request))
    form = ActionCreateForm(
        request.POST or None, plan=plan, people=people, initial={"section": request.GET.get("section")}
    )
    return form_page(
        request,
        form,
        template="plans/action_form.jinja",
        context={"plan": plan, "title": "Add an action"},
        save=lambda data: services.action_create(
            plan=plan,
            by=request.user,
            due_date=data["due_date"],
            due_precision=data["due_precision"],
            **{name: data[name] for name in ACTION_FORM_FIELDS},
        ),
        message=lambda action: f"Action {action.reference} added.",
        success_url=lambda action: reverse("action-detail", args=[action.pk]),
    )


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
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


def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    initial = {
        "reference": action.reference,
        "title": action.title,
        "section": action.section_id,
        "lead": action.lead_id,
        "other_leads": [p.pk for p in action.other_leads.all()],
        "lead_note": action.lead_note,
        "success_measure": action.success_measure,
        "findings": [f.pk for f in action.findings.all()],
        "version": action.version,
    }
    form = ActionForm(
        request.POST or None, initial=initial, plan=action.plan, people=organisation_people(**scope(request))
    )
    return form_page(
        request,
        form,
        template="plans/action_form.jinja",
        context={"plan": action.plan, "action": action, "title": f"Edit action {action.reference}"},
        save=lambda data: services.action_update(
            action=action,
            by=request.user,
            expected_version=data["version"],
            **{name: data[name] for name in ACTION_FORM_FIELDS},
        ),
        message=lambda saved: f"Action {saved.reference} saved.",
        success_url=reverse("action-detail", args=[action.pk]),
    )


def progress_update_record_page(request: HttpRequest, pk: int) -> HttpResponse:
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
    form = ProgressUpdateForm(
        request.POST or None,
        initial=initial,
        organisation=request.organisation,
        cycle_position=cycle_position,
    )

    def latest_position(_form: object, exc: ConcurrentEditError) -> ProgressUpdateForm:
        """Keep what the person wrote, show the latest position, and let them submit again knowingly."""
        nonlocal action
        action = selectors.action_get(pk=pk, **scope(request))
        resubmit = request.POST.copy()
        resubmit["version"] = action.version
        form = ProgressUpdateForm(resubmit, organisation=request.organisation, cycle_position=cycle_position)
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
            "statuses": delivery_statuses(organisation=request.organisation),
        }

    return form_page(
        request,
        form,
        template="plans/update_form.jinja",
        context=page,
        save=lambda data: services.progress_update_record(
            action=action,
            by=request.user,
            narrative=data["narrative"],
            status=data["status"],
            update_date=data["update_date"],
            expected_version=data["version"],
            supersedes=supersedes,
        ),
        on_stale=latest_position,
        message=f"Progress update recorded on {action.reference}.",
        success_url=reverse("action-detail", args=[action.pk]),
    )


def action_timescale(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    form = TimescaleForm(
        request.POST or None, initial={"version": action.version, "precision": action.due_precision}
    )
    row = selectors.action_row_of(action=action, **scope(request))
    return form_page(
        request,
        form,
        template="plans/timescale_form.jinja",
        context={"action": action, "row": row, "plan": action.plan},
        save=lambda data: services.action_timescale_revise(
            action=action,
            by=request.user,
            expected_version=data["version"],
            due_date=data["due_date"],
            precision=data["precision"],
            reason=data["reason"],
        ),
        message=f"Timescale of {action.reference} revised.",
        success_url=reverse("action-detail", args=[action.pk]),
    )


def action_state(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    form = ActionStateForm(
        request.POST or None,
        initial={
            "version": action.version,
            "state": action.state,
            "assurance_evidence": action.assurance_evidence,
        },
    )
    state_names = dict(form.fields["state"].choices)
    return form_page(
        request,
        form,
        template="plans/state_form.jinja",
        context={"action": action, "plan": action.plan},
        save=lambda data: services.action_state_set(
            action=action,
            by=request.user,
            expected_version=data["version"],
            state=data["state"],
            assurance_evidence=data["assurance_evidence"],
        ),
        message=lambda saved: f"{saved.reference} is now {state_names[saved.state].lower()}.",
        success_url=reverse("action-detail", args=[action.pk]),
    )


def action_history(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(pk=pk, **scope(request))
    return history_page(
        request,
        action,
        title=f"History of action {action.reference}",
        back_url=reverse("action-detail", args=[pk]),
    )


def progress_update_history(request: HttpRequest, pk: int) -> HttpResponse:
    update = selectors.progress_update_get(pk=pk, **scope(request))
    return history_page(
        request,
        update,
        title=f"History of {update}",
        back_url=reverse("action-detail", args=[update.action_id]),
    )


# Findings -----------------------------------------------------------------------------------------------------


def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    form = FindingForm(request.POST or None)
    return form_page(
        request,
        form,
        template="plans/finding_form.jinja",
        context={"plan": plan, "title": "Add a finding"},
        save=lambda data: services.finding_create(
            plan=plan,
            by=request.user,
            number=data["number"],
            text=data["text"],
            **{k: data[k] for k in ("finding_type", "regulation", "source", "source_date")},
        ),
        message=lambda finding: f"Finding {finding.number} added.",
        success_url=lambda finding: reverse("finding-detail", args=[finding.pk]),
    )


def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(pk=pk, **scope(request))
    actions = selectors.finding_actions(finding=finding, **scope(request))
    return render(
        request, "plans/finding_detail.jinja", {"finding": finding, "plan": finding.plan, "actions": actions}
    )


def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    initial = {
        k: getattr(finding, k)
        for k in ("number", "text", "finding_type", "regulation", "source", "source_date", "version")
    }
    form = FindingForm(request.POST or None, initial=initial)

    def save(data: dict) -> object:
        fields = {k: data[k] for k in ("text", "finding_type", "regulation", "source", "source_date")}
        if data["number"]:
            fields["number"] = data["number"]
        return services.finding_update(
            finding=finding, by=request.user, expected_version=data["version"], **fields
        )

    return form_page(
        request,
        form,
        template="plans/finding_form.jinja",
        context={"plan": finding.plan, "finding": finding, "title": f"Edit finding {finding.number}"},
        save=save,
        message="Finding saved.",
        success_url=reverse("finding-detail", args=[finding.pk]),
    )


def finding_history(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(pk=pk, **scope(request))
    return history_page(
        request,
        finding,
        title=f"History of finding {finding.number}",
        back_url=reverse("finding-detail", args=[pk]),
    )


# Reporting cycles ---------------------------------------------------------------------------------------------


def cycle_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(pk=pk, **scope(request))
    cycles = list(selectors.plan_cycles(plan=plan, **scope(request)))
    return render(request, "plans/cycle_list.jinja", {"plan": plan, "cycles": cycles})


def cycle_open(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_CYCLES)
    form = CycleForm(request.POST or None)
    return form_page(
        request,
        form,
        template="plans/cycle_form.jinja",
        context={"plan": plan, "current": selectors.open_cycle(plan=plan)},
        save=lambda data: services.cycle_open(
            plan=plan,
            by=request.user,
            name=data["name"],
            position_as_at=data["position_as_at"],
            update_deadline=data["update_deadline"],
        ),
        message=lambda cycle: f"Reporting cycle “{cycle.name}” opened. Leads can now record their updates.",
        success_url=lambda cycle: reverse("cycle-detail", args=[cycle.pk]),
    )


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
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


@require_POST
def cycle_remind(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_CYCLES)
    awaiting = selectors.cycle_awaiting_by_lead(cycle=cycle, **scope(request))
    awaiting.pop(None, None)  # actions with no named lead have nobody to remind
    chosen = set(request.POST.getlist("lead"))
    if chosen:
        awaiting = {lead: acts for lead, acts in awaiting.items() if str(lead.pk) in chosen}
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
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_CYCLES)
    services.cycle_close(cycle=cycle, by=request.user)
    messages.success(request, f"Reporting cycle “{cycle.name}” closed.")
    return redirect("cycle-detail", pk=cycle.pk)


def cycle_history(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_get(pk=pk, **scope(request))
    return history_page(
        request, cycle, title=f"History of {cycle.name}", back_url=reverse("cycle-detail", args=[pk])
    )


# Spreadsheet import and export ------------------------------------------------------------------------------


def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a spreadsheet to update the plan: its problems by row and column, or on to the preview."""
    plan = selectors.plan_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    return _import_upload(request, plan=plan)


def plan_import_new(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet to make a new plan."""
    require(role(request), Permission.MANAGE_PLANS)
    return _import_upload(request, plan=None)


@require_GET
def plan_import_example(request: HttpRequest) -> HttpResponse:
    """An example action-plan workbook in the shape the import reads (fictional; nothing of the organisation's)."""
    from .spreadsheet.example import EXAMPLE_FILE_NAME, example_workbook

    response = HttpResponse(example_workbook(), content_type=export.FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{EXAMPLE_FILE_NAME}"'
    return response


def _import_upload(request: HttpRequest, *, plan) -> HttpResponse:
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


def plan_import_review(request: HttpRequest, pk: int) -> HttpResponse:
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
def plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan as an .xlsx or .csv file in the layout the import reads."""
    plan = selectors.plan_get(pk=pk, **scope(request))
    if fmt not in export.FORMATS:
        raise Http404("Not found.")
    file = export.plan_export(plan=plan, fmt=fmt, **scope(request))
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response
