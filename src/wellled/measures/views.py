"""Measure pages: each view checks the role, calls a selector or a service, and renders."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from wellled.core.cells import safe_cell
from wellled.core.formatting import padded_date
from wellled.core.permissions import Permission, require
from wellled.core.selectors import organisation_people
from wellled.core.service_kit import ConcurrentEditError
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
    xlsx_download,
)
from wellled.frameworks.selectors import elements_available
from wellled.plans import selectors as plan_selectors
from wellled.spc.render import render_png, render_svg, text_summary

from . import exports, importers, selectors, services
from .choices import MeasureKind
from .forms import AnnotationForm, LinkForm, MeasureForm, RebaseForm, SurveyForm, UploadForm, ValueForm
from .models import Measure, survey_digest

UPLOAD_SESSION_KEY = "measures_upload"


def _form_choices(request: SignedInRequest, *_: Any) -> dict[str, Any]:
    return {
        "units": list(selectors.measure_units(**scope(request))),
        "people": list(organisation_people(**scope(request))),
        "elements": list(
            elements_available(organisation=request.organisation).order_by("framework__name", "order")
        ),
        "committees": list(selectors.owning_committees(**scope(request))),
    }


def _measure_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """What a measure's form gives its service: the yes-or-no choices as booleans, the code trimmed."""
    return {
        **chosen(form_fields(MeasureForm), data),
        "indicator_code": data["indicator_code"].strip(),
        "run_chart": data.get("run_chart") == "yes",
        "negative_allowed": data.get("negative_allowed") == "yes",
    }


# Lists and the board's summary --------------------------------------------------------------------------------


def _matrix_filters(request) -> selectors.MatrixFilters:
    params = request.GET
    return selectors.MatrixFilters(
        unit=params.get("unit", "")[:12],
        owner=params.get("owner", "")[:12],
        element=params.get("element", "")[:12],
    )


def _filter_context(request) -> dict:
    return {
        "units": list(selectors.measure_units(**scope(request))),
        "people": list(organisation_people(**scope(request))),
        "elements": list(
            elements_available(organisation=request.organisation)
            .filter(pk__in=selectors.measures_for_user(**scope(request)).values("framework_element_id"))
            .order_by("framework__name", "order")
        ),
    }


def _matrix_page(request: SignedInRequest, template: str, **extra: Any) -> HttpResponse:
    """A page of the summary matrix of the measures the filters choose, with the filters' choices."""
    filters = _matrix_filters(request)
    matrix = selectors.summary_matrix(filters=filters, **scope(request))
    context = {"matrix": matrix, "filters": filters, **_filter_context(request), **extra}
    return render(request, template, context)


def measure_list(request: SignedInRequest) -> HttpResponse:
    return _matrix_page(request, "measures/measure_list.jinja")


def measure_summary(request: SignedInRequest) -> HttpResponse:
    return _matrix_page(
        request,
        "measures/summary.jinja",
        variation_names=selectors.VARIATION_NAMES,
        assurance_names=selectors.ASSURANCE_NAMES,
        filtered=any(vars(_matrix_filters(request)).values()),
    )


# One measure --------------------------------------------------------------------------------------------------


def _detail(request, pk, *, rebase_form=None, annotation_form=None, status=200) -> HttpResponse:
    page = selectors.measure_page(pk=pk, **scope(request))
    chart = text = None
    if page.result is not None:
        chart = render_svg(
            page.result,
            title=page.measure.name,
            y_label=page.measure.unit_label or None,
            id_prefix=f"measure-{page.measure.pk}",
        )
        text = text_summary(page.result, title=page.measure.name)
    return render(
        request,
        "measures/measure_detail.jinja",
        {
            "page": page,
            "measure": page.measure,
            "chart": chart,
            "chart_text": text,
            "rebase_form": rebase_form or RebaseForm(),
            "annotation_form": annotation_form or AnnotationForm(),
        },
        status=status,
    )


def measure_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


# A measure is added and edited on one form page, by those who manage plans, and saving leads to its page.
_MEASURE_FORM: dict[str, Any] = {
    "permission": Permission.MANAGE_PLANS,
    "template": "measures/measure_form.jinja",
    "success_url": page_of("measure-detail"),
}

measure_create = CreatePage(
    form=MeasureForm,
    service=services.measure_create,
    changes=_measure_fields,
    initial=lambda _: {"kind": MeasureKind.VALUE, "direction": "increase"},
    form_kwargs=_form_choices,
    title="New measure",
    message=lambda measure: f"Measure “{measure.name}” created. Add its data next.",
    **_MEASURE_FORM,
)

measure_edit = EditPage[Measure](
    get=selectors.measure_get,
    form=MeasureForm,
    service=services.measure_update,
    initial=MeasureForm.yes_no_initial,
    changes=lambda _, data: _measure_fields(data),
    form_kwargs=_form_choices,
    title=lambda measure: f"Edit {measure.name}",
    message="Measure saved.",
    **_MEASURE_FORM,
)


def measure_values(request: SignedInRequest, pk: int) -> HttpResponse:
    """Enter (or correct) one period's figures on the page."""
    measure = selectors.measure_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    form = ValueForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        row = services.ValueRow(
            measure.pk,
            data["period"],
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
        )
        try:
            outcome = services.values_load(
                organisation=request.organisation, by=request.user, rows=[row], source="Entered on the page"
            )[measure.pk]
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            said = (
                "corrected (the earlier figure is kept)"
                if outcome.corrected
                else "unchanged"
                if outcome.unchanged
                else "saved"
            )
            messages.success(request, f"Figures for {padded_date(data['period'])} {said}.")
            return redirect("measure-detail", pk=measure.pk)
    return render(request, "measures/value_form.jinja", {"form": form, "measure": measure})


measure_history = HistoryPage[Measure](
    get=selectors.measure_get,
    back_url=page_of("measure-detail"),
)


def measure_chart_png(request: SignedInRequest, pk: int) -> HttpResponse:
    page = selectors.measure_page(pk=pk, **scope(request))
    if page.result is None:
        return HttpResponse("This measure has no data to chart yet.", status=404, content_type="text/plain")
    png = render_png(page.result, title=page.measure.name, y_label=page.measure.unit_label or None)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{slugify(page.measure.name) or "measure"}.png"'
    return response


def measure_data_csv(request: SignedInRequest, pk: int) -> HttpResponse:
    """The measure's data in the upload layout (so it can be corrected and uploaded again), gaps included."""
    page = selectors.measure_page(pk=pk, **scope(request))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "period", "value", "numerator", "denominator"])
    for row in page.series.rows:
        v = row.stored
        writer.writerow(
            [
                safe_cell(page.measure.name),
                exports.period_text(page.measure, row.period),
                *(
                    "" if v is None or x is None else f"{x:g}"
                    for x in ((v.value, v.numerator, v.denominator) if v else (None, None, None))
                ),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(page.measure.name) or "measure"}.csv"'
    return response


def _chart_mark(
    form_class: type[forms.BaseForm],
    *,
    add: Callable[..., Any],
    message: Callable[[dict[str, Any]], str],
    form_name: str,
) -> Callable[[SignedInRequest, int], HttpResponse]:
    """The POST that adds a rebase or a note to a measure's chart from its form on the measure's page: back to the
    chart, or the page again with the form's errors (under `form_name`)."""

    @require_POST
    def view(request: SignedInRequest, pk: int) -> HttpResponse:
        measure = selectors.measure_get(pk=pk, **scope(request))
        require(role(request), Permission.MANAGE_PLANS)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                add(measure=measure, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                errors_apply(form, exc)
            else:
                messages.success(request, message(form.cleaned_data))
                return redirect(reverse("measure-detail", args=[pk]) + "#chart")
        return _detail(request, pk, status=400, **{form_name: form})

    return view


measure_rebase = _chart_mark(
    RebaseForm,
    add=services.rebase_add,
    message=lambda data: f"Limits recalculated from {padded_date(data['date'])}.",
    form_name="rebase_form",
)


@require_POST
def rebase_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    rebase = selectors.rebase_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    services.rebase_remove(rebase=rebase, by=request.user)
    messages.success(request, f"The rebase from {padded_date(rebase.date)} was removed.")
    return redirect("measure-detail", pk=rebase.measure_id)


measure_annotate = _chart_mark(
    AnnotationForm,
    add=services.annotation_add,
    message=lambda _: "Note added to the chart.",
    form_name="annotation_form",
)


# Uploads ------------------------------------------------------------------------------------------------------


def _upload(request: SignedInRequest, measure=None) -> HttpResponse:
    """Upload a file, see every problem by row and column (nothing saved), or a preview; then Import."""
    require(role(request), Permission.MANAGE_PLANS)
    template = "measures/upload.jinja"
    here = reverse("measure-upload-one", args=[measure.pk]) if measure else reverse("measure-upload")
    context = {"measure": measure, "here": here}
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.get(UPLOAD_SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("confirm") or pending.get("here") != here:
            messages.error(request, "That upload has expired or was replaced. Upload the file again.")
            return redirect(here)
        own = {m.pk for m in selectors.measures_for_user(**scope(request))}
        rows = [services.ValueRow(r[0], _date(r[1]), r[2], r[3], r[4]) for r in pending["rows"]]
        if any(r.measure_id not in own for r in rows):
            messages.error(request, "A measure in that upload is no longer available. Upload the file again.")
            return redirect(here)
        try:
            outcome = services.values_load(
                organisation=request.organisation, by=request.user, rows=rows, source=pending["name"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages) + " Nothing was saved.")
            return redirect(here)
        del request.session[UPLOAD_SESSION_KEY]
        added = sum(o.added for o in outcome.values())
        corrected = sum(o.corrected for o in outcome.values())
        messages.success(
            request,
            f"Imported {pending['name']}: {added} values added and {corrected} corrected "
            f"across {len(outcome)} measure{'s' if len(outcome) != 1 else ''}.",
        )
        return redirect("measure-detail", pk=measure.pk) if measure else redirect("measure-list")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Too big: do not read it; the importer's size check answers with the usual message.
        data = b"x" * (importers.MAX_BYTES + 1) if upload.size > importers.MAX_BYTES else upload.read()
        measures = list(selectors.measures_for_user(**scope(request)))
        parsed = importers.parse_upload(name=upload.name, data=data, measures=measures, only=measure)
        context["parsed"] = parsed
        if parsed.ok:
            token = uuid.uuid4().hex
            request.session[UPLOAD_SESSION_KEY] = {
                "token": token,
                "name": upload.name[:150],
                "here": here,
                "rows": [
                    [
                        r.value.measure_id,
                        r.value.period.isoformat(),
                        r.value.value,
                        r.value.numerator,
                        r.value.denominator,
                    ]
                    for r in parsed.rows
                ],
            }
            context.update(token=token, preview=_preview(request, parsed))
        return render(request, template, {**context, "form": UploadForm()}, status=200 if parsed.ok else 400)
    return render(request, template, {**context, "form": form})


def _date(text):
    import datetime

    return datetime.date.fromisoformat(text)


def _preview(request, parsed: importers.ParsedFile) -> list[importers.MeasureChanges]:
    """Per measure, row by row: the figures the import would add and correct (old and new), how many it leaves
    unchanged, and how many stored periods the file does not mention (kept as they are)."""
    existing = selectors.values_by_period(measure_ids={r.measure.pk for r in parsed.rows}, **scope(request))
    return importers.compare(parsed, existing)


def _values_xlsx(request: SignedInRequest, measures: list, stem: str) -> HttpResponse:
    values = selectors.values_by_period(measure_ids=[m.pk for m in measures], **scope(request))
    return xlsx_download(request, exports.values_workbook(measures, values.values()), stem)


def measure_data_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    """One measure's stored values as an .xlsx in the upload layout: edit it and upload it again."""
    measure = selectors.measure_get(pk=pk, **scope(request))
    return _values_xlsx(request, [measure], f"{slugify(measure.name)[:60] or 'measure'}-values")


def measures_data_xlsx(request: SignedInRequest) -> HttpResponse:
    """Every measure's stored values that the reader may see, as one .xlsx in the upload layout."""
    measures = list(selectors.measures_for_user(**scope(request)))
    return _values_xlsx(request, measures, "measures-values")


def measure_upload(request: SignedInRequest) -> HttpResponse:
    return _upload(request)


def measure_upload_one(request: SignedInRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_get(pk=pk, **scope(request))
    return _upload(request, measure)


# The staff survey ---------------------------------------------------------------------------------------------


def _survey_initial(years: dict[int, list], year: int | None) -> dict[str, Any]:
    """The form as the year's stored scores stand, with what was seen (to refuse saving over a later entry)."""
    scores = years.get(year, []) if year is not None else []
    initial: dict[str, Any] = {"year": year, "seen": f"{year}|{survey_digest(scores)}" if year else ""}
    for s in scores:
        initial.update(
            {
                f"{s.element}_score": s.score,
                f"{s.element}_median": s.benchmark_median,
                f"{s.element}_best": s.benchmark_best,
                f"{s.element}_worst": s.benchmark_worst,
            }
        )
    return initial


def _seen_for(seen: str, year: int) -> str:
    """The digest the form saw for `year`: a year other than the one shown is expected to hold nothing yet."""
    shown_year, _, digest = seen.partition("|")
    return digest if shown_year == str(year) else ""


def _survey_page(request, measure, *, form=None, upload=None, parsed=None, status=200) -> HttpResponse:
    years = selectors.survey_years(measure)
    if form is None:
        asked = request.GET.get("year", "")
        year = int(asked) if re.fullmatch(r"[0-9]{4}", asked) else next(iter(years), None)
        form = SurveyForm(initial=_survey_initial(years, year))
    context = {
        "measure": measure,
        "problem": services.survey_problem(measure),
        "years": years,
        "form": form,
        "upload_form": upload or UploadForm(),
        "parsed": parsed,
    }
    return render(request, "measures/survey_form.jinja", context, status=status)


def measure_survey(request: SignedInRequest, pk: int) -> HttpResponse:
    """Enter or correct a staff survey year: each element's score against the benchmark group's median, best and
    worst (NHS Staff Survey), filed under the survey's calendar year."""
    measure = selectors.measure_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    if request.method != "POST":
        return _survey_page(request, measure)
    form = SurveyForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            services.survey_scores_record(
                measure=measure,
                by=request.user,
                year=year,
                rows=form.cleaned_data["rows"],
                seen=_seen_for(form.cleaned_data["seen"], year),
            )
        except ConcurrentEditError as exc:
            # The form now carries what is stored: saving again, having been told, is a deliberate choice.
            form.data = data = cast(Any, form.data).copy()
            data["seen"] = f"{year}|{survey_digest(selectors.survey_years(measure).get(year, []))}"
            form.add_error(None, str(exc))
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, f"The {year} staff survey's scores are saved.")
            return redirect(reverse("measure-detail", args=[pk]) + "#survey")
    return _survey_page(request, measure, form=form, status=400)


@require_POST
def measure_survey_upload(request: SignedInRequest, pk: int) -> HttpResponse:
    """Import staff survey results from a spreadsheet: every row right, or nothing saved and each problem named by
    its row and column."""
    measure = selectors.measure_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    upload = UploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _survey_page(request, measure, upload=upload, status=400)
    file = upload.cleaned_data["file"]
    data = b"x" * (importers.MAX_BYTES + 1) if file.size > importers.MAX_BYTES else file.read()
    parsed = importers.parse_survey_upload(name=file.name[:150], data=data)
    if parsed.ok:
        try:
            saved = services.survey_years_record(measure=measure, by=request.user, years=parsed.years)
        except ValidationError as exc:
            parsed.add_error(None, None, " ".join(exc.messages))
        else:
            said = ", ".join(f"the {year} survey ({len(rows)} scores)" for year, rows in saved.items())
            messages.success(request, f"Imported {parsed.name}: {said}.")
            return redirect(reverse("measure-detail", args=[pk]) + "#survey")
    return _survey_page(request, measure, parsed=parsed, status=400)


def measure_survey_xlsx(request: SignedInRequest, pk: int) -> HttpResponse:
    """A measure's staff survey results as an .xlsx in the import's layout, each row labelled by its survey year."""
    measure = selectors.measure_get(pk=pk, **scope(request))
    content = exports.survey_workbook(selectors.survey_years(measure))
    return xlsx_download(request, content, f"{slugify(measure.name)[:60] or 'measure'}-staff-survey")


# Success measures ---------------------------------------------------------------------------------------------


def action_measure_link(request: SignedInRequest, pk: int) -> HttpResponse:
    """Link an action's success measure to a measure and a target (or remove the link)."""
    action = plan_selectors.action_get(pk=pk, **scope(request))
    require(role(request), Permission.MANAGE_PLANS)
    link = selectors.link_get(action=action, **scope(request))
    measures = list(selectors.measures_for_user(**scope(request)))
    if request.method == "POST" and request.POST.get("remove"):
        services.success_measure_unlink(action=action, by=request.user)
        messages.success(
            request, f"The success measure of {action.reference} is no longer linked to a measure."
        )
        return redirect("action-detail", pk=action.pk)
    initial = (
        {
            "measure": link.measure_id,
            "target": link.target,
            "met_when": link.met_when,
            "version": link.version,
        }
        if link
        else {"met_when": "direction"}
    )
    form = LinkForm(request.POST or None, initial=initial, measures=measures)
    by_pk = {m.pk: m for m in measures}
    return form_page(
        request,
        form,
        template="measures/link_form.jinja",
        context={"action": action, "link": link, "plan": action.plan},
        save=lambda data: services.success_measure_link(
            action=action,
            by=request.user,
            measure=by_pk[data["measure"]],  # the form offers only these
            target=data["target"],
            met_when=data["met_when"],
            expected_version=data["version"],
        ),
        message=lambda saved: f"{action.reference}'s success measure is linked to {saved.measure.name}.",
        success_url=reverse("action-detail", args=[action.pk]),
    )
