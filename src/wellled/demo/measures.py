"""Demo step: the demo trust's measures, their figures, rebases, notes and success-measure links (content in
`data/measures.yaml`). The figures are seeded random numbers, so every load draws the same series."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from django.db import transaction

from wellled.core.access import current_members
from wellled.core.models import OrganisationUnit
from wellled.frameworks.models import FrameworkElement
from wellled.measures import services
from wellled.measures.choices import Frequency, MeasureKind, MetWhen, YearStart
from wellled.measures.models import Measure

from .loader import DemoDates, Writer, data, say_to
from .plans import PLANS, demo_plan, demo_trust

MEASURES: list[dict[str, Any]] = data("measures.yaml")["measures"]
SETTINGS: dict[str, Any] = data("measures.yaml")


def _months(dates: DemoDates) -> list[datetime.date]:
    """The first day of every month with a figure, oldest first."""
    return [dates.date(f"{SETTINGS['first_month']}+{i}m") for i in range(SETTINGS["months"])]


def _series(
    spec: dict[str, Any], months: list[datetime.date], rng: np.random.Generator
) -> list[services.ValueRow]:
    level = np.empty(len(months))
    for start, value in spec["levels"]:
        level[start:] = value
    missing = set(spec.get("missing", ()))
    rows = []
    for i, period in enumerate(months):
        if i in missing:
            rows.append(services.ValueRow(0, period))
        elif spec["kind"] == MeasureKind.COUNT:
            rows.append(services.ValueRow(0, period, value=float(rng.poisson(level[i]))))
        elif spec["kind"] == MeasureKind.VALUE:
            noise = spec.get("noise", 0)
            rows.append(services.ValueRow(0, period, value=round(float(level[i] + rng.normal(0, noise)), 2)))
        else:
            mean, spread = spec["denominator"]
            den = max(1, int(rng.normal(mean, spread)))
            if spec["kind"] == MeasureKind.PROPORTION:
                num = int(rng.binomial(den, min(max(level[i], 0), 1)))
            else:
                num = int(rng.poisson(level[i] * den))
            rows.append(services.ValueRow(0, period, numerator=float(num), denominator=float(den)))
    return rows


def _latest_survey_year(today: datetime.date) -> int:
    """The latest NHS Staff Survey with published results: fieldwork in the autumn, results the next March."""
    return today.year - 1 if today.month >= 3 else today.year - 2


def _survey_load(
    measure: Measure, spec: dict[str, Any], by, today: datetime.date, at: datetime.datetime
) -> None:
    """A staff survey measure's yearly figures (calendar years) and its latest year against the benchmark group."""
    latest = _latest_survey_year(today)
    yearly = spec["yearly"]
    rows = [
        services.ValueRow(measure.pk, datetime.date(latest - len(yearly) + 1 + i, 1, 1), value=v)
        for i, v in enumerate(yearly)
    ]
    services.values_load(
        organisation=measure.organisation, by=by, rows=rows, source="staff-survey-benchmark.csv", at=at
    )
    scores = [
        services.SurveyScoreRow(element, score, median, best, worst)
        for element, (score, worst, median, best) in spec["latest"].items()
    ]
    services.survey_scores_record(measure=measure, by=by, year=latest, rows=scores)


def measures_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Create the demo measures, their data, rebases, notes and success-measure links once; returns how many."""
    say = say_to(stdout)
    organisation = demo_trust(say, missing="no demo measures added")
    if organisation is None:
        return 0
    if Measure.objects.filter(organisation=organisation, name=MEASURES[0]["name"]).exists():
        say("Demo measures are already loaded; nothing changed.")
        return 0
    dates = dates or DemoDates()
    people = {u.username: u for u in current_members(organisation=organisation)}
    analyst = people.get(SETTINGS["analyst"])
    units = {u.name: u for u in OrganisationUnit.objects.filter(organisation=organisation)}
    framework_key = PLANS["plans"][0]["framework"]
    elements = {
        e.code: e
        for e in FrameworkElement.objects.filter(
            framework__key=framework_key, framework__organisation__isnull=True
        )
    }
    plan = demo_plan()
    actions = {a.reference: a for a in plan.actions.all()} if plan else {}
    months = _months(dates)
    rng = np.random.default_rng(SETTINGS["seed"])
    loaded_on = min(dates.date(SETTINGS["loaded_on"]), dates.today - datetime.timedelta(days=1))
    loaded_at = dates.moment(loaded_on, hour=9)
    with transaction.atomic():
        for spec in MEASURES:
            measure = services.measure_create(
                organisation=organisation,
                by=analyst,
                name=spec["name"],
                definition=spec["definition"],
                kind=spec["kind"],
                direction=spec["direction"],
                target=spec.get("target"),
                owner=people.get(spec["owner"]),
                framework_element=elements.get(spec["element"]),
                unit=units.get(spec["unit"]) if spec.get("unit") else None,
                unit_of_measurement=spec.get("unit_of_measurement", ""),
                frequency=spec.get("frequency", Frequency.MONTHLY),
                year_start=spec.get("year_start", YearStart.FINANCIAL),
                rate_per=spec.get("rate_per", 1000),
                data_source=spec.get("data_source", ""),
                trajectory=[
                    {"date": months[i].isoformat(), "value": v} for i, v in spec.get("trajectory", ())
                ],
            )
            if "survey" in spec:
                _survey_load(measure, spec["survey"], analyst, dates.today, loaded_at)
                continue
            rows = [
                services.ValueRow(measure.pk, r.period, r.value, r.numerator, r.denominator)
                for r in _series(spec, months, rng)
            ]
            services.values_load(
                organisation=organisation, by=analyst, rows=rows, source="demo-data.csv", at=loaded_at
            )
            if spec.get("rebase"):
                month = months[spec["rebase"]["month"]]
                services.rebase_add(
                    measure=measure,
                    by=analyst,
                    date=month,
                    reason=dates.text(spec["rebase"]["reason"], month=month),
                )
            for note in spec.get("notes", ()):
                month = months[note["month"]]
                services.annotation_add(
                    measure=measure, by=analyst, date=month, text=dates.text(note["text"], month=month)
                )
            link = spec.get("success_measure_of")
            if link and link["action"] in actions:
                services.success_measure_link(
                    action=actions[link["action"]],
                    by=analyst,
                    measure=measure,
                    target=link["target"],
                    met_when=MetWhen.DIRECTION,
                )
        recount = SETTINGS["recount"]
        measure = Measure.objects.get(organisation=organisation, name=recount["measure"])
        last = measure.values.exclude(value__isnull=True).order_by("-period").first()
        if last is None:
            raise ValueError(f"The demo measure to re-count, {recount['measure']}, has no figures.")
        services.values_load(
            organisation=organisation,
            by=analyst,
            source=recount["source"],
            rows=[services.ValueRow(measure.pk, last.period, value=(last.value or 0) + recount["add"])],
        )
    say(f"Demo measures loaded: {len(MEASURES)} measures with {len(months)} months of figures.")
    return len(MEASURES)
