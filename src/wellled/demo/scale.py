"""`wellled demo --scale N`: N synthetic trusts in one oversight region, for trying and timing oversight at scale.

Each trust gets people, an action plan (sections, about 500 actions with leads, timescales that slipped, monthly
cycles of progress updates), about 100 measures with five years of monthly figures (the same 100 indicators in
every trust, by `indicator_code`, some with a shift or trend that SPC flags), CQC ratings and, once the oversight
models exist, an oversight status; and is placed in the region's portfolio. The parts are in `data/scale.yaml`;
the numbers come from a generator seeded per trust, so trust 7 is the same whatever N is asked for.

Fast: rows are written in batches (`rows_insert`: COPY on PostgreSQL, executemany elsewhere), not one service call
at a time, and audited in summary, as bulk imports are (ADR 0011, ADR 0037): one record per person, plan, measure
and rating, each measure's and plan's note counting what it holds. Each trust is one transaction; a trust already
there is left alone, so running it again adds only what is missing.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection, models, transaction

from wellled.assessments.choices import KEY_QUESTION_COLUMNS, AssessorKind, RatingSource, RatingValue
from wellled.assessments.models import PublishedRating
from wellled.core.access import current_members, memberships_ever
from wellled.core.audit import AuditEntry, audit_record_many, snapshot
from wellled.core.choices import AuditAction, OrganisationKind, Role
from wellled.core.formatting import day_text
from wellled.core.models import DeliveryStatus, Membership, Organisation, User
from wellled.core.services import membership_set, organisation_create, person_create, portfolio_trust_add
from wellled.frameworks.models import Framework
from wellled.measures.choices import Frequency, MeasureKind
from wellled.measures.models import Measure, MeasureValue
from wellled.measures.services import spc_summaries_refresh
from wellled.oversight.choices import Judgement, Programme
from wellled.oversight.models import ExitCriterion, ExitCriterionJudgement, OversightStatus
from wellled.plans.choices import ActionState, CycleState, DatePrecision, PlanKind, PlanOrganisedBy
from wellled.plans.models import (
    Action,
    ActionStateChange,
    Plan,
    ProgressUpdate,
    ReportingCycle,
    Section,
    TimescaleRevision,
)
from wellled.plans.position.stored import standing_refresh
from wellled.plans.services import plan_create
from wellled.plans.timescales import due_by

from .loader import DemoDates, Writer, data, say_to
from .plans import DEMO_PASSWORD

SCALE = data("scale.yaml")
# The scale demo's segments 1-4 with segment 4 as intensive support: the 2021-23 framework's meanings
# (oversight/data/frameworks.yaml), not 2025/26's, whose segment 4 is a quartile of scored metrics.
SCALE_EDITION = "2021-23"
SEED: int = SCALE["seed"]
REGION_ODS_CODE: str = SCALE["region"]["ods_code"]
DIRECTOR_USERNAME: str = SCALE["director"]["username"]
PLAN_NAME = "Improvement plan (synthetic)"
PLAN_FRAMEWORK = (
    "nhs-well-led-2017"  # the shipped well-led framework: its eight KLOEs are the plan's sections
)
VALUES_SOURCE = "scale-demo.csv"
SCALE_NOTE = "Synthetic scale demo (wellled demo --scale)"
# Defaults: the sizes issue 16 names for one trust's plan and measures; five years of monthly figures.
ACTIONS, MEASURES, MONTHS, CYCLES = 500, 100, 60, 4
INDICATOR_COUNT = len(SCALE["indicators"]) * len(SCALE["indicator_settings"])  # 100
ASSURANCE = "Evidence checked by the governance team."
COPY_ROWS_PER_CALL = 5000  # rows handed to executemany at once where COPY is not available


def indicator_codes() -> list[str]:
    """The shared indicator codes, IND-001 to IND-100: the same in every synthetic trust."""
    return [f"IND-{i + 1:03d}" for i in range(INDICATOR_COUNT)]


def indicator(code_index: int) -> tuple[str, dict[str, Any]]:
    """The name and family of the indicator at a position in `indicator_codes()`."""
    settings = SCALE["indicator_settings"]
    family = SCALE["indicators"][code_index // len(settings)]
    return f"{family['name']}: {settings[code_index % len(settings)]}", family


def trust_identity(index: int) -> tuple[str, str, str]:
    """(ODS code, name, organisation kind) of synthetic trust number `index` (from 1)."""
    places, kinds = SCALE["places"], SCALE["trust_kinds"]
    i = index - 1
    suffix, kind = kinds[(i // len(places)) % len(kinds)]
    name = f"{places[i % len(places)]} {suffix}"
    if i >= len(places) * len(kinds):
        name += f" ({i // (len(places) * len(kinds)) + 1})"
    return f"{SCALE['ods_prefix']}{index:04d}", name, kind


def trust_rng(seed: int, index: int) -> np.random.Generator:
    """The generator for one trust: fixed by the seed and the trust's number, not by how many are loaded."""
    return np.random.default_rng([seed, index])


@dataclass(frozen=True)
class ScaleSize:
    """How much each synthetic trust holds (smaller for tests)."""

    actions: int = ACTIONS
    measures: int = MEASURES
    months: int = MONTHS
    cycles: int = CYCLES

    def __post_init__(self) -> None:
        if not 1 <= self.measures <= INDICATOR_COUNT:
            raise ValueError(f"Each trust has 1 to {INDICATOR_COUNT} measures (one per shared indicator).")
        if self.actions < 1 or self.months < 1 or self.cycles < 1:
            raise ValueError("Each trust needs at least one action, month of figures and reporting cycle.")


class ScaleDataError(RuntimeError):
    """The database holds an organisation with a synthetic trust's ODS code but not its plan: refused, not mixed."""


@dataclass
class ScaleResult:
    """What `load_scale` did: the region, who signs in to oversee it, and the rows it wrote."""

    region: Organisation
    director: User
    created: list[str] = field(default_factory=list)  # ODS codes of the trusts added by this run
    already: int = 0  # trusts that were there before
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    password: str = DEMO_PASSWORD


def load_scale(
    n: int,
    *,
    size: ScaleSize | None = None,
    seed: int = SEED,
    dates: DemoDates | None = None,
    stdout: Writer | None = None,
) -> ScaleResult:
    """Make sure synthetic trusts 1..n exist in the oversight region (adding only those missing); also for bench/."""
    if n < 1:
        raise ValueError("Ask for at least one trust.")
    say = say_to(stdout)
    size = size or ScaleSize()
    dates = dates or DemoDates()
    started = time.perf_counter()
    region, director = _region_and_director()
    result = ScaleResult(region=region, director=director)
    wanted = [trust_identity(i) for i in range(1, n + 1)]
    there = set(
        Plan.objects.filter(
            organisation__ods_code__in=[w[0] for w in wanted], name=PLAN_NAME, kind=PlanKind.IMPROVEMENT
        ).values_list("organisation__ods_code", flat=True)
    )
    framework = Framework.objects.get(key=PLAN_FRAMEWORK, organisation__isnull=True)
    taken = sorted(
        Organisation.objects.filter(ods_code__in=[w[0] for w in wanted])
        .exclude(ods_code__in=there)
        .values_list("ods_code", flat=True)
    )
    if taken:
        raise ScaleDataError(
            f"The ODS codes {', '.join(taken[:5])} are taken by organisations without the synthetic plan; "
            "load the synthetic trusts into a database of their own."
        )
    for index, (ods_code, name, kind) in enumerate(wanted, start=1):
        if ods_code in there:
            result.already += 1
            continue
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Synthetic data a re-run adds back: no need to wait for each trust's commit to reach the disk.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            rows = TrustLoad(
                index, ods_code, name, kind, size, seed, dates, region, director, framework
            ).run()
        for key, count in rows.items():
            result.rows[key] = result.rows.get(key, 0) + count
        result.created.append(ods_code)
        if len(result.created) % 10 == 0 or index == n:
            say(f"  {len(result.created)} synthetic trusts added ({time.perf_counter() - started:.0f} s).")
    result.seconds = time.perf_counter() - started
    return result


def _region_and_director() -> tuple[Organisation, User]:
    """The oversight region and its improvement director (who signs in with the demo password), made once."""
    spec = SCALE["director"]
    with transaction.atomic():
        region = Organisation.objects.filter(ods_code=REGION_ODS_CODE).first()
        if region is None:
            region = organisation_create(
                name=SCALE["region"]["name"],
                ods_code=REGION_ODS_CODE,
                by=None,
                kind=OrganisationKind.OVERSIGHT,
            )
        director = User.objects.filter(username=DIRECTOR_USERNAME).first()
        if director is None:
            director = person_create(
                username=DIRECTOR_USERNAME,
                by=None,
                organisation=region,
                role=Role.ADMINISTRATOR,
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                initials=spec["initials"],
                job_title=spec["job_title"],
                password=DEMO_PASSWORD,
            )
        else:
            membership_set(user=director, organisation=region, role=Role.ADMINISTRATOR, by=None)
    return region, director


# Writing many rows ----------------------------------------------------------------------------------------------


def rows_insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Append rows (tuples of the named fields' values) to a model's table: COPY on PostgreSQL, else executemany.

    For leaf tables whose ids nobody needs back (values, updates, timescales). Only the model's own quoted table and
    column names go into the SQL; every value is data. Returns how many rows were written."""
    meta = model._meta
    fields: list[models.Field] = [meta.get_field(name) for name in columns]  # type: ignore[misc]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(f.column)) for f in fields)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        batch: list[list[Any]] = []
        for row in rows:
            batch.append([f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)])
            if len(batch) >= COPY_ROWS_PER_CALL:
                cursor.executemany(sql, batch)
                written, batch = written + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _month_end(day: datetime.date) -> datetime.date:
    return due_by(day, DatePrecision.MONTH)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, 1)


class TrustLoad:
    """One synthetic trust, written in one transaction: organisation, people, plan, measures, ratings, oversight."""

    def __init__(
        self,
        index,
        ods_code,
        name,
        kind,
        size: ScaleSize,
        seed,
        dates: DemoDates,
        region,
        director,
        framework,
    ):
        self.index, self.ods_code, self.name, self.kind = index, ods_code, name, kind
        self.size, self.dates, self.region, self.director = size, dates, region, director
        self.framework = framework
        self.rng = trust_rng(seed, index)
        self.today = dates.today
        self.this_month = self.today.replace(day=1)
        self.rows: dict[str, int] = {}
        # A trust's standing: 1 (no support needed) to 4 (intensive support); ratings and plan follow it.
        self.segment = int(self.rng.choice([1, 2, 3, 4], p=[0.15, 0.4, 0.3, 0.15]))

    def count(self, key: str, n: int) -> None:
        self.rows[key] = self.rows.get(key, 0) + n

    def moment(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return self.dates.moment(day, hour=hour)

    def run(self) -> dict[str, int]:
        self.organisation = organisation_create(
            name=self.name, ods_code=self.ods_code, by=None, kind=self.kind
        )
        self.count("organisations", 1)
        self._people()
        self._plan()
        self._measures()
        self._ratings()
        self._oversight()
        return self.rows

    # People ------------------------------------------------------------------------------------------------------

    def _people(self) -> None:
        """The trust's governance editor and its leads: known by name, invited (no password), audited one by one."""
        spec, rng = SCALE["people"], self.rng
        jobs = [spec["editor"], *spec["leads"]]
        prefix = self.ods_code.lower()
        users = []
        for i, job in enumerate(jobs):
            first = SCALE["first_names"][int(rng.integers(len(SCALE["first_names"])))]
            last = SCALE["last_names"][int(rng.integers(len(SCALE["last_names"])))]
            user = User(
                username=f"{prefix}.{'editor' if i == 0 else f'lead{i}'}",
                first_name=first,
                last_name=last,
                initials=f"{first[0]}{last[0]}",
                job_title=job,
            )
            user.set_unusable_password()
            users.append(user)
        User.objects.bulk_create(users)
        users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("username"))
        self.editor = next(u for u in users if u.username.endswith(".editor"))
        self.leads = [u for u in users if u is not self.editor]
        memberships = [
            Membership(
                user=u,
                organisation=self.organisation,
                role=Role.GOVERNANCE_EDITOR if u is self.editor else Role.LEAD,
            )
            for u in users
        ]
        Membership.objects.bulk_create(memberships)
        memberships = list(memberships_ever(organisation=self.organisation))
        audit_record_many(
            by=None,
            organisation=self.organisation,
            entries=[AuditEntry(AuditAction.CREATE, u, note=SCALE_NOTE) for u in users]
            + [AuditEntry(AuditAction.CREATE, m, note=SCALE_NOTE) for m in memberships],
        )
        self.count("people", len(users))

    # The plan ----------------------------------------------------------------------------------------------------

    def _plan(self) -> None:
        """Sections from the well-led framework, actions with leads and slipped timescales, cycles of updates."""
        rng, size = self.rng, self.size
        agreed_on = _add_months(self.this_month, -SCALE["agreed_months_ago"]) + datetime.timedelta(days=9)
        agreed_at = self.moment(agreed_on)
        plan = plan_create(
            organisation=self.organisation,
            by=self.editor,
            name=PLAN_NAME,
            kind=PlanKind.IMPROVEMENT,
            organised_by=PlanOrganisedBy.FRAMEWORK,
            framework=self.framework,
            description="A synthetic plan made by wellled demo --scale, for trying oversight of many trusts.",
        )
        sections = list(Section.objects.filter(plan=plan).order_by("order"))
        statuses = {s.code: s.pk for s in DeliveryStatus.objects.filter(organisation=self.organisation)}
        cycles = self._cycles(plan)
        verbs, objects, areas = SCALE["action_verbs"], SCALE["action_objects"], SCALE["action_areas"]
        per_section = -(-size.actions // len(sections))
        # Each action: its original month end (months from this month), slips, and whether it gets delivered.
        original = rng.integers(-6, 13, size=size.actions)
        slips = rng.choice([0, 0, 0, 1, 1, 2], size=size.actions)
        # Trusts in a worse segment deliver less: the chance an action due by now is delivered.
        delivered_chance = {1: 0.9, 2: 0.8, 3: 0.65, 4: 0.5}[self.segment]
        actions: list[Action] = []
        specs: list[dict[str, Any]] = []
        for i in range(size.actions):
            s = min(i // per_section, len(sections) - 1)
            dues = [int(original[i])]
            for _ in range(int(slips[i])):
                dues.append(dues[-1] + int(rng.integers(2, 5)))
            lead = self.leads[int(rng.integers(len(self.leads)))]
            spec: dict[str, Any] = {"dues": dues, "lead": lead}
            spec.update(self._action_history(dues[-1], bool(rng.random() < delivered_chance), cycles, rng))
            specs.append(spec)
            latest = spec["updates"][-1] if spec["updates"] else None
            actions.append(
                Action(
                    plan=plan,
                    section=sections[s],
                    reference=f"{sections[s].code}.{i - s * per_section + 1}",
                    title=(
                        f"{verbs[i % len(verbs)]} {objects[(i // len(verbs)) % len(objects)]} "
                        f"in {areas[i % len(areas)]}"
                    ),
                    lead=lead,
                    success_measure=SCALE["success_measures"][i % len(SCALE["success_measures"])],
                    due_date=_month_end(_add_months(self.this_month, dues[-1])),
                    due_precision=DatePrecision.MONTH,
                    status_id=statuses[latest[1]] if latest else None,
                    last_update_at=latest[3] if latest else None,
                    state=ActionState.CLOSED if spec["closed_at"] else ActionState.OPEN,
                    assurance_evidence=ASSURANCE if spec["closed_at"] else "",
                    order=i + 1,
                )
            )
        Action.objects.bulk_create(actions, batch_size=1000)
        if actions[0].pk is None:  # a database that does not return new ids: read them back by reference
            ids = dict(Action.objects.filter(plan=plan).values_list("reference", "pk"))
            for action in actions:
                action.pk = ids[action.reference]
        self.count("actions", len(actions))
        self._co_leads(actions, rng)
        self._timescales(actions, specs, agreed_at, rng)
        self._updates(actions, specs, cycles, statuses)
        standing_refresh(Action.objects.filter(plan=plan))  # as the plans services keep it (ADR 0061)
        audit_record_many(
            by=self.editor,
            organisation=self.organisation,
            entries=[
                AuditEntry(
                    AuditAction.UPDATE,
                    plan,
                    before=snapshot(plan),
                    note=(
                        f"{SCALE_NOTE}: {len(actions)} actions, {self.rows.get('timescales', 0)} timescales, "
                        f"{self.rows.get('progress updates', 0)} progress updates in {len(cycles)} cycles"
                    ),
                )
            ],
        )

    def _cycles(self, plan: Plan) -> list[ReportingCycle]:
        """Monthly reporting cycles up to last month's, which is still open; the earlier ones closed."""
        n = self.size.cycles
        cycles = []
        for c in range(n):
            month = _add_months(self.this_month, c - n)  # the first day of the cycle's month
            position = _month_end(month)
            cycles.append(
                ReportingCycle(
                    plan=plan,
                    name=f"Position as at {day_text(position)}",
                    position_as_at=position,
                    update_deadline=position + datetime.timedelta(days=7),
                    state=CycleState.OPEN if c == n - 1 else CycleState.CLOSED,
                    opened_at=self.moment(month + datetime.timedelta(days=1), hour=9),
                    opened_by=self.editor,
                    closed_at=None
                    if c == n - 1
                    else self.moment(position + datetime.timedelta(days=8), hour=16),
                )
            )
        ReportingCycle.objects.bulk_create(cycles)
        if cycles[0].pk is None:
            ids = dict(ReportingCycle.objects.filter(plan=plan).values_list("name", "pk"))
            for cycle in cycles:
                cycle.pk = ids[cycle.name]
        self.count("cycles", len(cycles))
        return cycles

    def _action_history(self, due: int, delivered: bool, cycles, rng) -> dict[str, Any]:
        """One action's updates, one per cycle for most cycles ((cycle, status, day, at) each), and whether and
        when it was closed: an action due by a cycle is delivered then if it is to be, else at risk or off track."""
        narratives = SCALE["narratives"]
        due_month = _add_months(self.this_month, due)
        status = "A/G" if rng.random() < 0.7 else "A/R"
        updates = []
        for cycle in cycles:
            if rng.random() > 0.85:
                continue  # no update this month
            cycle_month = cycle.position_as_at.replace(day=1)
            if delivered and cycle_month >= _add_months(due_month, -1):
                status = "B" if status in ("G", "B") and rng.random() < 0.4 else "G"
            elif status not in ("G", "B"):
                choices = ["A/G", "A/G", "A/R", "R"] if due_month > cycle_month else ["A/R", "R"]
                status = choices[int(rng.integers(len(choices)))]
            day = cycle.opened_at.date() + datetime.timedelta(days=int(rng.integers(1, 15)))
            at = self.moment(day, hour=9 + int(rng.integers(0, 8)))
            text = narratives[status][int(rng.integers(len(narratives[status])))]
            updates.append((cycle, status, day, at, text))
        closed_at = None
        if updates and updates[-1][1] in ("G", "B") and rng.random() < 0.5:
            yesterday = self.today - datetime.timedelta(days=1)
            closed_at = min(updates[-1][3] + datetime.timedelta(days=7), self.moment(yesterday, hour=16))
        return {"updates": updates, "closed_at": closed_at}

    def _co_leads(self, actions: list[Action], rng: np.random.Generator) -> None:
        """One action in ten has a second lead."""
        through = Action.other_leads.through
        links = []
        for action in actions:
            if rng.random() < 0.1:
                other = self.leads[int(rng.integers(len(self.leads)))]
                if other.pk != action.lead_id:
                    links.append((action.pk, other.pk))
        self.count("co-leads", rows_insert(through, ("action", "user"), links))

    def _timescales(self, actions, specs, agreed_at: datetime.datetime, rng) -> None:
        """The original timescale of every action, then each slip, agreed on a day between then and yesterday."""
        reasons = SCALE["slip_reasons"]
        yesterday = self.today - datetime.timedelta(days=1)
        span = max((yesterday - agreed_at.date()).days, 1)
        rows = []
        for action, spec in zip(actions, specs, strict=True):
            days = sorted(int(d) for d in rng.integers(1, span + 1, size=len(spec["dues"]) - 1))
            for j, months in enumerate(spec["dues"]):
                due = _month_end(_add_months(self.this_month, months))
                at = (
                    agreed_at
                    if j == 0
                    else self.moment(agreed_at.date() + datetime.timedelta(days=days[j - 1]))
                )
                reason = "Original timescale" if j == 0 else reasons[(action.pk + j) % len(reasons)]
                rows.append((action.pk, due, DatePrecision.MONTH, reason, None, self.editor.pk, at))
        self.count(
            "timescales",
            rows_insert(
                TimescaleRevision,
                ("action", "due_date", "precision", "reason", "position_date", "created_by", "created_at"),
                rows,
            ),
        )

    def _updates(self, actions, specs, cycles, statuses: dict[str, int]) -> None:
        """Every action's progress updates, by its lead, and the closing of the delivered ones that were checked."""
        updates, changes = [], []
        for action, spec in zip(actions, specs, strict=True):
            for cycle, status, day, at, text in spec["updates"]:
                updates.append((action.pk, cycle.pk, text, statuses[status], day, False, spec["lead"].pk, at))
            if spec["closed_at"]:
                changes.append(
                    (
                        action.pk,
                        ActionState.OPEN,
                        ActionState.CLOSED,
                        ASSURANCE,
                        self.editor.pk,
                        spec["closed_at"],
                    )
                )
        self.count(
            "progress updates",
            rows_insert(
                ProgressUpdate,
                (
                    "action",
                    "cycle",
                    "narrative",
                    "status",
                    "update_date",
                    "awaited",
                    "created_by",
                    "created_at",
                ),
                updates,
            ),
        )
        self.count(
            "state changes",
            rows_insert(
                ActionStateChange,
                ("action", "from_state", "state", "assurance_evidence", "created_by", "created_at"),
                changes,
            ),
        )

    # Measures ----------------------------------------------------------------------------------------------------

    def _measures(self) -> None:
        """One measure per shared indicator (the first `size.measures`), each with monthly figures up to last month."""
        rng, size = self.rng, self.size
        codes = indicator_codes()[: size.measures]
        measures = []
        for i, code in enumerate(codes):
            name, family = indicator(i)
            measure = Measure(
                organisation=self.organisation,
                name=name,
                definition=f"Synthetic figures for the shared indicator {code}.",
                kind=family["kind"],
                direction=family["direction"],
                frequency=Frequency.MONTHLY,
                owner=self.leads[i % len(self.leads)],
                unit_of_measurement="days" if "days" in name else "",
                rate_per=1000,
                data_source="Synthetic (wellled demo --scale)",
                indicator_code=code,
            )
            measures.append(measure)
        Measure.objects.bulk_create(measures)
        if measures[0].pk is None:
            ids = dict(Measure.objects.filter(organisation=self.organisation).values_list("name", "pk"))
            for measure in measures:
                measure.pk = ids[measure.name]
        self.count("measures", len(measures))
        first = _add_months(self.this_month, -size.months)
        periods = [_add_months(first, m) for m in range(size.months)]
        loaded_at = self.moment(self.today - datetime.timedelta(days=1), hour=9)
        rows = []
        for i, measure in enumerate(measures):
            _name, family = indicator(i)
            for period, figures in zip(periods, series(family, size.months, rng), strict=True):
                rows.append((measure.pk, period, *figures, loaded_at, self.editor.pk, VALUES_SOURCE))
        self.count(
            "measure values",
            rows_insert(
                MeasureValue,
                (
                    "measure",
                    "period",
                    "value",
                    "numerator",
                    "denominator",
                    "updated_at",
                    "updated_by",
                    "source",
                ),
                rows,
            ),
        )
        spc_summaries_refresh(organisation=self.organisation, by=None, measure_ids=[m.pk for m in measures])
        audit_record_many(
            by=self.editor,
            organisation=self.organisation,
            entries=[
                AuditEntry(AuditAction.CREATE, m, note=f"{SCALE_NOTE}: {size.months} monthly values")
                for m in measures
            ],
        )

    # Ratings and oversight ---------------------------------------------------------------------------------------

    def _ratings(self) -> None:
        """CQC's trust-level ratings at two inspections, worse in a worse segment; each audited as an import is."""
        rng, spec = self.rng, SCALE["ratings"]
        lo, hi = spec["latest_months_ago"]
        latest = _add_months(self.this_month, -int(rng.integers(lo, hi + 1))) + datetime.timedelta(days=14)
        years = int(rng.integers(spec["previous_years_before"][0], spec["previous_years_before"][1] + 1))
        previous = latest.replace(year=latest.year - years)
        odds = {
            1: [0.2, 0.7, 0.1, 0.0],
            2: [0.05, 0.65, 0.3, 0.0],
            3: [0.0, 0.35, 0.55, 0.1],
            4: [0.0, 0.1, 0.55, 0.35],
        }[self.segment]
        scale = [
            RatingValue.OUTSTANDING,
            RatingValue.GOOD,
            RatingValue.REQUIRES_IMPROVEMENT,
            RatingValue.INADEQUATE,
        ]
        ratings = []
        for day in (previous, latest):
            for key in KEY_QUESTION_COLUMNS:
                ratings.append(
                    PublishedRating(
                        organisation=self.organisation,
                        key_question=key,
                        rating=scale[int(rng.choice(4, p=odds))],
                        rated_on=day,
                        assessor_kind=AssessorKind.CQC,
                        source=RatingSource.IMPORTED,
                        location_name=self.name,
                        created_by=self.editor,
                    )
                )
        PublishedRating.objects.bulk_create(ratings)
        if ratings[0].pk is None:
            ratings = list(PublishedRating.objects.filter(organisation=self.organisation))
        audit_record_many(
            by=self.editor,
            organisation=self.organisation,
            entries=[AuditEntry(AuditAction.CREATE, r, note="Imported from a ratings file") for r in ratings],
        )
        self.count("ratings", len(ratings))

    def _oversight(self) -> None:
        """Place the trust in the region's portfolio and record its oversight status: segment 2 two years ago,
        then its own segment a year ago; a trust in segment 4 is in the Recovery Support Programme, with exit
        criteria judged since. The segments carry the 2021-23 framework's meanings (segment 4: intensive support),
        so they are recorded under that edition. Audited one record per row, as the services would."""
        joined_on = _add_months(self.this_month, -24)
        portfolio_trust_add(
            oversight_body=self.region, trust=self.organisation, by=self.director, joined_on=joined_on
        )
        self.count("portfolio entries", 1)
        moved_on = _add_months(self.this_month, -12) + datetime.timedelta(days=int(self.rng.integers(0, 28)))
        statuses = [
            OversightStatus(
                oversight_body=self.region,
                trust=self.organisation,
                effective_from=joined_on,
                edition=SCALE_EDITION,
                segment=2,
                recorded_by=self.director,
                recorded_at=self.moment(joined_on),
            )
        ]
        if self.segment != 2:
            intensive = self.segment == 4
            statuses.append(
                OversightStatus(
                    oversight_body=self.region,
                    trust=self.organisation,
                    effective_from=moved_on,
                    edition=SCALE_EDITION,
                    segment=self.segment,
                    programme=Programme.RECOVERY_SUPPORT if intensive else Programme.NONE,
                    programme_entered_on=moved_on if intensive else None,
                    improvement_director=self.director if intensive else None,
                    note="Moved after the regional review of quality and finances." if intensive else "",
                    recorded_by=self.director,
                    recorded_at=self.moment(moved_on),
                )
            )
        for status in statuses:
            status.full_clean()
            status.save()
        entries = [AuditEntry(AuditAction.CREATE, s, note=SCALE_NOTE) for s in statuses]
        if self.segment == 4:
            entries += self._exit_criteria(moved_on)
        audit_record_many(by=self.director, organisation=self.region, entries=entries)
        self.count("oversight statuses", len(statuses))

    def _exit_criteria(self, agreed_on: datetime.date) -> list[AuditEntry]:
        """The exit criteria agreed when the trust entered intensive support, each judged every quarter since."""
        entries = []
        judgements = [Judgement.NOT_MET, Judgement.PARTLY_MET, Judgement.MET]
        for order, title in enumerate(SCALE["exit_criteria"], start=1):
            criterion = ExitCriterion.objects.create(
                oversight_body=self.region,
                trust=self.organisation,
                reference=f"EC{order}",
                title=title,
                agreed_on=agreed_on,
                order=order,
            )
            entries.append(AuditEntry(AuditAction.CREATE, criterion, note=SCALE_NOTE))
            progress = 0
            judged_on = _add_months(agreed_on.replace(day=1), 3)
            while judged_on < self.today:
                progress = min(progress + int(self.rng.integers(0, 2)), 2)
                judgement = ExitCriterionJudgement.objects.create(
                    criterion=criterion,
                    judgement=judgements[progress],
                    judged_on=judged_on,
                    rationale=SCALE["judgement_rationales"][progress],
                    judged_by=self.director,
                    recorded_at=self.moment(judged_on, hour=15),
                )
                entries.append(AuditEntry(AuditAction.CREATE, judgement, note=SCALE_NOTE))
                judged_on = _add_months(judged_on, 3)
        self.count("exit criteria", len(SCALE["exit_criteria"]))
        return entries


def series(family: dict[str, Any], months: int, rng: np.random.Generator) -> list[tuple[Any, Any, Any]]:
    """(value, numerator, denominator) for each month of one measure: noise around a level, and in some measures a
    sustained shift, a trend or one outlying month, so SPC has special cause to find."""
    base = float(family["level"]) * float(rng.uniform(0.85, 1.15))
    level = np.full(months, base)
    shape = rng.random()
    if shape < 0.2 and months >= 12:  # a shift: the process changed at some month and stayed changed
        start = int(rng.integers(months // 3, months - 6))
        level[start:] *= float(rng.choice([0.8, 1.2]))
    elif shape < 0.3 and months >= 12:  # a trend over the last year
        level[-12:] *= np.linspace(1.0, float(rng.choice([0.75, 1.25])), 12)
    kind = family["kind"]
    if kind == MeasureKind.COUNT:
        counts = rng.poisson(np.maximum(level, 0.1))
        if shape >= 0.95:
            counts[-int(rng.integers(1, 12))] += int(4 * np.sqrt(base) + 3)  # one month far above the rest
        return [(float(c), None, None) for c in counts]
    if kind == MeasureKind.VALUE:
        noise = float(family.get("noise", base * 0.05))
        values = level + rng.normal(0, noise, months)
        if shape >= 0.95:
            values[-int(rng.integers(1, 12))] += 4 * noise
        return [(round(float(max(v, 0.0)), 2), None, None) for v in values]
    mean = float(family["denominator"])
    dens = np.maximum(1, rng.normal(mean, mean * 0.08, months).astype(int))
    if kind == MeasureKind.PROPORTION:
        nums = rng.binomial(dens, np.clip(level, 0.0, 1.0))
    else:  # a rate: level is per 1,000
        nums = rng.poisson(np.maximum(level, 0.0) / 1000 * dens)
    return [(None, float(a), float(b)) for a, b in zip(nums, dens, strict=True)]


def scale_fingerprint(ods_codes: Iterable[str]) -> str:
    """A digest of the generated content of some trusts (actions, updates, values, ratings), for determinism checks."""
    digest = hashlib.sha256()
    for ods in sorted(ods_codes):
        actions = Action.objects.filter(plan__organisation__ods_code=ods).order_by("reference")
        digest.update(
            repr(
                list(
                    actions.values_list(
                        "reference", "title", "lead__username", "due_date", "status__code", "state"
                    )
                )
            ).encode()
        )
        updates = ProgressUpdate.objects.filter(action__plan__organisation__ods_code=ods).order_by(
            "action__reference", "update_date", "created_at"
        )
        digest.update(
            repr(
                list(updates.values_list("action__reference", "status__code", "update_date", "narrative"))
            ).encode()
        )
        values = MeasureValue.objects.filter(measure__organisation__ods_code=ods).order_by(
            "measure__name", "period"
        )
        digest.update(
            repr(
                list(values.values_list("measure__name", "period", "value", "numerator", "denominator"))
            ).encode()
        )
        ratings = PublishedRating.objects.filter(organisation__ods_code=ods).order_by(
            "rated_on", "key_question"
        )
        digest.update(repr(list(ratings.values_list("key_question", "rating", "rated_on"))).encode())
        digest.update(
            repr(
                list(
                    current_members(organisation__ods_code=ods)
                    .order_by("username")
                    .values_list("username", "first_name", "last_name")
                )
            ).encode()
        )
    return digest.hexdigest()


__all__ = [
    "ScaleDataError",
    "ScaleResult",
    "ScaleSize",
    "indicator_codes",
    "load_scale",
    "rows_insert",
    "scale_fingerprint",
]
