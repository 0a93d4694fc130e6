"""Assessment and ratings pages: each view checks the role, calls a selector or a service, and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from wellled.core.forms import VersionForm
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission, require
from wellled.core.selectors import people_who_can_act
from wellled.core.service_kit import ConcurrentEditError
from wellled.core.stored_files import stored_download
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
    role,
    scope,
    stale_refuse,
)
from wellled.frameworks.selectors import frameworks_available
from wellled.plans.selectors import plans_for_user

from . import selectors, services
from .choices import KEY_QUESTION_COLUMNS, AssessorKind
from .forms import (
    AssessmentCreateForm,
    AssessmentEditForm,
    EvidenceForm,
    FindingActionForm,
    FindingForm,
    ReturnForm,
    StatementForm,
    scoring_rules_of,
)
from .models import Assessment
from .scoring import Rating


def _may(request: SignedInRequest, assessment: Assessment) -> dict[str, bool]:
    return {
        "may_manage": services.user_may_manage(user=request.user, assessment=assessment),
        "may_score": services.user_may_score(user=request.user, assessment=assessment),
    }


# Lists and creating -------------------------------------------------------------------------------------------


def assessment_list(request: SignedInRequest) -> HttpResponse:
    assessments = list(selectors.assessments_for_user(**scope(request)))
    return render(request, "assessments/assessment_list.jinja", {"assessments": assessments})


def _draft_get(*, pk: int, user: User, organisation: Organisation) -> Assessment:
    """An assessment that may still change (a published one is frozen), or 404."""
    assessment = selectors.assessment_get(pk=pk, user=user, organisation=organisation)
    if assessment.is_published:
        raise PermissionDenied(services.FROZEN_MESSAGE)
    return assessment


def _subject_choices(request: SignedInRequest, organisation: Organisation) -> dict[str, Any]:
    locations, service_units = selectors.subject_units(**scope(request))
    frameworks = frameworks_available(organisation=organisation)
    return {"frameworks": frameworks, "locations": locations, "services": service_units}


ASSESSMENT_CREATE_FIELDS = (
    "framework",
    "assessed_on",
    "assessor_kind",
    "location",
    "service",
    "method",
    "title",
)
ASSESSMENT_EDIT_FIELDS = ("title", "assessed_on", "method", "summary")

# An assessment is started and edited on one form page, by those who manage assessments.
_ASSESSMENT_FORM: dict[str, Any] = {
    "permission": Permission.MANAGE_ASSESSMENTS,
    "template": "assessments/assessment_form.jinja",
}

assessment_create = CreatePage(
    form=AssessmentCreateForm,
    service=services.assessment_create,
    fields=ASSESSMENT_CREATE_FIELDS,
    changes=lambda data: {**chosen(ASSESSMENT_CREATE_FIELDS, data), "scoring_rules": scoring_rules_of(data)},
    form_kwargs=_subject_choices,
    title="New assessment",
    message=lambda assessment: f"“{assessment}” started. Score each statement below.",
    success_url=page_of("assessment-score"),
    **_ASSESSMENT_FORM,
)

assessment_edit = EditPage[Assessment](
    get=_draft_get,
    form=AssessmentEditForm,
    service=services.assessment_update,
    noun="assessment",
    fields=ASSESSMENT_EDIT_FIELDS,
    initial=lambda assessment: assessment.scoring_rules,
    changes=lambda _, data: {**chosen(ASSESSMENT_EDIT_FIELDS, data), "scoring_rules": scoring_rules_of(data)},
    title=lambda assessment: f"Edit {assessment}",
    message="Assessment saved.",
    success_url=page_of("assessment-detail"),
    **_ASSESSMENT_FORM,
)


# One assessment -----------------------------------------------------------------------------------------------


def _assessment_read(request: SignedInRequest, pk: int) -> dict[str, Any]:
    """An assessment with its statements, findings and outcome, and what the person may do with it."""
    assessment = selectors.assessment_get(pk=pk, **scope(request))
    statements = selectors.assessment_statements(assessment=assessment, **scope(request))
    findings = selectors.assessment_findings(assessment=assessment, **scope(request))
    outcome = selectors.assessment_outcome(assessment=assessment, statements=statements, findings=findings)
    return {
        "assessment": assessment,
        "statements": statements,
        "findings": findings,
        "outcome": outcome,
        **_may(request, assessment),
    }


def assessment_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    read = _assessment_read(request, pk)
    return_form = ReturnForm(initial={"version": read["assessment"].version})
    return render(request, "assessments/assessment_detail.jinja", {**read, "return_form": return_form})


def _statement_form(statement, data=None, files=None):
    assessment = statement.assessment
    initial = {"narrative": statement.narrative, "version": statement.version, "score": statement.score}
    for key, value in (statement.evidence_scores or {}).items():
        initial[f"evidence_{key}"] = value
    return StatementForm(
        data,
        initial=initial,
        method=assessment.method,
        categories=list(assessment.framework.evidence_categories or []),
        statement_code=statement.element.code,
        prefix=f"s{statement.pk}",
    )


def assessment_score(request: SignedInRequest, pk: int) -> HttpResponse:
    """The scoring page: every statement by key question, each with its own small form."""
    assessment = selectors.assessment_get(pk=pk, **scope(request))
    statements = selectors.assessment_statements(assessment=assessment, **scope(request))
    outcome = selectors.assessment_outcome(assessment=assessment, statements=statements)
    forms = {}
    for kq in outcome.key_questions:
        for statement in kq.statements:
            statement.assessment = assessment  # the one already read: its forms need not read it again
            forms[statement.pk] = _statement_form(statement)
    return render(
        request,
        "assessments/assessment_score.jinja",
        {"assessment": assessment, "outcome": outcome, "forms": forms, **_may(request, assessment)},
    )


def statement_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One statement: score it (a partial save over HTMX from the scoring page), its evidence and findings."""
    statement = selectors.statement_get(pk=pk, **scope(request))
    assessment = statement.assessment
    may_score = services.user_may_score(user=request.user, assessment=assessment)
    form = _statement_form(statement, request.POST if request.method == "POST" else None)
    saved = False
    if request.method == "POST":
        if not may_score:
            if assessment.is_published:
                raise PermissionDenied(services.FROZEN_MESSAGE)
            raise PermissionDenied("Your role does not allow you to score this assessment.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                statement = services.statement_score(
                    statement=statement,
                    by=request.user,
                    expected_version=data["version"],
                    score=data.get("score"),
                    evidence_scores=form.evidence_scores(),
                    narrative=data["narrative"],
                )
            except ConcurrentEditError as exc:
                stale_refuse(form, exc)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                saved = True
                statement = selectors.statement_get(pk=pk, **scope(request))
                form = _statement_form(statement)
                if not request.htmx:
                    messages.success(request, f"{statement.element.code} saved.")
                    back = request.POST.get("next")
                    if back == "score":
                        return redirect(
                            reverse("assessment-score", args=[assessment.pk]) + f"#statement-{pk}"
                        )
                    return redirect("statement-detail", pk=pk)
    context = {
        "assessment": assessment,
        "statement": statement,
        "forms": {statement.pk: form},
        "may_score": may_score,
        "saved": saved,
    }
    if request.htmx:
        return render(request, "assessments/_statement_form.jinja", context)
    findings = [
        f
        for f in selectors.assessment_findings(assessment=assessment, **scope(request))
        if f.element_id == statement.element_id
    ]
    return render(
        request,
        "assessments/statement_detail.jinja",
        {
            **context,
            "evidence_form": EvidenceForm(),
            "findings": findings,
            "evidence": list(statement.evidence.select_related("added_by")),
        },
    )


@require_POST
def statement_evidence(request: SignedInRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_get(pk=pk, **scope(request))
    if not services.user_may_score(user=request.user, assessment=statement.assessment):
        raise PermissionDenied("You cannot add evidence to this assessment.")
    form = EvidenceForm(request.POST, request.FILES)
    return form_page(
        request,
        form,
        template="assessments/statement_detail.jinja",
        save=lambda data: services.evidence_add(
            statement=statement,
            by=request.user,
            title=data["title"],
            file=data.get("file"),
            url=data.get("url") or "",
        ),
        message=lambda item: f"Evidence “{item.title}” added to {statement.element.code}.",
        success_url=reverse("statement-detail", args=[pk]),
        context=lambda: {
            "assessment": statement.assessment,
            "statement": statement,
            "forms": {statement.pk: _statement_form(statement)},
            "may_score": True,
            "saved": False,
            "evidence_form": form,
            "findings": [],
            "evidence": list(statement.evidence.all()),
        },
    )


@require_GET
def evidence_download(request: SignedInRequest, pk: int) -> HttpResponseBase:
    """A stored evidence file, only to members of its organisation, always as a download streamed from storage."""
    item = selectors.evidence_get(pk=pk, **scope(request))
    if not item.file:
        return redirect(item.url)
    return stored_download(
        item.file,
        filename=item.original_name or item.file.name or "evidence",
        content_type=item.content_type,
        sha256=item.sha256,
    )


def assessment_result(request: SignedInRequest, pk: int) -> HttpResponse:
    """Each key question's rating with its working, the statements carried from the previous rating, overall."""
    return render(request, "assessments/assessment_result.jinja", _assessment_read(request, pk))


def _version_sent(request: SignedInRequest) -> int:
    """The version of the assessment the page was opened at, as its button sent it (refused when missing)."""
    version = VersionForm(request.POST)
    if not version.is_valid():
        raise ValidationError(list(version.non_field_errors()))
    return version.cleaned_data["version"]


@require_POST
def assessment_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(pk=pk, **scope(request))
    if not services.user_may_score(user=request.user, assessment=assessment):
        raise PermissionDenied("You cannot submit this assessment.")
    try:
        services.assessment_submit(
            assessment=assessment, by=request.user, expected_version=_version_sent(request)
        )
    except ConcurrentEditError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "Submitted for review. The governance team will review it and publish it or "
            "return it to you with comments.",
        )
    return redirect("assessment-detail", pk=pk)


@require_POST
def assessment_return(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_ASSESSMENTS)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_return(
                assessment=assessment,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except (ConcurrentEditError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "Returned to the team as a draft, with your comment.")
    else:
        messages.error(request, "Enter what the team needs to look at again.")
    return redirect("assessment-detail", pk=pk)


def assessment_publish(request: SignedInRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and publish (POST): the ratings and their working are stored and the assessment is frozen."""
    assessment = selectors.assessment_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_ASSESSMENTS)
    if assessment.is_published:
        messages.info(request, "This assessment is already published.")
        return redirect("assessment-result", pk=pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.assessment_publish(
                assessment=assessment, by=request.user, expected_version=_version_sent(request)
            )
        except ConcurrentEditError as exc:
            errors = [str(exc)]
            assessment = selectors.assessment_get(pk=pk, **scope(request))
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request, "Published. The ratings are recorded and the assessment can no longer change."
            )
            return redirect("assessment-result", pk=pk)
    outcome = selectors.assessment_outcome(assessment=assessment)
    return render(
        request,
        "assessments/assessment_publish.jinja",
        {"assessment": assessment, "outcome": outcome, "errors": errors},
    )


def assessment_compare(request: SignedInRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get(pk=pk, **scope(request))
    result = selectors.comparison(assessment=assessment, **scope(request))
    return render(
        request, "assessments/assessment_compare.jinja", {"assessment": assessment, "comparison": result}
    )


assessment_history = HistoryPage[Assessment](
    get=selectors.assessment_get,
    back_url=page_of("assessment-detail"),
)


# Findings -----------------------------------------------------------------------------------------------------


def _statements_of(request: SignedInRequest, assessment: Assessment) -> dict[str, Any]:
    """The statements a finding may be about: those the assessment scores, in the framework's order."""
    scored = assessment.statements.values("element_id")
    return {"elements": assessment.framework.elements.filter(pk__in=scored).order_by("order")}


FINDING_FIELDS = ("element", "text", "finding_type", "regulation")

finding_create = CreatePage(
    parent=_draft_get,
    noun="assessment",
    form=FindingForm,
    service=services.assessment_finding_create,
    fields=FINDING_FIELDS,
    changes=lambda data: {**chosen(FINDING_FIELDS, data), "enforcement": data["enforcement"] or ""},
    initial=lambda request: (
        {"element": request.GET["element"]} if request.GET.get("element", "").isdigit() else {}
    ),
    form_kwargs=_statements_of,
    permission=Permission.MANAGE_ASSESSMENTS,
    template="assessments/finding_form.jinja",
    message="Finding recorded.",
    success_url=lambda finding: reverse("assessment-detail", args=[finding.assessment_id]) + "#findings",
)


def finding_action(request: SignedInRequest, pk: int) -> HttpResponse:
    """Turn an assessment's finding into an action in a plan (the plan's finding names the statement)."""
    finding = selectors.finding_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_ASSESSMENTS)
    require(role(request), Permission.MANAGE_PLANS)
    plans = plans_for_user(**scope(request)).filter(archived=False)
    answered = finding.plan_finding
    if answered is not None:
        plans = plans.filter(pk=answered.plan_id)
    initial = {"plan": answered.plan_id if answered is not None else None}
    # Who may lead the action: people who can act on actions they lead (core.selectors.people_who_can_act).
    people = people_who_can_act(**scope(request), permissions=[Permission.UPDATE_OWN_ACTION])
    form = FindingActionForm(request.POST or None, plans=plans, people=people, initial=initial)
    return form_page(
        request,
        form,
        template="assessments/finding_action.jinja",
        context={"finding": finding, "assessment": finding.assessment},
        save=lambda data: services.finding_to_action(
            finding=finding, by=request.user, **chosen(form_fields(FindingActionForm), data)
        ),
        message=lambda action: (
            f"Action {action.reference} added to {action.plan.name}, answering the "
            f"finding on {finding.element.code}."
        ),
        success_url=lambda action: reverse("plan-detail", args=[action.plan_id]),
    )


# Ratings over time --------------------------------------------------------------------------------------------


def ratings_grid(request: SignedInRequest) -> HttpResponse:
    own = request.GET.get("view") == "own"
    rows = selectors.ratings_grid(own=own, **scope(request))
    return render(
        request,
        "assessments/ratings_grid.jinja",
        {
            "rows": rows,
            "own": own,
            "columns": KEY_QUESTION_COLUMNS,
            "ratings": list(Rating),
        },
    )


def ratings_timeline(request: SignedInRequest) -> HttpResponse:
    location, service = selectors.subject_resolve(
        location=request.GET.get("location") or None,
        service=request.GET.get("service") or None,
        **scope(request),
    )
    entries = selectors.subject_timeline(location=location, service=service, **scope(request))
    if service is not None:
        label = f"{service.name} at {location.name}" if location else service.name
    else:
        label = location.name if location else request.organisation.name
    return render(
        request,
        "assessments/ratings_timeline.jinja",
        {
            "entries": entries,
            "label": label,
            "columns": KEY_QUESTION_COLUMNS,
            "summary": selectors.timeline_summary(entries),
            "cqc": AssessorKind.CQC,
        },
    )
