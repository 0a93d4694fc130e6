"""Pages of the risk registers and the BAF: thin views over the selectors and services (core.view_kit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from wellled.core.permissions import Permission, require
from wellled.core.selectors import get_or_404, organisation_people, people_who_can_act
from wellled.core.view_kit import (
    CreatePage,
    EditPage,
    HistoryPage,
    SignedInRequest,
    chosen,
    errors_apply,
    form_fields,
    form_page,
    page_of,
    register_import_page,
    role,
    scope,
)
from wellled.measures.selectors import measures_for_user
from wellled.reports.models import JobState
from wellled.reports.selectors import TamperedError, verified_content
from wellled.reports.snapshot import snapshot_from_data

from . import paper_kind, selectors, services
from .baf_paper import BafPaper, baf_paper_build
from .baf_render import FORMATS
from .choices import RiskStatus
from .convention import convention
from .forms import (
    AssuranceForm,
    BafEntryForm,
    BafIssueForm,
    CategoryForm,
    ControlEditForm,
    ControlForm,
    GapForm,
    ImportForm,
    LinksForm,
    ObjectiveForm,
    ReviewForm,
    RiskCreateForm,
    RiskForm,
    StatusForm,
    ThresholdForm,
)
from .models import Control, Risk, RiskCategory, StrategicObjective

# Risks on one page of the register: a directorate's register fits on one page, a whole trust's takes a few.
REGISTER_PAGE_SIZE = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _filters(request: SignedInRequest) -> selectors.RegisterFilters:
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


def _choices(request: SignedInRequest) -> dict:
    return {
        "units": selectors.risk_units(**scope(request)),
        "categories": selectors.categories(**scope(request)),
        "people": organisation_people(**scope(request)),
    }


def _filter_choices(request: SignedInRequest) -> dict:
    """The filters' choices, read before the template renders (templates never query)."""
    return {name: list(options) for name, options in _choices(request).items()}


# Register, heat map, overdue reviews ------------------------------------------------------------------------


@require_GET
def risk_register(request: SignedInRequest) -> HttpResponse:
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
            "threshold": services.escalation_threshold(request.organisation),
            **_filter_choices(request),
            "page_title": "Risk register",
        },
    )


@require_GET
def risk_heat_map(request: SignedInRequest) -> HttpResponse:
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
            "threshold": services.escalation_threshold(request.organisation),
            "page_title": "Risk heat map",
        },
    )


@require_GET
def risk_overdue(request: SignedInRequest) -> HttpResponse:
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
def risk_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    page = selectors.risk_page(pk=pk, **scope(request))
    return render(
        request,
        "risks/risk_detail.jinja",
        {
            "page": page,
            "risk": page.risk,
            "convention": convention(),
            "today": timezone.localdate(),
            "may_review": services.user_may_review(user=request.user, risk=page.risk),
            "page_title": f"{page.risk.reference}: {page.risk.title}",
        },
    )


def _owners(request: SignedInRequest, keep: list[int | None]):
    """Who may own, handle or lead a risk (core.selectors.people_who_can_act), and whoever the risk already names."""
    return people_who_can_act(**scope(request), permissions=[Permission.REVIEW_OWN_RISK], keep=keep)


def _risk_choices(request: SignedInRequest, risk: object = None) -> dict[str, Any]:
    keep = [risk.owner_id, risk.handler_id] if isinstance(risk, Risk) else []
    return _choices(request) | {"people": _owners(request, keep)}


SCORED = ("inherent", "current", "target")


def _risk_added(data: Mapping[str, Any]) -> dict[str, Any]:
    """The add form's fields as risk_create takes them: each score as a (likelihood, consequence) pair and the
    controls one a line."""
    scores = {kind: (data[f"{kind}_likelihood"], data[f"{kind}_consequence"]) for kind in SCORED}
    scored = {f"{kind}_{axis}" for kind in SCORED for axis in ("likelihood", "consequence")}
    plain = chosen([name for name in form_fields(RiskCreateForm) if name not in scored], data)
    plain["controls"] = [line.strip() for line in data["controls"].splitlines() if line.strip()]
    return {**plain, **scores}


risk_create = CreatePage(
    form=RiskCreateForm,
    service=services.risk_create,
    changes=_risk_added,
    initial=lambda request: {"opened_on": timezone.localdate()},
    form_kwargs=_risk_choices,
    permission=Permission.MANAGE_RISKS,
    template="risks/risk_form.jinja",
    title="Add a risk",
    message=lambda risk: f"Risk {risk.reference} added to the register.",
    success_url=page_of("risk-detail"),
)


def _risk_changes(risk: Risk, data: Mapping[str, Any]) -> dict[str, Any]:
    """The edited fields as typed; a next review date left empty keeps the one the risk has."""
    changes = chosen(services.RISK_EDITABLE, data)
    if changes.get("next_review_on") is None:
        changes.pop("next_review_on", None)
    return changes


risk_edit = EditPage[Risk](
    get=selectors.risk_get,
    form=RiskForm,
    service=services.risk_update,
    changes=_risk_changes,
    form_kwargs=_risk_choices,
    permission=Permission.MANAGE_RISKS,
    template="risks/risk_form.jinja",
    title=lambda risk: f"Edit {risk.reference}",
    message="Risk saved.",
    success_url=page_of("risk-detail"),
)


def risk_review(request: SignedInRequest, pk: int) -> HttpResponse:
    """The owner's (or handler's) review: the date, what it found, and the current score again."""
    risk = selectors.risk_get(pk=pk, **scope(request))
    if not services.user_may_review(user=request.user, risk=risk):
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
        found = chosen(form_fields(ReviewForm), data)  # the date, what it found, the score and the next date
        return services.risk_review_record(
            risk=risk, by=request.user, expected_version=data["version"], **found
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


# The pages that change one part of a risk share a plain form page and the role that may manage risks.
_SIMPLE_FORM: dict[str, Any] = {"permission": Permission.MANAGE_RISKS, "template": "risks/simple_form.jinja"}
# ... and those that change the risk itself read it, and go back to it, the same way.
_RISK_PART: dict[str, Any] = {
    **_SIMPLE_FORM,
    "get": selectors.risk_get,
    "success_url": page_of("risk-detail"),
}

risk_status = EditPage[Risk](
    form=StatusForm,
    service=services.risk_status_set,
    initial=lambda risk: {"reason": risk.status_reason},
    title=lambda risk: f"Status of {risk.reference}",
    message="Status saved.",
    **_RISK_PART,
)

risk_links = EditPage[Risk](
    form=LinksForm,
    service=services.risk_links_set,
    form_kwargs=lambda request, risk: {
        "actions": selectors.link_actions_available(**scope(request)),
        "measures": measures_for_user(**scope(request)),
        "findings": selectors.link_findings_available(**scope(request)),
        "principal": selectors.principal_risks(**scope(request)).exclude(pk=risk.pk),
    },
    title=lambda risk: f"Links of {risk.reference}: actions, measures, findings, principal risk",
    context=lambda request, risk: {"page_title": f"Links of {risk.reference}"},
    message="Links saved.",
    **_RISK_PART,
)

risk_baf_entry = EditPage[Risk](
    form=BafEntryForm,
    service=services.risk_baf_set,
    form_kwargs=lambda request, risk: {
        "objectives": selectors.objectives(**scope(request)),
        "people": _owners(request, [risk.lead_executive_id]),
        "committees": selectors.lead_committees(**scope(request)),
    },
    title=lambda risk: f"{risk.reference} on the board assurance framework",
    context=lambda request, risk: {"page_title": f"BAF entry of {risk.reference}"},
    message="Board assurance framework saved.",
    **_RISK_PART,
)


risk_control_add = CreatePage(
    parent=selectors.risk_get,
    form=ControlForm,
    service=services.control_add,
    title=lambda risk: f"Add a control to {risk.reference}",
    context=lambda request, risk: {"page_title": "Add a control"},
    message="Control added.",
    success_url=page_of("risk-detail", "risk_id"),
    **_SIMPLE_FORM,
)

control_edit = EditPage[Control](
    get=selectors.control_get,
    form=ControlEditForm,
    service=services.control_update,
    title=lambda control: f"Edit a control of {control.risk.reference}",
    context=lambda request, control: {"risk": control.risk, "page_title": "Edit a control"},
    message="Control saved.",
    success_url=page_of("risk-detail", "risk_id"),
    **_SIMPLE_FORM,
)

control_assurance_add = CreatePage(
    parent=selectors.control_get,
    form=AssuranceForm,
    service=services.assurance_add,
    title="Add a source of assurance",
    context=lambda request, control: {"risk": control.risk, "lead": control.description},
    message="Assurance added.",
    success_url=page_of("risk-detail", "control.risk_id"),
    **_SIMPLE_FORM,
)

risk_gap_add = CreatePage(
    parent=selectors.risk_get,
    form=GapForm,
    service=services.gap_add,
    form_kwargs=lambda request, risk: {
        "controls": risk.controls.all(),
        "actions": selectors.link_actions_available(**scope(request)),
    },
    title=lambda risk: f"Add a gap to {risk.reference}",
    context=lambda request, risk: {"page_title": "Add a gap in control or assurance"},
    message="Gap added.",
    success_url=page_of("risk-detail", "risk_id"),
    **_SIMPLE_FORM,
)

risk_history = require_GET(
    HistoryPage[Risk](
        get=selectors.risk_get,
        title=lambda risk: f"History of {risk.reference}",
        back_url=page_of("risk-detail"),
    )
)


# The board assurance framework ---------------------------------------------------------------------------------


def _baf_papers(request: SignedInRequest):
    return selectors.baf_papers(**scope(request))


@require_GET
def baf(request: SignedInRequest) -> HttpResponse:
    """The BAF today: principal risks by objective, the register's heat map, movement since the last issued BAF;
    `?committee=<id>` shows one committee's principal risks (ADR 0062)."""
    committee = paper_kind.committee_of(request.user, request.organisation, request.GET.get("committee", ""))
    paper = baf_paper_build(as_at=timezone.localdate(), committee=committee, **scope(request))
    return render(
        request,
        "risks/baf.jinja",
        {
            "paper": paper,
            "committee": committee,
            "committees": list(
                selectors.lead_committees(**scope(request)).filter(risks__principal=True).distinct()
            ),
            "convention": convention(),
            "papers": list(_baf_papers(request)[:5]),
            "page_title": "Board assurance framework",
        },
    )


def baf_issue_page(request: SignedInRequest) -> HttpResponse:
    require(role(request), paper_kind.ISSUE_PERMISSION)
    form = BafIssueForm(
        request.POST or None,
        initial={"as_at": timezone.localdate()},
        committees=selectors.lead_committees(**scope(request)),
    )
    if request.method == "POST" and form.is_valid():
        committee = form.cleaned_data["committee"]
        try:
            if committee is not None:  # a committee's few risks are issued at once (ADR 0062)
                issued = paper_kind.baf_paper_issue(
                    organisation=request.organisation,
                    as_at=form.cleaned_data["as_at"],
                    by=request.user,
                    committee=committee,
                )
                return redirect("baf-paper-detail", pk=issued.pk)
            job = paper_kind.baf_job_start(
                organisation=request.organisation, as_at=form.cleaned_data["as_at"], by=request.user
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
def baf_job(request: SignedInRequest, pk: int) -> HttpResponse:
    job = get_or_404(selectors.baf_jobs(**scope(request)), pk=pk)
    if job.state == JobState.DONE and job.paper_id:
        return redirect("baf-paper-detail", pk=job.paper_id)
    return render(
        request, "risks/baf_job.jinja", {"job": job, "JobState": JobState, "page_title": "Issuing the BAF"}
    )


@require_GET
def baf_papers(request: SignedInRequest) -> HttpResponse:
    papers = list(_baf_papers(request).prefetch_related("files"))
    return render(request, "risks/baf_papers.jinja", {"papers": papers, "page_title": "Issued BAF papers"})


@require_GET
def baf_paper_detail(request: SignedInRequest, pk: int) -> HttpResponse:
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
def baf_paper_file(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
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
def risk_export(request: SignedInRequest) -> HttpResponse:
    """The register as a spreadsheet in the layout the import reads."""
    from .spreadsheet import register_export

    content = register_export(
        risks=selectors.risk_register(
            filters=selectors.RegisterFilters(status="all"), on=timezone.localdate(), **scope(request)
        )
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    name = f"risk-register-{request.organisation.ods_code}-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Settings: threshold, categories with their appetite, strategic objectives -------------------------------------


def risk_settings(request: SignedInRequest) -> HttpResponse:
    """The escalation threshold, the categories with the board's appetite, and the strategic objectives."""
    require(role(request), Permission.VIEW)
    threshold = services.escalation_threshold(request.organisation)
    stale_days = selectors.assurance_stale_days_set(**scope(request))
    form = ThresholdForm(
        request.POST or None,
        initial={"escalation_threshold": threshold, "assurance_stale_days": stale_days},
    )
    if request.method == "POST":
        require(role(request), Permission.MANAGE_RISKS)
    return form_page(
        request,
        form,
        template="risks/settings.jinja",
        save=lambda d: services.risk_policy_set(organisation=request.organisation, by=request.user, **d),
        success_url=reverse("risk-settings"),
        message="Risk settings saved; every risk has been flagged again by the escalation threshold.",
        context={
            "threshold": threshold,
            "categories": list(selectors.categories(**scope(request))),
            "objectives": list(selectors.objectives(**scope(request))),
            "page_title": "Risk settings",
        },
    )


def _settings(_record: object) -> str:
    return reverse("risk-settings")


# The categories and objectives are kept on the risk settings page, each added and edited on one form page.
_SETTINGS_PAGE: dict[str, Any] = {
    "permission": Permission.MANAGE_RISKS,
    "template": "risks/settings_form.jinja",
    "success_url": _settings,
}

category_create = CreatePage(
    form=CategoryForm,
    service=services.category_create,
    initial=lambda request: {"appetite": "cautious", "tolerance": 12},
    title="Add a risk category",
    message="Category added.",
    **_SETTINGS_PAGE,
)

category_edit = EditPage[RiskCategory](
    get=selectors.category_get,
    form=CategoryForm,
    service=services.category_update,
    title=lambda category: f"Edit the category {category.name}",
    message="Category saved.",
    **_SETTINGS_PAGE,
)

objective_create = CreatePage(
    form=ObjectiveForm,
    service=services.objective_create,
    title="Add a strategic objective",
    message="Strategic objective added.",
    **_SETTINGS_PAGE,
)

objective_edit = EditPage[StrategicObjective](
    get=selectors.objective_get,
    form=ObjectiveForm,
    service=services.objective_update,
    title=lambda objective: f"Edit {objective.code}",
    message="Strategic objective saved.",
    **_SETTINGS_PAGE,
)


# Import ---------------------------------------------------------------------------------------------------------


def risk_import(request: SignedInRequest) -> HttpResponse:
    """Upload a register: 'Check the file' is the dry run (each row's differences, the risks the sheet leaves out,
    or every problem by row and column); 'Import these changes', with the same file, writes them all, or none."""
    from .spreadsheet import register_import

    require(role(request), Permission.MANAGE_RISKS)
    return register_import_page(
        request,
        ImportForm(request.POST or None, request.FILES or None),
        run=lambda upload, dry_run: [
            register_import(organisation=request.organisation, by=request.user, file=upload, dry_run=dry_run)
        ],
        template="risks/import.jinja",
        context={"page_title": "Import a risk register"},
        success_url=reverse("risk-register"),
        noun="risk",
    )


def risk_remind(request: SignedInRequest) -> HttpResponse:
    """E-mail every owner whose risks are overdue for review (POST only)."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    require(role(request), Permission.MANAGE_RISKS)
    sent = services.review_reminders_send(
        organisation=request.organisation, by=request.user, on=timezone.localdate()
    )
    messages.success(request, f"Reminders sent to {sent} {'person' if sent == 1 else 'people'}.")
    return redirect("risk-overdue")
