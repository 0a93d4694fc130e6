"""Freedom to Speak Up pages: the guardian's case log (not found for anyone else), a champion's own contacts, the
quarterly return, and the anonymous online route, which needs no account (ADR 0054)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from wellled.core.auth import client_address
from wellled.core.models import Organisation
from wellled.core.permissions import Permission, require
from wellled.core.service_kit import ConcurrentEditError
from wellled.core.view_kit import (
    SignedInRequest,
    chosen,
    errors_apply,
    form_fields,
    form_page,
    role,
    scope,
    xlsx_download,
)
from wellled.plans.selectors import plans_for_user
from wellled.risks.selectors import risks_for_user

from . import returns, selectors, services
from .forms import (
    ActionForm,
    BreakForm,
    CaseFilterForm,
    CaseForm,
    CloseForm,
    ConsentForm,
    ContactForm,
    EraseForm,
    GuardianReportForm,
    KeyForm,
    LearningActionForm,
    MessageForm,
    RaiseForm,
    ThemeRiskForm,
)
from .periods import last_complete_quarter, quarter_parse


def _case_url(case: Any) -> str:
    return reverse("ftsu-case-detail", args=[case.pk])


# The guardian's case log ------------------------------------------------------------------------------------------


def case_list(request: SignedInRequest) -> HttpResponse:
    """The cases, filtered by financial quarter (by date received) and status; for guardians only."""
    selectors.guardian_require(**scope(request))
    form = CaseFilterForm(request.GET or None)
    quarter, status = None, ""
    if form.is_valid():
        status = form.cleaned_data["status"]
        if form.cleaned_data["quarter"]:
            try:
                quarter = quarter_parse(form.cleaned_data["quarter"])
            except ValueError as exc:
                form.add_error("quarter", str(exc))
    cases = selectors.cases_for_user(**scope(request), quarter=quarter, status=status)
    return render(request, "ftsu/case_list.jinja", {"cases": cases, "filter": form, "quarter": quarter})


def case_create(request: SignedInRequest) -> HttpResponse:
    """Record a concern: a guardian, or a champion (who then sees only the contact they recorded)."""
    guardian = selectors.is_guardian(**scope(request))
    if not guardian and not selectors.is_champion(**scope(request)):
        raise Http404(selectors.NOT_FOUND)
    form = CaseForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        return services.case_create(
            organisation=request.organisation,
            by=request.user,
            received_on=data["received_on"],
            route=data["route"],
            openness=data["openness"],
            worker_group=data["worker_group"],
            area=data["area"],
            elements=data["elements"],
            detriment=data["detriment"],
            name=data["name"],
            contact_details=data["contact_details"],
            concern=data["concern"],
            characteristics=form.characteristics(),
        )

    return form_page(
        request,
        form,
        template="ftsu/case_form.jinja",
        save=save,
        success_url=_case_url if guardian else reverse("ftsu-champion"),
        message=lambda case: f"Concern recorded as {case.reference}.",
        context={"title": "Record a concern", "case": None},
    )


def case_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """A case, for its guardian: reading it is kept, and the guardian sees who has read it."""
    page = selectors.case_page(**scope(request), pk=pk)
    services.case_read(case=page.case, by=request.user)
    case = page.case
    forms = {
        "contact_form": ContactForm(),
        "action_form": ActionForm(),
        "consent_form": ConsentForm(initial={"version": case.version, "consent": case.consent}),
        "close_form": CloseForm(initial={"version": case.version}),
        "break_form": BreakForm(),
        "erase_form": EraseForm(),
    }
    return render(request, "ftsu/case_detail.jinja", {"page": page, "case": case, **forms})


def case_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    page = selectors.case_page(**scope(request), pk=pk)
    case = page.case
    initial = {
        "version": case.version,
        **{f: getattr(case, f) for f in services.CATEGORY_FIELDS},
        "name": page.name,
        "contact_details": page.contact_details,
        "concern": page.concern,
    }
    form = CaseForm(request.POST or None, initial=initial)
    fields = [*services.CATEGORY_FIELDS, "concern", "name", "contact_details"]
    return form_page(
        request,
        form,
        template="ftsu/case_form.jinja",
        save=lambda data: services.case_update(
            case=case,
            by=request.user,
            expected_version=data.get("version"),
            changes={f: data[f] for f in fields},
        ),
        success_url=_case_url,
        message="Case saved.",
        context={"title": f"Change {case.reference}", "case": case},
    )


def _case_post(
    request: SignedInRequest,
    pk: int,
    form_class: type[BaseForm],
    service: Callable[..., Any],
    message: str,
    *,
    versioned: bool = False,
) -> HttpResponse:
    """A form posted from the case page, its fields passed to the service under their own names (and the version
    read, for a form that carries one): saved, or the case page shown again with the errors."""
    case = selectors.case_get(**scope(request), pk=pk)  # not found before anything else is said
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        version = {"expected_version": data.get("version")} if versioned else {}
        try:
            service(case=case, by=request.user, **version, **chosen(form_fields(form_class), data))
        except ConcurrentEditError as exc:
            messages.error(request, f"Nothing was saved: {exc}")
            return redirect(_case_url(case))
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, message)
            return redirect(_case_url(case))
    messages.error(
        request, "Nothing was saved: " + " ".join(str(e) for errs in form.errors.values() for e in errs)
    )
    return redirect(_case_url(case))


def case_contact(request: SignedInRequest, pk: int) -> HttpResponse:
    return _case_post(request, pk, ContactForm, services.contact_add, "Added to the journal.")


def case_action(request: SignedInRequest, pk: int) -> HttpResponse:
    return _case_post(request, pk, ActionForm, services.action_add, "Action recorded.")


def case_consent(request: SignedInRequest, pk: int) -> HttpResponse:
    return _case_post(request, pk, ConsentForm, services.consent_set, "Consent recorded.", versioned=True)


def case_close(request: SignedInRequest, pk: int) -> HttpResponse:
    return _case_post(request, pk, CloseForm, services.case_close, "Case closed.", versioned=True)


def case_break(request: SignedInRequest, pk: int) -> HttpResponse:
    return _case_post(
        request,
        pk,
        BreakForm,
        services.confidentiality_break,
        "Confidentiality broken: the reason and who was told are kept with the case.",
    )


def case_erase(request: SignedInRequest, pk: int) -> HttpResponse:
    return _case_post(request, pk, EraseForm, services.case_erase, "Case erased: only its counts are kept.")


def champion_contacts(request: SignedInRequest) -> HttpResponse:
    """A champion's own contacts, and nothing else of the cases."""
    contacts = selectors.contacts_for_champion(**scope(request))
    return render(request, "ftsu/champion.jinja", {"contacts": contacts})


# The anonymous online route: no account -----------------------------------------------------------------------


def _organisation(ods_code: str) -> Organisation:
    return get_object_or_404(Organisation, ods_code=ods_code.upper())


@never_cache
def anonymous_raise(request: HttpRequest, ods_code: str) -> HttpResponse:
    """A worker raises a concern without an account and is shown their case key, once."""
    organisation = _organisation(ods_code)
    form = RaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case, key = services.concern_raise_anonymously(
                organisation=organisation,
                concern=form.cleaned_data["concern"],
                elements=form.cleaned_data["elements"],
                address=client_address(request),
            )
        except PermissionDenied as exc:
            return render(request, "ftsu/anonymous_busy.jinja", {"message": str(exc)}, status=429)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            return render(request, "ftsu/anonymous_key.jinja", {"organisation": organisation, "key": key})
    return render(request, "ftsu/anonymous_raise.jinja", {"organisation": organisation, "form": form})


@never_cache
def anonymous_case(request: HttpRequest, ods_code: str) -> HttpResponse:
    """With the case key alone (posted, never in the address), read the guardian's replies and add a message."""
    organisation = _organisation(ods_code)
    if request.method != "POST":
        return render(request, "ftsu/anonymous_case.jinja", {"organisation": organisation, "form": KeyForm()})
    try:
        services.route_read_allow(address=client_address(request))
    except PermissionDenied as exc:
        return render(request, "ftsu/anonymous_busy.jinja", {"message": str(exc)}, status=429)
    key = request.POST.get("key", "")
    case = selectors.case_for_key(organisation=organisation, key=key)
    if case is None:
        form = KeyForm(request.POST)
        form.is_valid()
        form.add_error("key", "No open case has this key: check it, or raise a new concern.")
        return render(
            request, "ftsu/anonymous_case.jinja", {"organisation": organisation, "form": form}, status=404
        )
    message_form = MessageForm(request.POST if "text" in request.POST else None, initial={"key": key})
    if "text" in request.POST and message_form.is_valid():
        try:
            services.worker_message_add(case=case, text=message_form.cleaned_data["text"])
        except ValidationError as exc:
            errors_apply(message_form, exc)
        else:
            message_form = MessageForm(initial={"key": key})
            messages.success(request, "Your message has been sent to the guardian.")
    context = {
        "organisation": organisation,
        "messages_read": selectors.key_holder_messages(case),
        "message_form": message_form,
        "closed": case.closed_on is not None,
    }
    return render(request, "ftsu/anonymous_messages.jinja", context)


# The quarterly return -----------------------------------------------------------------------------------------


def _return(request: SignedInRequest) -> tuple[Any, Any]:
    """The quarter asked for (the last complete one by default) and its return, suppressed outside the guardian role."""
    require(role(request), Permission.VIEW)
    text = request.GET.get("quarter", "")
    error = ""
    quarter = last_complete_quarter(timezone.localdate())
    if text:
        try:
            quarter = quarter_parse(text)
        except ValueError as exc:
            error = str(exc)
    result = returns.quarter_return(
        **scope(request), quarter=quarter, suppressed=request.GET.get("suppressed") == "1"
    )
    return result, error


def return_page(request: SignedInRequest) -> HttpResponse:
    result, error = _return(request)
    guardian = selectors.is_guardian(**scope(request))
    issued = request.GET.get("issued", "")
    context = {
        "result": result,
        "error": error,
        "guardian": guardian,
        "issued": int(issued) if issued.isdigit() else None,
    }
    return render(request, "ftsu/return.jinja", context)


def return_csv(request: SignedInRequest) -> HttpResponse:
    result, _ = _return(request)
    response = HttpResponse(returns.return_csv(result), content_type="text/csv; charset=utf-8")
    name = f"ftsu-return-{request.organisation.ods_code}-{result.quarter.year}-q{result.quarter.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def return_xlsx(request: SignedInRequest) -> HttpResponse:
    result, _ = _return(request)
    return xlsx_download(
        request, returns.return_xlsx(result), f"ftsu-return-{result.quarter.year}-q{result.quarter.number}"
    )


def return_issue(request: SignedInRequest) -> HttpResponse:
    """A guardian issues the quarter's return (the suppressed copy) as a frozen paper."""
    selectors.guardian_require(**scope(request))
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        quarter = quarter_parse(request.POST.get("quarter", ""))
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("ftsu-return"))
    try:
        issued = services.return_issue(organisation=request.organisation, quarter=quarter, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("ftsu-return"))
    messages.success(request, f"The {quarter.label} return was issued and frozen (the suppressed copy).")
    return redirect(reverse("ftsu-return") + f"?quarter={quarter.label}&issued={issued.pk}")


def _issued_file_response(file: Any) -> HttpResponse:
    """An issued paper's file, byte for byte as frozen, its checksum verified first (not found if it fails)."""
    from wellled.reports.selectors import TamperedError, verified_content

    try:
        content = verified_content(file)
    except TamperedError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def return_issued_file(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """An issued return's file, byte for byte as frozen, its checksum verified first."""
    return _issued_file_response(selectors.issued_return_file(**scope(request), pk=pk, fmt=fmt))


# The board report (ADR 0059) ------------------------------------------------------------------------------------


def _report_form(request: SignedInRequest, **kwargs: Any) -> GuardianReportForm:
    return GuardianReportForm(
        request.POST or None, plans=plans_for_user(**scope(request)).order_by("name"), **kwargs
    )


def _report_values(data: dict[str, Any]) -> dict[str, Any]:
    return {f: data[f] for f in services.REPORT_FIELDS}


def report_list(request: SignedInRequest) -> HttpResponse:
    """The issued board reports, for every member; the guardian's reports in progress, for the guardian only."""
    require(role(request), Permission.VIEW)
    guardian = selectors.is_guardian(**scope(request))
    context = {
        "guardian": guardian,
        "reports": selectors.guardian_reports_for_user(**scope(request)) if guardian else [],
        "issued": selectors.issued_board_reports(**scope(request)),
    }
    return render(request, "ftsu/report_list.jinja", context)


def report_create(request: SignedInRequest) -> HttpResponse:
    selectors.guardian_require(**scope(request))
    form = _report_form(request)
    return form_page(
        request,
        form,
        template="ftsu/report_form.jinja",
        save=lambda data: services.guardian_report_create(
            organisation=request.organisation, by=request.user, **_report_values(data)
        ),
        success_url=lambda report: reverse("ftsu-report-detail", args=[report.pk]),
        message="Report saved. Check it, then issue it to the board.",
        context={"title": "Write a report to the board", "report": None},
    )


def report_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    report = selectors.guardian_report_get(**scope(request), pk=pk)
    return render(
        request, "ftsu/report_detail.jinja", {"report": report, "plan_name": str(report.plan or "")}
    )


def report_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    report = selectors.guardian_report_get(**scope(request), pk=pk)
    initial = {"version": report.version, **{f: getattr(report, f) for f in services.REPORT_FIELDS}}
    form = _report_form(request, initial=initial)
    return form_page(
        request,
        form,
        template="ftsu/report_form.jinja",
        save=lambda data: services.guardian_report_update(
            report=report, by=request.user, expected_version=data.get("version"), **_report_values(data)
        ),
        success_url=lambda saved: reverse("ftsu-report-detail", args=[saved.pk]),
        message="Report saved.",
        context={"title": "Change the report to the board", "report": report},
    )


def report_issue(request: SignedInRequest, pk: int) -> HttpResponse:
    """A guardian issues the report (suppressed counts only) as a frozen paper in PDF and Word."""
    report = selectors.guardian_report_get(**scope(request), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.board_report_issue(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("ftsu-report-detail", args=[pk]))
    messages.success(request, "The report was issued and frozen: every member can read it.")
    return redirect(reverse("ftsu-report-list"))


def board_issued_file(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """An issued board report's file, byte for byte as frozen, its checksum verified first."""
    return _issued_file_response(selectors.issued_board_report_file(**scope(request), pk=pk, fmt=fmt))


# Learning into the plan and the risks (ADR 0059) --------------------------------------------------------------------


def learning(request: SignedInRequest) -> HttpResponse:
    """A guardian raises an improvement action, or points a theme at a risk, carrying no case detail."""
    selectors.guardian_require(**scope(request))
    which = request.POST.get("form", "") if request.method == "POST" else ""
    action_form = LearningActionForm(
        request.POST if which == "action" else None,
        prefix="action",
        plans=plans_for_user(**scope(request)).order_by("name"),
    )
    risk_form = ThemeRiskForm(
        request.POST if which == "risk" else None,
        prefix="risk",
        risks=risks_for_user(**scope(request)).order_by("reference"),
    )
    form: LearningActionForm | ThemeRiskForm | None = None
    save: Any = None
    message = ""
    if which == "action":
        form, message = action_form, "Action added to the plan."
        save = lambda data: services.learning_action_raise(  # noqa: E731
            plan=data["plan"],
            by=request.user,
            reference=data["reference"],
            title=data["title"],
            due_date=data["due_date"],
        )
    elif which == "risk":
        form, message = risk_form, "Theme added to the risk as a gap in assurance."
        save = lambda data: services.theme_to_risk(  # noqa: E731
            risk=data["risk"], by=request.user, description=data["description"]
        )
    if form is not None and save is not None and form.is_valid():
        try:
            save(form.cleaned_data)
        except PermissionDenied:
            form.add_error(
                None, "Your role here does not let you change that plan or register: ask its owner."
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, message)
            return redirect(reverse("ftsu-learning"))
    return render(request, "ftsu/learning.jinja", {"action_form": action_form, "risk_form": risk_form})
