"""Writes for measures: each checks the role, validates, saves and writes its audit record in one transaction.

Who may change measures: governance editors and administrators (the `manage_plans` permission). They are the
"analysts" of the Making Data Count guidance: they load data, rebase charts and link success measures. Leads and
viewers read. `by=None` is the command line (`wellled measures load` without --as-user), recorded as "System".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wellled.core.audit import audit_record, snapshot
from wellled.core.choices import AuditAction
from wellled.core.formatting import day_text
from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission
from wellled.core.service_kit import (
    ConcurrentEditError,
    fields_update,
    permission_require,
    record_change,
    record_create,
    record_delete,
    version_check,
)

from .choices import CALENDAR_YEAR, SURVEY_ELEMENTS, Frequency, MeasureKind, MetWhen
from .models import (
    Annotation,
    Measure,
    MeasureCommentary,
    MeasureValue,
    MeasureValueRevision,
    Rebase,
    SuccessMeasureLink,
    SurveyScore,
    survey_digest,
)
from .periods import future_period_problem, normalise_period
from .summaries import stored_refresh

MEASURE_FIELDS = frozenset(
    {
        "name",
        "definition",
        "unit_of_measurement",
        "direction",
        "target",
        "trajectory",
        "frequency",
        "year_start",
        "owner",
        "data_source",
        "indicator_code",
        "kind",
        "rate_per",
        "run_chart",
        "negative_allowed",
        "framework_element",
        "unit",
        "committee",
    }
)
# The fields a measure's SPC summary depends on: changing one refreshes the stored summary.
SPC_FIELDS = frozenset({"direction", "target", "frequency", "year_start", "kind", "rate_per", "run_chart"})


def _analyst_require(
    by: User | None, organisation_id: int, permission: Permission = Permission.MANAGE_PLANS
) -> None:
    """Governance editors and administrators only (or the narrower `permission` another app's service was given);
    None is the command line run on the server."""
    if by is not None:
        permission_require(user=by, organisation_id=organisation_id, permission=permission)


def _actor(by: User | None) -> User | None:
    return by if by is not None and by.pk else None


def _check_trajectory(trajectory) -> list[dict]:
    clean = []
    for item in trajectory or []:
        try:
            day = datetime.date.fromisoformat(str(item["date"]))
            value = float(item["value"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                {"trajectory": "Each trajectory point needs a date and a number."}
            ) from None
        clean.append({"date": day.isoformat(), "value": value})
    return sorted(clean, key=lambda p: p["date"])


# Measures -----------------------------------------------------------------------------------------------------


@transaction.atomic
def measure_create(
    *,
    organisation: Organisation,
    by: User | None,
    name: str,
    permission: Permission = Permission.MANAGE_PLANS,
    **fields,
) -> Measure:
    """Define a measure for the organisation (or one of its directorates).

    `permission` is for another app's service whose own rule allows it (a ward audit creates its ward's measure)."""
    _analyst_require(by, organisation.pk, permission)
    unknown = set(fields) - MEASURE_FIELDS
    if unknown:
        raise ValueError(f"measure_create cannot set {', '.join(sorted(unknown))}.")
    fields["trajectory"] = _check_trajectory(fields.get("trajectory"))
    if Measure.objects.filter(organisation=organisation, name__iexact=name.strip()).exists():
        raise ValidationError({"name": "Your organisation already has a measure with this name."})
    measure = Measure(organisation=organisation, name=name.strip(), **fields)
    record_create(instance=measure, by=_actor(by), organisation=organisation, permission=None)
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, by: User | None, expected_version: int | None, **fields) -> Measure:
    """Change a measure's definition, target, owner and so on; its kind cannot change once it has values."""
    _analyst_require(by, measure.organisation_id)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    if "trajectory" in fields:
        fields["trajectory"] = _check_trajectory(fields["trajectory"])
    updated = fields_update(
        instance=measure,
        by=_actor(by),
        organisation=measure.organisation,
        permission=None,  # checked above: the command line (by=None) may load measures
        expected_version=expected_version,
        allowed=MEASURE_FIELDS,
        changes=fields,
        check=_measure_change_check,
    )
    if SPC_FIELDS & set(fields):
        stored_refresh([measure.pk])
    return updated


def _measure_change_check(measure: Measure, fields) -> None:
    """The kind stays once there are values; a name names one measure in the organisation."""
    if "kind" in fields and fields["kind"] != measure.kind and measure.values.exists():
        raise ValidationError(
            {"kind": "The kind cannot change once the measure has values: define a new measure."}
        )
    if "name" in fields:
        clash = Measure.objects.filter(organisation_id=measure.organisation_id, name__iexact=fields["name"])
        if clash.exclude(pk=measure.pk).exists():
            raise ValidationError({"name": "Your organisation already has a measure with this name."})


# Values -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRow:
    """One period's figures for one measure, already checked (by the importer or the entry form)."""

    measure_id: int
    period: datetime.date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None


@dataclass
class ValuesOutcome:
    """What a load did, per measure: added, corrected (old value kept), unchanged."""

    added: int = 0
    corrected: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.added + self.corrected + self.unchanged


FIGURES = ("value", "numerator", "denominator")


def _figures(obj) -> tuple[float | None, float | None, float | None]:
    return (obj.value, obj.numerator, obj.denominator)


def _figures_named(obj) -> dict[str, float | None]:
    """A row's figures by name, to copy into a stored value or a revision."""
    return {name: getattr(obj, name) for name in FIGURES}


def _check_row(measure: Measure, row: ValueRow) -> None:
    if measure.has_denominator:
        if row.value is not None:
            raise ValidationError(f"{measure.name}: enter a numerator and a denominator, not a value.")
        if row.denominator is not None and row.denominator <= 0:
            raise ValidationError(f"{measure.name}: the denominator must be more than 0.")
        if (row.numerator is None) != (row.denominator is None):
            raise ValidationError(
                f"{measure.name}: enter both the numerator and the denominator, or neither."
            )
        if row.numerator is not None and row.numerator < 0:
            raise ValidationError(f"{measure.name}: the numerator cannot be negative.")
        if (
            measure.kind == MeasureKind.PROPORTION
            and row.numerator is not None
            and row.denominator is not None
            and row.numerator > row.denominator
        ):
            raise ValidationError(f"{measure.name}: the numerator cannot be more than the denominator.")
    else:
        if row.numerator is not None or row.denominator is not None:
            raise ValidationError(f"{measure.name}: enter a value, not a numerator and denominator.")
        if row.value is not None and row.value < 0 and not measure.allows_negative:
            raise ValidationError(f"{measure.name}: {measure.negative_refusal()}")


@transaction.atomic
def values_load(
    *,
    organisation: Organisation,
    by: User | None,
    rows: Iterable[ValueRow],
    source: str,
    at: datetime.datetime | None = None,
    permission: Permission = Permission.MANAGE_PLANS,
) -> dict[int, ValuesOutcome]:
    """Save many values of one or more measures, all or nothing; a changed value keeps the old one as a revision.

    Every row's measure must belong to `organisation`. One audit record per measure touched says what changed, and
    each correction has its own audit record with the value before and after. `permission` as for measure_create.
    """
    _analyst_require(by, organisation.pk, permission)
    rows = list(rows)
    at = at or timezone.now()
    actor = _actor(by)
    measures = {
        m.pk: m
        for m in Measure.objects.select_for_update().filter(
            organisation=organisation, pk__in={r.measure_id for r in rows}
        )
    }
    if len(measures) != len({r.measure_id for r in rows}):
        raise ValidationError("A row names a measure that is not your organisation's.")
    existing = {
        (v.measure_id, v.period): v
        for v in MeasureValue.objects.select_for_update().filter(measure_id__in=measures)
    }
    outcome: dict[int, ValuesOutcome] = {pk: ValuesOutcome() for pk in measures}
    seen: set[tuple[int, datetime.date]] = set()
    new_values: list[MeasureValue] = []
    for row in rows:
        measure = measures[row.measure_id]
        _check_row(measure, row)
        period = normalise_period(row.period, measure.period_kind)
        if problem := future_period_problem(period, measure.period_kind, timezone.localdate(at)):
            raise ValidationError(f"{measure.name}: {problem}")
        key = (measure.pk, period)
        if key in seen:
            raise ValidationError(f"{measure.name}: {day_text(period)} appears twice.")
        seen.add(key)
        current = existing.get(key)
        figures = (row.value, row.numerator, row.denominator)
        stamped = {**_figures_named(row), "updated_at": at, "updated_by": actor, "source": source[:200]}
        if current is None:
            new_values.append(MeasureValue(measure=measure, period=period, **stamped))
            outcome[measure.pk].added += 1
        elif _figures(current) == figures:
            outcome[measure.pk].unchanged += 1
        else:
            MeasureValueRevision.objects.create(
                measure_value=current,
                **_figures_named(current),
                recorded_at=current.updated_at,
                recorded_by=current.updated_by,
                source=current.source,
                replaced_at=at,
                replaced_by=actor,
                replaced_source=source[:200],
            )
            note = f"Value corrected from {source}"[:300]
            record_change(current, stamped, by=actor, organisation=organisation, note=note, versioned=False)
            outcome[measure.pk].corrected += 1
    MeasureValue.objects.bulk_create(new_values, batch_size=1000)
    stored_refresh(pk for pk, result in outcome.items() if result.added or result.corrected)
    for pk, result in outcome.items():
        if result.added or result.corrected:
            measure = measures[pk]
            audit_record(
                by=actor,
                organisation=organisation,
                action=AuditAction.UPDATE,
                instance=measure,
                before=snapshot(measure),
                note=f"Values from {source}: {result.added} added, {result.corrected} corrected"[:300],
            )
    return outcome


@transaction.atomic
def spc_summaries_refresh(
    *, organisation: Organisation, by: User | None, measure_ids: Iterable[int] | None = None
) -> int:
    """Store the SPC summaries of the organisation's measures (those in `measure_ids`, or all) again: for figures
    written in bulk without values_load (the scale demo). Derived figures only, so no audit record of its own."""
    _analyst_require(by, organisation.pk)
    measures = Measure.objects.filter(organisation=organisation)
    if measure_ids is not None:
        measures = measures.filter(pk__in=list(measure_ids))
    return stored_refresh(measures.values_list("pk", flat=True))


# Rebases and annotations --------------------------------------------------------------------------------------


@transaction.atomic
def rebase_add(*, measure: Measure, by: User | None, date: datetime.date, reason: str) -> Rebase:
    """Recalculate the chart's limits from a date (a real change in the process), with the reason."""
    _analyst_require(by, measure.organisation_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter the reason for recalculating the limits"})
    period = normalise_period(date, measure.period_kind)
    if Rebase.objects.filter(measure=measure, date=period).exists():
        raise ValidationError({"date": "The limits are already recalculated from this date"})
    rebase = Rebase(measure=measure, date=period, reason=reason.strip(), created_by=_actor(by))
    record_create(
        instance=rebase,
        by=_actor(by),
        organisation=measure.organisation,
        permission=None,  # the analyst check above
        note=f"Rebase: {reason.strip()}"[:300],
    )
    stored_refresh([measure.pk])
    return rebase


@transaction.atomic
def rebase_remove(*, rebase: Rebase, by: User | None) -> None:
    """Take a rebase away (the audit log keeps it and its reason)."""
    _analyst_require(by, rebase.measure.organisation_id)
    measure_id = rebase.measure_id
    record_delete(rebase, by=_actor(by), organisation=rebase.measure.organisation)
    stored_refresh([measure_id])


@transaction.atomic
def annotation_add(
    *,
    measure: Measure,
    by: User | None,
    date: datetime.date,
    text: str,
    permission: Permission = Permission.MANAGE_PLANS,
) -> Annotation:
    """Note something on the chart at a date, e.g. when an intervention began (`permission` as for measure_create)."""
    _analyst_require(by, measure.organisation_id, permission)
    if not (text or "").strip():
        raise ValidationError({"text": "Enter the note"})
    note = Annotation(measure=measure, date=date, text=text.strip(), created_by=_actor(by))
    record_create(instance=note, by=_actor(by), organisation=measure.organisation, permission=None)
    return note


# Success measures ---------------------------------------------------------------------------------------------


@transaction.atomic
def success_measure_link(
    *,
    action,
    by: User | None,
    measure: Measure,
    target: float,
    met_when: str = MetWhen.DIRECTION,
    expected_version: int | None = None,
) -> SuccessMeasureLink:
    """Tie an action's success measure to a measure and a target (replacing any earlier link)."""
    organisation_id = action.plan.organisation_id
    _analyst_require(by, organisation_id)
    if measure.organisation_id != organisation_id:
        raise ValidationError({"measure": "Choose one of your organisation's measures"})
    if met_when not in MetWhen.values:
        raise ValidationError({"met_when": "Choose when the target counts as met"})
    link = SuccessMeasureLink.objects.select_for_update().filter(action=action).first()
    if link is None:
        link = SuccessMeasureLink(
            action=action, measure=measure, target=target, met_when=met_when, created_by=_actor(by)
        )
        link.full_clean(exclude=["action"])
        link.save()
        audit_record(
            by=_actor(by), organisation=action.plan.organisation, action=AuditAction.CREATE, instance=link
        )
        return link
    version_check(link, expected_version)
    changes = {"measure": measure, "target": target, "met_when": met_when}
    return record_change(link, changes, by=_actor(by), organisation=action.plan.organisation)


@transaction.atomic
def success_measure_unlink(*, action, by: User | None) -> None:
    """Remove the link between an action's success measure and a measure."""
    _analyst_require(by, action.plan.organisation_id)
    link = SuccessMeasureLink.objects.select_for_update().filter(action=action).first()
    if link is None:
        return
    record_delete(link, by=_actor(by), organisation=action.plan.organisation)


# Commentary for reports ---------------------------------------------------------------------------------------


@transaction.atomic
def commentary_write(
    *, measure: Measure, by: User, period: datetime.date, shows: str, why: str = "", next_steps: str = ""
) -> MeasureCommentary:
    """Write what the chart shows, why and what next for a month's report (supersedes, never edits, an earlier one)."""
    _analyst_require(by, measure.organisation_id)
    if not (shows or "").strip():
        raise ValidationError({"shows": "Say what the chart shows"})
    if period > timezone.localdate():
        raise ValidationError({"period": "A commentary reports on a month that has begun."})
    commentary = MeasureCommentary(
        measure=measure,
        period=period.replace(day=1),
        shows=shows.strip(),
        why=(why or "").strip(),
        next_steps=(next_steps or "").strip(),
        written_by=by,
    )
    record_create(instance=commentary, by=by, organisation=measure.organisation, permission=None)
    return commentary


# Staff survey scores -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyScoreRow:
    """One element's score in a survey year with the benchmark group's median, best and worst (each out of 10)."""

    element: str
    score: float
    median: float
    best: float
    worst: float


OLDEST_SURVEY_YEAR = 2003  # the NHS Staff Survey's first national year
SURVEY_NEEDS_ANNUAL = "Survey scores belong to an annual measure (the survey runs once a year)."
SURVEY_NEEDS_CALENDAR = (
    "The NHS Staff Survey is named by its calendar year (the 2024 survey): set this measure's annual figures to "
    "count in calendar years before recording survey results."
)
SURVEY_CHANGED = (
    "The {year} survey's scores were changed by someone else while you were entering them, so yours have not "
    "been saved and nothing of theirs was overwritten. Your entries are kept below: check the scores now held, "
    "then save again if yours still apply."
)


def survey_problem(measure: Measure) -> str:
    """Why survey results cannot be filed under this measure, or '' when they can."""
    if measure.frequency != Frequency.ANNUAL:
        return SURVEY_NEEDS_ANNUAL
    return "" if measure.period_kind == CALENDAR_YEAR else SURVEY_NEEDS_CALENDAR


@transaction.atomic
def survey_scores_record(
    *,
    measure: Measure,
    by: User | None,
    year: int,
    rows: Iterable[SurveyScoreRow],
    seen: str | None = None,
) -> list[SurveyScore]:
    """Record a staff survey year's People Promise, engagement and morale scores against the benchmark group's
    figures, all or nothing; a score already held for the year and element is replaced (the audit log keeps it).

    `seen` (survey_digest of the year's scores when the form was shown) refuses a save over a later entry."""
    _analyst_require(by, measure.organisation_id)
    if problem := survey_problem(measure):
        raise ValidationError(problem)
    if not OLDEST_SURVEY_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(
            {"year": f"{year} is not a year the survey has run: enter the year it was named by."}
        )
    period = datetime.date(year, 1, 1)
    if problem := future_period_problem(period, measure.period_kind, timezone.localdate()):
        raise ValidationError({"year": problem})
    existing = {
        s.element: s for s in SurveyScore.objects.select_for_update().filter(measure=measure, period=period)
    }
    if seen is not None and seen != survey_digest(existing.values()):
        raise ConcurrentEditError(measure, SURVEY_CHANGED.format(year=year))
    saved: list[SurveyScore] = []
    done: set[str] = set()
    for row in rows:
        if row.element not in SURVEY_ELEMENTS:
            raise ValidationError({"element": f"‘{row.element}’ is not a staff survey element."})
        label = SURVEY_ELEMENTS[row.element]
        if row.element in done:
            raise ValidationError({"element": f"{label} appears twice."})
        done.add(row.element)
        figures = {
            "score": row.score,
            "benchmark_median": row.median,
            "benchmark_best": row.best,
            "benchmark_worst": row.worst,
        }
        current = existing.get(row.element)
        candidate = SurveyScore(measure=measure, period=period, element=row.element, **figures)
        try:
            candidate.clean()
        except ValidationError as exc:
            raise ValidationError(f"{label}: {' '.join(exc.messages)}") from None
        if current is None:
            saved.append(
                record_create(
                    instance=candidate, by=_actor(by), organisation=measure.organisation, permission=None
                )
            )
        else:
            saved.append(
                record_change(
                    current, figures, by=_actor(by), organisation=measure.organisation, versioned=False
                )
            )
    return saved


@transaction.atomic
def survey_years_record(
    *, measure: Measure, by: User | None, years: dict[int, list[SurveyScoreRow]]
) -> dict[int, list[SurveyScore]]:
    """Record several survey years at once (a spreadsheet import), all or nothing."""
    return {
        year: survey_scores_record(measure=measure, by=by, year=year, rows=rows)
        for year, rows in sorted(years.items())
    }
