"""Demo measures for the fictional Northmoor trust: three years of synthetic monthly figures, some with a real
shift after an action (rebased and annotated), one showing concern, and four actions' success measures linked.

`measures_demo_load()` is idempotent: once the demo measures exist, it changes nothing. The figures are made up
(seeded random numbers), written to look like what a trust's board would see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TextIO

import numpy as np
from django.db import transaction
from django.utils import timezone

from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.frameworks.models import FrameworkElement
from wellled.plans.demo import DEMO_ODS_CODE, SELF_REVIEW_PLAN, WELL_LED_FRAMEWORK_KEY
from wellled.plans.models import Action

from . import services
from .choices import Direction, MeasureKind, MetWhen
from .models import Measure

FIRST_MONTH = datetime.date(2023, 11, 1)
MONTHS = 36  # November 2023 to October 2026: up to the month before the demo board meets
ANALYST = "grace.mcallister"  # the demo trust's governance editor loads the data


def _month(i: int) -> datetime.date:
    total = FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + i
    return datetime.date(total // 12, total % 12 + 1, 1)


@dataclass(frozen=True)
class DemoMeasure:
    name: str
    definition: str
    kind: str
    direction: str
    owner: str
    element: str
    levels: tuple[tuple[int, float], ...]  # (from month index, level): the underlying level changes
    noise: float
    target: float | None = None
    unit_of_measurement: str = ""
    unit: str | None = None
    denominator: tuple[int, int] | None = None  # (mean, spread) of the denominator, for proportions and rates
    rate_per: int = 1000
    data_source: str = ""
    rebase: tuple[int, str] | None = None  # (month index, reason)
    notes: tuple[tuple[int, str], ...] = ()
    missing: tuple[int, ...] = ()
    link: tuple[str, float] | None = None  # (action reference, target)
    trajectory: tuple[tuple[int, float], ...] = field(default=())


MEASURES: tuple[DemoMeasure, ...] = (
    DemoMeasure(
        "Managers starting coaching each month",
        "Ward and department managers who started a coaching or mentoring programme in the month.",
        MeasureKind.COUNT,
        Direction.INCREASE,
        "ruth.danso",
        "W1",
        levels=((0, 4.0), (26, 13.0)),
        noise=0,
        target=12,
        unit_of_measurement="managers",
        data_source="Learning management system, monthly extract",
        rebase=(26, "The coaching programme for ward managers opened in January 2025"),
        notes=((26, "Coaching programme opened"),),
        link=("W1a", 12),
    ),
    DemoMeasure(
        "Pulse survey response rate",
        "Staff who answered the monthly pulse survey, out of staff invited.",
        MeasureKind.PROPORTION,
        Direction.INCREASE,
        "ruth.danso",
        "W3",
        levels=((0, 0.27), (29, 0.37)),
        noise=0,
        target=40,
        denominator=(1150, 40),
        data_source="Pulse survey platform",
        rebase=(29, "Protected time to answer the survey, from April 2025"),
        notes=((29, "Protected time and paper copies"),),
        missing=(18,),
        link=("W3b", 40),
        trajectory=((30, 35.0), (35, 40.0)),
    ),
    DemoMeasure(
        "Staff engagement score",
        "Mean engagement score (0 to 10) from the quarterly people pulse, carried monthly by rolling sample.",
        MeasureKind.VALUE,
        Direction.INCREASE,
        "ruth.danso",
        "W3",
        levels=((0, 6.8),),
        noise=0.12,
        target=7.0,
        unit_of_measurement="score out of 10",
        data_source="People pulse survey",
    ),
    DemoMeasure(
        "Overdue risk reviews",
        "Risks on the register whose review date has passed, on the last day of the month.",
        MeasureKind.VALUE,
        Direction.DECREASE,
        "tomasz.nowak",
        "W5",
        levels=((0, 312.0), (28, 238.0)),
        noise=14,
        target=186,
        unit_of_measurement="reviews",
        data_source="Risk management system",
        notes=((28, "Weekly risk review clinics start"),),
        link=("W5b", 186),
    ),
    DemoMeasure(
        "Friends and Family Test response rate (inpatients)",
        "Inpatients discharged in the month who answered the Friends and Family Test.",
        MeasureKind.PROPORTION,
        Direction.INCREASE,
        "anjali.kaur",
        "W4",
        levels=((0, 0.24),),
        noise=0,
        target=25,
        denominator=(3900, 150),
        data_source="FFT provider monthly file",
        missing=(7,),
    ),
    DemoMeasure(
        "Speak up concerns acknowledged within 2 days",
        "Concerns raised with the Freedom to Speak Up guardians that were acknowledged within 2 working days.",
        MeasureKind.PROPORTION,
        Direction.INCREASE,
        "ruth.danso",
        "W3",
        levels=((0, 0.90), (27, 0.72)),
        noise=0,
        target=90,
        denominator=(38, 6),
        data_source="Guardian case log",
        notes=((27, "Second guardian post vacant"),),
        link=("W3c", 90),
    ),
    DemoMeasure(
        "Appraisal completion",
        "Staff with an appraisal in the last 12 months, out of staff in post.",
        MeasureKind.PROPORTION,
        Direction.INCREASE,
        "ruth.danso",
        "W1",
        levels=((0, 0.91),),
        noise=0,
        target=85,
        denominator=(6200, 60),
        data_source="Electronic staff record",
    ),
    DemoMeasure(
        "Mandatory training compliance",
        "Staff up to date with every mandatory training module, out of staff in post.",
        MeasureKind.PROPORTION,
        Direction.INCREASE,
        "ruth.danso",
        "W1",
        levels=((0, 0.83),),
        noise=0,
        target=95,
        denominator=(6200, 60),
        data_source="Learning management system",
    ),
    DemoMeasure(
        "Sickness absence",
        "Full-time-equivalent days lost to sickness, out of days available.",
        MeasureKind.PROPORTION,
        Direction.DECREASE,
        "ruth.danso",
        "W3",
        levels=((0, 0.052),),
        noise=0,
        target=4.5,
        denominator=(130000, 1500),
        data_source="Electronic staff record",
    ),
    DemoMeasure(
        "Patient safety incidents reported per 1,000 bed days",
        "Incidents reported on the incident system per 1,000 occupied bed days (higher reporting is a good sign).",
        MeasureKind.RATE,
        Direction.INCREASE,
        "anjali.kaur",
        "W4",
        unit="Emergency Medicine",
        levels=((0, 0.041),),
        noise=0,
        denominator=(21000, 800),
        data_source="Incident reporting system",
    ),
    DemoMeasure(
        "Structured judgement reviews completed on time",
        "Deaths needing a structured judgement review where it was completed within 8 weeks.",
        MeasureKind.PROPORTION,
        Direction.INCREASE,
        "ebere.nwosu",
        "W8",
        levels=((0, 0.62), (22, 0.81)),
        noise=0,
        target=80,
        denominator=(45, 6),
        data_source="Mortality database",
    ),
    DemoMeasure(
        "Days to fill a vacancy",
        "Mean days from a post being approved to an offer accepted, for posts filled in the month.",
        MeasureKind.VALUE,
        Direction.DECREASE,
        "ruth.danso",
        "W6",
        unit="Older People's Medicine",
        levels=((0, 64.0), (28, 73.0)),
        noise=4,
        target=55,
        unit_of_measurement="days",
        data_source="Recruitment system",
    ),
)


def _series(spec: DemoMeasure, rng: np.random.Generator) -> list[services.ValueRow]:
    level = np.empty(MONTHS)
    for start, value in spec.levels:
        level[start:] = value
    rows = []
    for i in range(MONTHS):
        period = _month(i)
        if i in spec.missing:
            rows.append(services.ValueRow(0, period))
            continue
        if spec.kind == MeasureKind.COUNT:
            rows.append(services.ValueRow(0, period, value=float(rng.poisson(level[i]))))
        elif spec.kind == MeasureKind.VALUE:
            rows.append(
                services.ValueRow(0, period, value=round(float(level[i] + rng.normal(0, spec.noise)), 2))
            )
        else:
            mean, spread = spec.denominator
            den = max(1, int(rng.normal(mean, spread)))
            if spec.kind == MeasureKind.PROPORTION:
                num = int(rng.binomial(den, min(max(level[i], 0), 1)))
            else:
                num = int(rng.poisson(level[i] * den))
            rows.append(services.ValueRow(0, period, numerator=float(num), denominator=float(den)))
    return rows


def measures_demo_load(*, stdout: TextIO | None = None) -> int:
    """Create the demo measures, their data, rebases, notes and success-measure links once; returns how many."""
    say = (lambda text: stdout.write(text + "\n")) if stdout is not None else (lambda text: None)
    organisation = Organisation.objects.filter(ods_code=DEMO_ODS_CODE).first()
    if organisation is None:
        say("The demo trust is not loaded; no demo measures added.")
        return 0
    if Measure.objects.filter(organisation=organisation, name=MEASURES[0].name).exists():
        say("Demo measures are already loaded; nothing changed.")
        return 0
    people = {u.username: u for u in User.objects.filter(memberships__organisation=organisation)}
    analyst = people.get(ANALYST)
    units = {u.name: u for u in OrganisationUnit.objects.filter(organisation=organisation)}
    elements = {
        e.code: e
        for e in FrameworkElement.objects.filter(
            framework__key=WELL_LED_FRAMEWORK_KEY, framework__organisation__isnull=True
        )
    }
    actions = {
        a.reference: a
        for a in Action.objects.filter(plan__organisation=organisation, plan__name=SELF_REVIEW_PLAN)
    }
    rng = np.random.default_rng(20251101)
    loaded_at = timezone.make_aware(datetime.datetime(2026, 11, 5, 9))  # after the last month, October 2026
    with transaction.atomic():
        for spec in MEASURES:
            measure = services.measure_create(
                organisation=organisation,
                by=analyst,
                name=spec.name,
                definition=spec.definition,
                kind=spec.kind,
                direction=spec.direction,
                target=spec.target,
                owner=people.get(spec.owner),
                framework_element=elements.get(spec.element),
                unit=units.get(spec.unit) if spec.unit else None,
                unit_of_measurement=spec.unit_of_measurement,
                rate_per=spec.rate_per,
                data_source=spec.data_source,
                trajectory=[{"date": _month(i).isoformat(), "value": v} for i, v in spec.trajectory],
            )
            rows = [
                services.ValueRow(measure.pk, r.period, r.value, r.numerator, r.denominator)
                for r in _series(spec, rng)
            ]
            services.values_load(
                organisation=organisation, by=analyst, rows=rows, source="demo-data.csv", at=loaded_at
            )
            if spec.rebase:
                services.rebase_add(
                    measure=measure, by=analyst, date=_month(spec.rebase[0]), reason=spec.rebase[1]
                )
            for index, text in spec.notes:
                services.annotation_add(measure=measure, by=analyst, date=_month(index), text=text)
            if spec.link and spec.link[0] in actions:
                services.success_measure_link(
                    action=actions[spec.link[0]],
                    by=analyst,
                    measure=measure,
                    target=spec.link[1],
                    met_when=MetWhen.DIRECTION,
                )
        # One correction, so the demo shows a value's history: October's overdue reviews were re-counted.
        overdue = Measure.objects.get(organisation=organisation, name="Overdue risk reviews")
        last = overdue.values.order_by("-period").first()
        services.values_load(
            organisation=organisation,
            by=analyst,
            source="risk-reviews-recount.csv",
            rows=[services.ValueRow(overdue.pk, last.period, value=(last.value or 0) + 7)],
        )
    say(f"Demo measures loaded: {len(MEASURES)} measures with {MONTHS} months of figures.")
    return len(MEASURES)
