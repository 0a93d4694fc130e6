"""Ward accreditation pages: the overview, a ward's page, recording and completing an audit, and the wards and
their assessments exported and imported as a workbook."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wellled.core.permissions import Permission, require
from wellled.core.view_kit import (
    CreatePage,
    HistoryPage,
    SignedInRequest,
    form_page,
    page_of,
    register_upload_page,
    role,
    scope,
    xlsx_download,
)
from wellled.plans import selectors as plan_selectors

from . import selectors, services
from .forms import (
    AuditAnswersForm,
    AuditCompleteForm,
    AuditDecisionForm,
    AuditStartForm,
    FindingActionForm,
    WardsImportForm,
)
from .models import WardAudit


def accreditation_overview(request: SignedInRequest) -> HttpResponse:
    rows = selectors.ward_overview(today=timezone.localdate(), **scope(request))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.level_name] = counts.get(row.level_name, 0) + 1
    return render(
        request,
        "accreditation/overview.jinja",
        {
            "rows": rows,
            "counts": counts,
            "overdue": [r for r in rows if r.overdue],
            "awaiting": selectors.audits_awaiting_panel(**scope(request)),
        },
    )


def ward_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = selectors.ward_get(pk=pk, **scope(request))
    audits = selectors.ward_audits(unit=unit, **scope(request))
    measure_id = selectors.ward_measure_id(unit=unit)
    return render(
        request, "accreditation/ward_detail.jinja", {"unit": unit, "audits": audits, "measure_id": measure_id}
    )


audit_start = CreatePage(
    form=AuditStartForm,
    service=services.ward_audit_start,
    permission=Permission.RECORD_WARD_AUDITS,
    template="accreditation/audit_start.jinja",
    success_url=page_of("ward-visit-edit"),
    message="Audit started: record an answer for each standard.",
    initial=lambda request: {"unit": request.GET["unit"]} if request.GET.get("unit", "").isdigit() else {},
    form_kwargs=lambda request, organisation: {
        "wards": selectors.wards_for_user(**scope(request)),
        "schemes": selectors.schemes_available(**scope(request)),
    },
)


def audit_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    view = selectors.audit_get(pk=pk, **scope(request))
    audit = view.audit
    require(role(request), Permission.RECORD_WARD_AUDITS)
    if audit.is_completed:
        raise PermissionDenied(services.COMPLETED_MESSAGE)
    initial = {"version": audit.version, "summary": audit.summary}
    initial.update({f"answer_{code}": answer for code, answer in audit.answers.items()})
    initial.update({f"evidence_{code}": text for code, text in audit.evidence.items()})
    form = AuditAnswersForm(request.POST or None, initial=initial, scheme=audit.scheme.scheme)

    def save(data):
        saved = services.ward_audit_answers_record(
            audit=audit,
            by=request.user,
            expected_version=data["version"],
            answers=form.answers(),
            evidence=form.evidence(),
            summary=data["summary"],
        )
        if "complete" in request.POST:
            saved = services.ward_audit_complete(audit=saved, by=request.user, expected_version=saved.version)
        return saved

    return form_page(
        request,
        form,
        template="accreditation/audit_form.jinja",
        save=save,
        success_url=lambda saved: (
            reverse("ward-visit-detail", args=[saved.pk])
            if saved.is_completed
            else reverse("ward-visit-edit", args=[saved.pk])
        ),
        message=lambda saved: _completed_message(saved) if saved.is_completed else "Answers saved.",
        context={"audit": audit, "result": view.result},
    )


def _detail(request: SignedInRequest, view: selectors.AuditView, **forms) -> dict:
    """The audit page's context: the audit, its working, findings and actions, and its forms (those given win)."""
    audit = view.audit
    return {
        "audit": audit,
        "result": view.result,
        "findings": view.findings,
        "actions": view.actions,
        "complete_form": AuditCompleteForm(),
        "decision_form": AuditDecisionForm(initial={"version": audit.version}, audit=audit),
        "action_form": _action_form(request, view),
        **forms,
    }


def audit_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    view = selectors.audit_get(pk=pk, **scope(request))
    return render(request, "accreditation/audit_detail.jinja", _detail(request, view))


def _action_form(request: SignedInRequest, view, data=None) -> FindingActionForm:
    plans = plan_selectors.plans_for_user(**scope(request))
    return FindingActionForm(data, findings=view.findings, plans=plans)


def _detail_form(
    request: SignedInRequest,
    view: selectors.AuditView,
    form: forms.BaseForm,
    *,
    name: str,
    save: Callable[[dict[str, Any]], Any],
    message: Callable[[Any], str],
) -> HttpResponse:
    """One of the forms on an audit's page, posted: saved, back to the page; refused, the page again with the
    form (under `name`) showing its errors."""
    return form_page(
        request,
        form,
        template="accreditation/audit_detail.jinja",
        save=save,
        success_url=reverse("ward-visit-detail", args=[view.audit.pk]),
        message=message,
        context=lambda: _detail(request, view, **{name: form}),
    )


@require_POST
def audit_action(request: SignedInRequest, pk: int) -> HttpResponse:
    """Raise a ward action (through the plans services) from one of the audit's findings."""
    view = selectors.audit_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    return _detail_form(
        request,
        view,
        _action_form(request, view, request.POST),
        name="action_form",
        save=lambda data: services.audit_finding_action_raise(
            audit=view.audit,
            standard_code=data["standard"],
            plan=data["plan"],
            by=request.user,
            title=data["title"],
            due_date=data["due_date"],
        ),
        message=lambda action: f"Action {action.reference} raised on {action.plan}.",
    )


@require_POST
def audit_complete(request: SignedInRequest, pk: int) -> HttpResponse:
    view = selectors.audit_get(pk=pk, **scope(request))
    require(role(request), Permission.RECORD_WARD_AUDITS)
    return _detail_form(
        request,
        view,
        AuditCompleteForm(request.POST),
        name="complete_form",
        save=lambda data: services.ward_audit_complete(
            audit=view.audit, by=request.user, expected_version=data["version"]
        ),
        message=_completed_message,
    )


def _completed_message(audit: WardAudit) -> str:
    return f"Audit completed: it proposes {audit.level_name}. The accreditation panel decides the award."


@require_POST
def audit_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """The accreditation panel's decision on the level a completed audit proposes."""
    view = selectors.audit_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_ACCREDITATION)
    return _detail_form(
        request,
        view,
        AuditDecisionForm(request.POST, audit=view.audit),
        name="decision_form",
        save=lambda data: services.ward_audit_decide(
            audit=view.audit,
            by=request.user,
            expected_version=data["version"],
            decision=data["decision"],
            reason=data["decision_reason"],
            decided_on=data["decided_on"],
            level_code=data["level"],
        ),
        message=lambda saved: f"Panel decision recorded: {saved.get_decision_display().lower()}.",
    )


audit_history = HistoryPage[WardAudit](
    get=lambda **where: selectors.audit_get(**where).audit,
    title=lambda audit: f"History of {audit}",
    back_url=lambda audit: reverse("ward-visit-detail", args=[audit.pk]),
)


def wards_export(request: SignedInRequest) -> HttpResponse:
    """The wards and teams and their assessments as a workbook, in the layout the import reads."""
    from .register import wards_export as export

    require(role(request), Permission.VIEW)
    return xlsx_download(request, export(user=request.user, organisation=request.organisation), "wards")


def wards_import(request: SignedInRequest) -> HttpResponse:
    """Upload the wards workbook: check it (the differences sheet by sheet, row by row), then import it."""
    from .register import wards_import as run

    require(role(request), Permission.MANAGE_ACCREDITATION)
    return register_upload_page(
        request,
        WardsImportForm,
        run,
        template="accreditation/import.jinja",
        title="Import wards and assessments",
        success_url=reverse("accreditation-overview"),
        noun="ward",
    )
