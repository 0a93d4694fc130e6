"""Pages of the risk registers and the BAF: thin views over the selectors and services (core.view_kit)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission, require
from wellled.core.selectors import get_or_404, organisation_people
from wellled.core.view_kit import errors_apply, form_page, history_page, role, scope
from wellled.measures.selectors import measures_for_user
from wellled.reports.models import JobState
from wellled.reports.selectors import TamperedError, verified_content
from wellled.reports.snapshot import snapshot_from_data

from . import baf_issue, selectors, services
from .baf_paper import BafPaper, baf_paper_build
from .baf_render import FORMATS
from .choices import RiskStatus
from .convention import convention
from .forms import (
    AssuranceForm,
    BafEntryForm,
    BafIssueForm,
    CategoryForm,
    ControlForm,
    ImportForm,
    LinksForm,
    ObjectiveForm,
    ReviewForm,
    RiskCreateForm,
    RiskForm,
    StatusForm,
    ThresholdForm,
)

# Risks on one page of the register: a directorate's register fits on one page, a whole trust's takes a few.
REGISTER_PAGE_SIZE = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    """The person acting (signed in: LoginRequiredMiddleware sees to it)."""
    return scope(request)["user"]


def _organisation(request: HttpRequest) -> Organisation:
    """The organisation they act in (a member of it: CurrentOrganisationMiddleware sees to it)."""
    return scope(request)["organisation"]


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> selectors.RegisterFilters:
    get = request.GET
    status = get.get("status", "live")
    return selectors.RegisterFilters(
        unit=_int(get.get("unit")),
        category=_int(get.get("category")),
        status=status if status in ("live", "all", *RiskStatus.values) else "live",
        band=get.get("band", "") if get.get("band") in {b.key for b in convention().bands} else "",
        escalated=get.get("escalated") == "1",
        overdue=get.get("overdue") == "1",
        owner=_int(get.get("owner")),
        likelihood=_int(get.get("likelihood")),
        consequence=_int(get.get("consequence")),
        text=get.get("q", "").strip()[:100],
    )


def _choices(request: HttpRequest) -> dict:
    return {
        "units": selectors.risk_units(**scope(request)),
        "categories": selectors.categories(**scope(request)),
        "people": organisation_people(**scope(request)),
    }


def _filter_choices(request: HttpRequest) -> dict:
    """The filters' choices, read before the template renders (templates never query)."""
    return {name: list(options) for name, options in _choices(request).items()}


# Register, heat map, overdue reviews ------------------------------------------------------------------------


@require_GET
def risk_register(request: HttpRequest) -> HttpResponse:
    """The register with its filters; a heat-map cell links here with its likelihood and consequence."""
    filters = _filters(request)
    today = timezone.localdate()
    paginator = Paginator(
        selectors.risk_register(filters=filters, on=today, **scope(request)), REGISTER_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "risks/register.jinja",
        {
            "risks": list(page),
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "today": today,
            "convention": convention(),
            "threshold": services.escalation_threshold(_organisation(request)),
            **_filter_choices(request),
            "page_title": "Risk register",
        },
    )


@require_GET
def risk_heat_map(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    heat = selectors.heat_map(filters=filters, on=timezone.localdate(), **scope(request))
    return render(
        request,
        "risks/heat_map.jinja",
        {
            "heat": heat,
            "filters": filters,
            "convention": convention(),
            **_filter_choices(request),
            "threshold": services.escalation_threshold(_organisation(request)),
            "page_title": "Risk heat map",
        },
    )


@require_GET
def risk_overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "risks/overdue.jinja",
        {
            "risks": list(selectors.reviews_overdue(on=today, **scope(request))),
            "reminders": list(selectors.review_reminders(**scope(request))[:5]),
            "today": today,
            "page_title": "Overdue risk reviews",
        },
    )


# One risk ---------------------------------------------------------------------------------------------------------


@require_GET
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.risk_page(pk=pk, **scope(request))
    return render(
        request,
        "risks/risk_detail.jinja",
        {
            "page": page,
            "risk": page.risk,
            "convention": convention(),
            "today": timezone.localdate(),
            "may_review": services.user_may_review(user=_user(request), risk=page.risk),
            "page_title": f"{page.risk.reference}: {page.risk.title}",
        },
    )


def risk_create(request: HttpRequest) -> HttpResponse:
    require(role(request), Permission.MANAGE_RISKS)
    form = RiskCreateForm(
        request.POST or None, initial={"opened_on": timezone.localdate()}, **_choices(request)
    )

    def save(data):
        return services.risk_create(
            organisation=_organisation(request),
            by=_user(request),
            reference=data["reference"],
            title=data["title"],
            cause=data["cause"],
            event=data["event"],
            effect=data["effect"],
            unit=data["unit"],
            category=data["category"],
            owner=data["owner"],
            handler=data["handler"],
            opened_on=data["opened_on"],
            inherent=(data["inherent_likelihood"], data["inherent_consequence"]),
            current=(data["current_likelihood"], data["current_consequence"]),
            target=(data["target_likelihood"], data["target_consequence"]),
            gaps_in_control=data["gaps_in_control"],
            gaps_in_assurance=data["gaps_in_assurance"],
            review_frequency_days=data["review_frequency_days"],
            next_review_on=data["next_review_on"],
            controls=[line.strip() for line in data["controls"].splitlines() if line.strip()],
        )

    return form_page(
        request,
        form,
        template="risks/risk_form.jinja",
        save=save,
        success_url=lambda risk: reverse("risk-detail", args=[risk.pk]),
        message=lambda risk: f"Risk {risk.reference} added to the register.",
        context={"title": "Add a risk", "page_title": "Add a risk"},
    )


def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_RISKS)
    initial = {name: getattr(risk, name) for name in services.RISK_EDITABLE}
    initial.update(
        version=risk.version,
        unit=risk.unit_id,
        category=risk.category_id,
        owner=risk.owner_id,
        handler=risk.handler_id,
    )
    form = RiskForm(request.POST or None, initial=initial, **_choices(request))

    def save(data):
        changes = {name: data[name] for name in services.RISK_EDITABLE if name in data}
        if changes.get("next_review_on") is None:
            changes.pop("next_review_on")
        return services.risk_update(risk=risk, by=_user(request), expected_version=data["version"], **changes)

    return form_page(
        request,
        form,
        template="risks/risk_form.jinja",
        save=save,
        success_url=reverse("risk-detail", args=[risk.pk]),
        message="Risk saved.",
        context={"risk": risk, "title": f"Edit {risk.reference}", "page_title": f"Edit {risk.reference}"},
    )


def risk_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's (or handler's) review: the date, what it found, and the current score again."""
    risk = selectors.risk_get(pk=pk, **scope(request))
    if not services.user_may_review(user=_user(request), risk=risk):
        raise PermissionDenied(services.NOT_YOURS)
    form = ReviewForm(
        request.POST or None,
        initial={
            "reviewed_on": timezone.localdate(),
            "likelihood": risk.current_likelihood,
            "consequence": risk.current_consequence,
            "version": risk.version,
        },
    )

    def save(data):
        return services.risk_review_record(
            risk=risk,
            by=_user(request),
            expected_version=data["version"],
            reviewed_on=data["reviewed_on"],
            narrative=data["narrative"],
            likelihood=data["likelihood"],
            consequence=data["consequence"],
            next_review_on=data["next_review_on"],
        )

    def said(review) -> str:
        moved = "unchanged" if not review.movement else ("up" if review.movement > 0 else "down")
        return f"Review recorded: the risk score is {review.score} ({moved} from {review.score_before})."

    return form_page(
        request,
        form,
        template="risks/review_form.jinja",
        save=save,
        success_url=reverse("risk-detail", args=[risk.pk]),
        message=said,
        context={"risk": risk, "convention": convention(), "page_title": f"Review {risk.reference}"},
    )


def risk_status(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_RISKS)
    form = StatusForm(
        request.POST or None,
        initial={"status": risk.status, "reason": risk.status_reason, "version": risk.version},
    )
    return form_page(
        request,
        form,
        template="risks/simple_form.jinja",
        save=lambda d: services.risk_status_set(
            risk=risk,
            by=_user(request),
            expected_version=d["version"],
            status=d["status"],
            reason=d["reason"],
        ),
        success_url=reverse("risk-detail", args=[risk.pk]),
        message="Status saved.",
        context={
            "risk": risk,
            "title": f"Status of {risk.reference}",
            "page_title": f"Status of {risk.reference}",
        },
    )


def risk_links(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_RISKS)
    actions = selectors.link_actions_available(**scope(request))
    findings = selectors.link_findings_available(**scope(request))
    form = LinksForm(
        request.POST or None,
        initial={
            "actions": list(risk.actions.values_list("pk", flat=True)),
            "measures": list(risk.measures.values_list("pk", flat=True)),
            "findings": list(risk.findings.values_list("pk", flat=True)),
            "parent": risk.parent_id,
            "version": risk.version,
        },
        actions=actions,
        measures=measures_for_user(**scope(request)),
        findings=findings,
        principal=selectors.principal_risks(**scope(request)).exclude(pk=risk.pk),
    )
    return form_page(
        request,
        form,
        template="risks/simple_form.jinja",
        save=lambda d: services.risk_links_set(
            risk=risk,
            by=_user(request),
            expected_version=d["version"],
            actions=d["actions"],
            measures=d["measures"],
            findings=d["findings"],
            parent=d["parent"],
        ),
        success_url=reverse("risk-detail", args=[risk.pk]),
        message="Links saved.",
        context={
            "risk": risk,
            "title": f"Links of {risk.reference}: actions, measures, findings, principal risk",
            "page_title": f"Links of {risk.reference}",
        },
    )


def risk_baf_entry(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_RISKS)
    form = BafEntryForm(
        request.POST or None,
        initial={
            "principal": risk.principal,
            "objective": risk.objective_id,
            "lead_committee": risk.lead_committee,
            "lead_executive": risk.lead_executive_id,
            "assurance_rating": risk.assurance_rating,
            "version": risk.version,
        },
        objectives=selectors.objectives(**scope(request)),
        people=organisation_people(**scope(request)),
    )

    def save(d):
        return services.risk_baf_set(
            risk=risk,
            by=_user(request),
            expected_version=d["version"],
            principal=d["principal"],
            objective=d["objective"],
            lead_committee=d["lead_committee"],
            lead_executive=d["lead_executive"],
            assurance_rating=d["assurance_rating"],
        )

    return form_page(
        request,
        form,
        template="risks/simple_form.jinja",
        save=save,
        success_url=reverse("risk-detail", args=[risk.pk]),
        message="Board assurance framework saved.",
        context={
            "risk": risk,
            "title": f"{risk.reference} on the board assurance framework",
            "page_title": f"BAF entry of {risk.reference}",
        },
    )


def risk_control_add(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_RISKS)
    form = ControlForm(request.POST or None)
    return form_page(
        request,
        form,
        template="risks/simple_form.jinja",
        save=lambda d: services.control_add(risk=risk, by=_user(request), description=d["description"]),
        success_url=reverse("risk-detail", args=[risk.pk]),
        message="Control added.",
        context={"risk": risk, "title": f"Add a control to {risk.reference}", "page_title": "Add a control"},
    )


def control_assurance_add(request: HttpRequest, pk: int) -> HttpResponse:
    control = selectors.control_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_RISKS)
    form = AssuranceForm(request.POST or None)
    return form_page(
        request,
        form,
        template="risks/simple_form.jinja",
        save=lambda d: services.assurance_add(
            control=control,
            by=_user(request),
            source=d["source"],
            line=d["line"],
            level=d["level"],
            reported_on=d["reported_on"],
        ),
        success_url=reverse("risk-detail", args=[control.risk_id]),
        message="Assurance added.",
        context={
            "risk": control.risk,
            "title": "Add a source of assurance",
            "lead": control.description,
            "page_title": "Add a source of assurance",
        },
    )


@require_GET
def risk_history(request: HttpRequest, pk: int) -> HttpResponse:
    risk = selectors.risk_get(pk=pk, **scope(request))
    return history_page(
        request, risk, title=f"History of {risk.reference}", back_url=reverse("risk-detail", args=[risk.pk])
    )


# The board assurance framework ---------------------------------------------------------------------------------


def _baf_papers(request: HttpRequest):
    return selectors.baf_papers(**scope(request))


@require_GET
def baf(request: HttpRequest) -> HttpResponse:
    """The BAF today: principal risks by objective, the register's heat map, movement since the last issued BAF."""
    paper = baf_paper_build(as_at=timezone.localdate(), **scope(request))
    return render(
        request,
        "risks/baf.jinja",
        {
            "paper": paper,
            "convention": convention(),
            "papers": list(_baf_papers(request)[:5]),
            "page_title": "Board assurance framework",
        },
    )


def baf_issue_page(request: HttpRequest) -> HttpResponse:
    require(role(request), baf_issue.ISSUE_PERMISSION)
    form = BafIssueForm(request.POST or None, initial={"as_at": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            job = baf_issue.baf_job_start(
                organisation=_organisation(request), as_at=form.cleaned_data["as_at"], by=_user(request)
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            return redirect("baf-job", pk=job.pk)
    return render(
        request,
        "risks/baf_issue.jinja",
        {"form": form, "page_title": "Issue the BAF"},
        status=400 if form.errors else 200,
    )


@require_GET
def baf_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_or_404(selectors.baf_jobs(**scope(request)), pk=pk)
    if job.state == JobState.DONE and job.paper_id:
        return redirect("baf-paper-detail", pk=job.paper_id)
    return render(
        request, "risks/baf_job.jinja", {"job": job, "JobState": JobState, "page_title": "Issuing the BAF"}
    )


@require_GET
def baf_papers(request: HttpRequest) -> HttpResponse:
    papers = list(_baf_papers(request).prefetch_related("files"))
    return render(request, "risks/baf_papers.jinja", {"papers": papers, "page_title": "Issued BAF papers"})


@require_GET
def baf_paper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issued = get_or_404(_baf_papers(request).defer(None).prefetch_related("files"), pk=pk)
    if not issued.data_intact:
        return render(
            request, "risks/baf_tampered.jinja", {"page_title": "This paper cannot be shown"}, status=409
        )
    paper = snapshot_from_data(BafPaper, issued.data)
    return render(
        request,
        "risks/baf_paper.jinja",
        {
            "issued": issued,
            "paper": paper,
            "files": list(issued.files.all()),
            "convention": convention(),
            "page_title": paper.title,
        },
    )


@require_GET
def baf_paper_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("No such format.")
    file = get_or_404(
        selectors.baf_paper_files(**scope(request)),
        paper_id=pk,
        format=fmt,
    )
    try:
        content = verified_content(file)
    except TamperedError:
        return render(
            request, "risks/baf_tampered.jinja", {"page_title": "This paper cannot be shown"}, status=409
        )
    response = HttpResponse(content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def risk_export(request: HttpRequest) -> HttpResponse:
    """The register as a spreadsheet in the layout the import reads."""
    from .spreadsheet import register_export

    content = register_export(
        risks=selectors.risk_register(
            filters=selectors.RegisterFilters(status="all"), on=timezone.localdate(), **scope(request)
        )
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = f"risk-register-{_organisation(request).ods_code}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Settings: threshold, categories with their appetite, strategic objectives -------------------------------------


def risk_settings(request: HttpRequest) -> HttpResponse:
    """The escalation threshold, the categories with the board's appetite, and the strategic objectives."""
    require(role(request), Permission.VIEW)
    threshold = services.escalation_threshold(_organisation(request))
    form = ThresholdForm(request.POST or None, initial={"escalation_threshold": threshold})
    if request.method == "POST":
        require(role(request), Permission.MANAGE_RISKS)
    return form_page(
        request,
        form,
        template="risks/settings.jinja",
        save=lambda d: services.threshold_set(
            organisation=_organisation(request),
            by=_user(request),
            escalation_threshold=d["escalation_threshold"],
        ),
        success_url=reverse("risk-settings"),
        message="Escalation threshold saved; every risk has been flagged again by it.",
        context={
            "threshold": threshold,
            "categories": list(selectors.categories(**scope(request))),
            "objectives": list(selectors.objectives(**scope(request))),
            "page_title": "Risk settings",
        },
    )


def _settings_form(request, form, *, save, title: str, message: str) -> HttpResponse:
    return form_page(
        request,
        form,
        template="risks/settings_form.jinja",
        save=save,
        success_url=reverse("risk-settings"),
        message=message,
        context={"title": title, "page_title": title},
    )


def category_create(request: HttpRequest) -> HttpResponse:
    require(role(request), Permission.MANAGE_RISKS)
    form = CategoryForm(request.POST or None, initial={"appetite": "cautious", "tolerance": 12})
    return _settings_form(
        request,
        form,
        title="Add a risk category",
        message="Category added.",
        save=lambda d: services.category_create(
            organisation=_organisation(request),
            by=_user(request),
            name=d["name"],
            appetite=d["appetite"],
            tolerance=d["tolerance"],
        ),
    )


def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = selectors.category_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_RISKS)
    form = CategoryForm(
        request.POST or None,
        initial={k: getattr(category, k) for k in ("name", "appetite", "tolerance", "version")},
    )
    return _settings_form(
        request,
        form,
        title=f"Edit the category {category.name}",
        message="Category saved.",
        save=lambda d: services.category_update(
            category=category,
            by=_user(request),
            expected_version=d["version"],
            name=d["name"],
            appetite=d["appetite"],
            tolerance=d["tolerance"],
        ),
    )


def objective_create(request: HttpRequest) -> HttpResponse:
    require(role(request), Permission.MANAGE_RISKS)
    form = ObjectiveForm(request.POST or None)
    return _settings_form(
        request,
        form,
        title="Add a strategic objective",
        message="Strategic objective added.",
        save=lambda d: services.objective_create(
            organisation=_organisation(request),
            by=_user(request),
            code=d["code"],
            title=d["title"],
            order=d["order"],
        ),
    )


def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = selectors.objective_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_RISKS)
    form = ObjectiveForm(
        request.POST or None,
        initial={k: getattr(objective, k) for k in ("code", "title", "order", "version")},
    )
    return _settings_form(
        request,
        form,
        title=f"Edit {objective.code}",
        message="Strategic objective saved.",
        save=lambda d: services.objective_update(
            objective=objective,
            by=_user(request),
            expected_version=d["version"],
            code=d["code"],
            title=d["title"],
            order=d["order"],
        ),
    )


# Import ---------------------------------------------------------------------------------------------------------


def risk_import(request: HttpRequest) -> HttpResponse:
    """Upload a register: 'Check the file' shows every problem by row and column, or the risks it would add;
    'Import' adds them all, or nothing if any row has a problem."""
    from .spreadsheet import register_import

    require(role(request), Permission.MANAGE_RISKS)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        check_only = request.POST.get("do") != "import"
        result = register_import(
            organisation=_organisation(request),
            by=_user(request),
            file=form.cleaned_data["file"],
            dry_run=check_only,
        )
        if result.ok and not check_only:
            messages.success(request, f"Imported {len(result.created)} risks into the register.")
            return redirect("risk-register")
    return render(
        request,
        "risks/import.jinja",
        {"form": form, "result": result, "page_title": "Import a risk register"},
        status=400 if result is not None and not result.ok else 200,
    )


def risk_remind(request: HttpRequest) -> HttpResponse:
    """E-mail every owner whose risks are overdue for review (POST only)."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    require(role(request), Permission.MANAGE_RISKS)
    sent = services.review_reminders_send(
        organisation=_organisation(request), by=_user(request), on=timezone.localdate()
    )
    messages.success(request, f"Reminders sent to {sent} {'person' if sent == 1 else 'people'}.")
    return redirect("risk-overdue")
