"""The BAF paper as at a date: the board's principal risks under their strategic objectives, with scores as they
stood that day (from the scoring history), controls and assurances, mitigating actions, key risk indicators, the
register's heat map and each principal risk's movement since the last issued BAF.

Built once from the selectors into plain dataclasses, so the PDF, Word, Excel and CSV say the same thing and the
issued paper can be frozen as JSON (reports.snapshot) and read back unchanged.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from wellled.core.as_at import records_as_at
from wellled.core.formatting import day_text, measure_number, month_year
from wellled.core.models import Organisation, User
from wellled.measures.selectors import summarise
from wellled.reports.models import IssuedPaper, PaperKind
from wellled.reports.snapshot import snapshot_from_data
from wellled.spc.icons import ASSURANCE_TEXT

from .choices import AssuranceLevel, ScoreKind
from .convention import convention
from .models import Risk, RiskScore, StrategicObjective
from .selectors import principal_risks, risks_for_user
from .services import escalation_threshold

# What a principal risk says that changes over time: read as it stood on the paper's date (core.as_at); its
# scores come from the scoring history.
WORDING_FIELDS = (
    "title",
    "cause",
    "event",
    "effect",
    "category",
    "owner",
    "lead_executive",
    "lead_committee",
    "gaps_in_control",
    "gaps_in_assurance",
    "assurance_rating",
    "next_review_on",
    "escalated",
)
MOVEMENT_WORDS = {"up": "Score up", "down": "Score down", "same": "No change", "new": "New to the BAF"}
NO_RATING = "Not rated"


@dataclass(frozen=True)
class PaperScore:
    likelihood: int
    consequence: int
    score: int
    band: str

    @property
    def text(self) -> str:
        """'4 x 5 = 20 (Extreme)': the score in words as well as in colour."""
        return f"{self.likelihood} x {self.consequence} = {self.score} ({self.band})"


@dataclass(frozen=True)
class PaperAssurance:
    line: str
    level: str
    source: str


@dataclass(frozen=True)
class PaperControl:
    description: str
    assurances: tuple[PaperAssurance, ...]


@dataclass(frozen=True)
class PaperAction:
    reference: str
    title: str
    plan: str
    status: str
    due: str


@dataclass(frozen=True)
class PaperIndicator:
    name: str
    latest: str
    variation: str
    assurance: str


@dataclass(frozen=True)
class PaperRisk:
    """One principal risk on the paper."""

    reference: str
    title: str
    category: str
    appetite: str
    owner: str
    lead_executive: str
    lead_committee: str
    inherent: PaperScore
    current: PaperScore
    target: PaperScore
    previous_score: int | None
    movement: str  # up, down, same, new
    assurance_rating: str
    controls: tuple[PaperControl, ...]
    gaps_in_control: str
    gaps_in_assurance: str
    actions: tuple[PaperAction, ...]
    indicators: tuple[PaperIndicator, ...]
    next_review: str
    escalated: bool
    beneath: int = 0  # live operational risks on the local registers that feed it
    beneath_highest: int = 0

    @property
    def beneath_text(self) -> str:
        """'4 operational risks feed it; the highest scores 16'."""
        if not self.beneath:
            return "None linked"
        feeds = (
            "1 operational risk feeds it"
            if self.beneath == 1
            else f"{self.beneath} operational risks feed it"
        )
        return f"{feeds}; the highest scores {self.beneath_highest}"

    @property
    def movement_text(self) -> str:
        if self.movement in ("up", "down"):
            return f"{MOVEMENT_WORDS[self.movement]} from {self.previous_score}"
        return MOVEMENT_WORDS[self.movement]


@dataclass(frozen=True)
class PaperObjective:
    code: str
    title: str
    risks: tuple[PaperRisk, ...]


@dataclass(frozen=True)
class BafPaper:
    """Everything the BAF paper says, whatever the format."""

    organisation_name: str
    ods_code: str
    as_at: datetime.date
    generated_at: datetime.datetime
    generated_by: str
    threshold: int
    objectives: tuple[PaperObjective, ...]
    heat_map: tuple[
        tuple[int, ...], ...
    ]  # counts of the register's live risks, likelihood 5 first, consequence 1..5
    register_total: int
    escalated_total: int
    previous_as_at: datetime.date | None = None
    previous_heat_map: tuple[tuple[int, ...], ...] | None = (
        None  # the last issued BAF's, for movement by cell
    )

    @property
    def title(self) -> str:
        return f"Board assurance framework, {day_text(self.as_at)}"

    @property
    def as_at_text(self) -> str:
        return day_text(self.as_at)

    @property
    def principal(self) -> tuple[PaperRisk, ...]:
        return tuple(r for o in self.objectives for r in o.risks)

    def heat_count(self, likelihood: int, consequence: int) -> int:
        return self.heat_map[5 - likelihood][consequence - 1]

    def heat_before(self, likelihood: int, consequence: int) -> int | None:
        """The cell's count in the last issued BAF, or None when there was none."""
        if self.previous_heat_map is None:
            return None
        return self.previous_heat_map[5 - likelihood][consequence - 1]

    def heat_movement(self, likelihood: int, consequence: int) -> str:
        """'(was 3)' when the cell's count moved since the last issued BAF, else ''."""
        before = self.heat_before(likelihood, consequence)
        if before is None or before == self.heat_count(likelihood, consequence):
            return ""
        return f"(was {before})"


def _paper_score(likelihood: int, consequence: int) -> PaperScore:
    score = likelihood * consequence
    return PaperScore(likelihood, consequence, score, convention().band(score).label)


def scores_as_at(risk_ids: list[int], moment: datetime.datetime) -> dict[tuple[int, str], tuple[int, int]]:
    """Each risk's latest likelihood and consequence of each kind recorded by a moment (one query)."""
    found: dict[tuple[int, str], tuple[int, int]] = {}
    rows = (
        RiskScore.objects.filter(risk_id__in=risk_ids, recorded_at__lte=moment)
        .order_by("risk_id", "kind", "recorded_at", "id")
        .values_list("risk_id", "kind", "likelihood", "consequence")
    )
    for risk_id, kind, likelihood, consequence in rows:
        found[(risk_id, kind)] = (likelihood, consequence)  # later rows overwrite earlier ones
    return found


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def previous_baf(*, organisation: Organisation, before: datetime.date) -> IssuedPaper | None:
    """The latest BAF issued for an earlier date: what 'movement since the last BAF' compares with."""
    return (
        IssuedPaper.objects.filter(organisation=organisation, kind=PaperKind.BAF, as_at__lt=before)
        .order_by("-as_at", "-issued_at", "-id")
        .first()
    )


def _previous(issued: IssuedPaper | None) -> BafPaper | None:
    """The last issued BAF as it was issued (None if there is none, or its record fails its checksum)."""
    if issued is None or not issued.data_intact:
        return None
    return snapshot_from_data(BafPaper, issued.data)


def register_heat_counts(
    *, user: User, organisation: Organisation, as_at: datetime.date
) -> tuple[dict[tuple[int, int], int], int]:
    """Counts of live (not closed) risks opened by the date, at their current score as it stood then; and how many
    of them were at or above the escalation threshold."""
    live = (
        risks_for_user(user=user, organisation=organisation)
        .filter(opened_on__lte=as_at)
        .exclude(status="closed")
    )
    ids = list(live.values_list("pk", flat=True))
    scores = scores_as_at(ids, _end_of(as_at))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    threshold = escalation_threshold(organisation)
    escalated = 0
    for pk in ids:
        lc = scores.get((pk, ScoreKind.CURRENT))
        if lc is None:
            continue
        counts[lc] += 1
        escalated += convention().escalates(lc[0] * lc[1], threshold)
    return dict(counts), escalated


def principal_risks_as_at(*, user: User, organisation: Organisation, as_at: datetime.date) -> list[Risk]:
    """The principal risks the person may see that were open by the date, each with its wording (title, owner,
    gaps, rating...) as it stood at the end of that day, read back from its audit history."""
    risks = list(principal_risks(user=user, organisation=organisation).filter(opened_on__lte=as_at))
    return records_as_at(risks, _end_of(as_at), WORDING_FIELDS)


def baf_paper_build(*, user: User, organisation: Organisation, as_at: datetime.date) -> BafPaper:
    """The BAF as at the end of a day, read through the person's own scoped selectors."""
    moment = _end_of(as_at)
    risks = principal_risks_as_at(user=user, organisation=organisation, as_at=as_at)
    scores = scores_as_at([r.pk for r in risks], moment)
    previous = previous_baf(organisation=organisation, before=as_at)
    last = _previous(previous)
    before = {r.reference: r.current.score for r in last.principal} if last else {}
    measures = {m.pk: m for r in risks for m in r.measures.all()}
    summaries = summarise(list(measures.values()), until=as_at)
    by_objective: dict[int, list[PaperRisk]] = defaultdict(list)
    objectives: dict[int, StrategicObjective] = {}
    for risk in risks:
        objective = risk.objective
        if objective is None:  # a principal risk always has one (Risk.clean)
            continue

        def at(kind: str, risk: Risk = risk) -> PaperScore:
            return _paper_score(*scores.get((risk.pk, kind), risk.scores(kind)))

        current = at(ScoreKind.CURRENT)
        old = before.get(risk.reference)
        movement = (
            "new"
            if old is None
            else "up"
            if current.score > old
            else "down"
            if current.score < old
            else "same"
        )
        indicators = []
        for measure in sorted(risk.measures.all(), key=lambda m: m.name):
            s = summaries[measure.pk]
            indicators.append(
                PaperIndicator(
                    name=measure.name,
                    latest="No data yet"
                    if s.latest is None
                    else f"{measure_number(s.latest, measure.unit_label)} ({s.latest_period_text})",
                    variation=s.variation_text or "No data yet",
                    assurance=(ASSURANCE_TEXT[s.assurance] if s.assurance else "No target")
                    if s.has_data
                    else "",
                )
            )
        paper_risk = PaperRisk(
            reference=risk.reference,
            title=risk.title,
            category=risk.category.name if risk.category else "",
            appetite=risk.category.get_appetite_display() if risk.category else "",
            owner=str(risk.owner or ""),
            lead_executive=str(risk.lead_executive or ""),
            lead_committee=risk.lead_committee,
            inherent=at(ScoreKind.INHERENT),
            current=current,
            target=at(ScoreKind.TARGET),
            previous_score=old,
            movement=movement,
            assurance_rating=AssuranceLevel(risk.assurance_rating).label
            if risk.assurance_rating
            else NO_RATING,
            controls=tuple(
                PaperControl(
                    c.description,
                    tuple(
                        PaperAssurance(a.get_line_display(), a.get_level_display(), a.source)
                        for a in c.assurances.all()
                    ),
                )
                for c in risk.controls.all()
            ),
            gaps_in_control=risk.gaps_in_control,
            gaps_in_assurance=risk.gaps_in_assurance,
            actions=tuple(
                PaperAction(
                    a.reference,
                    a.title,
                    a.plan.name,
                    a.status.code if a.status else "—",
                    month_year(a.due_date),
                )
                for a in risk.actions.all()
            ),
            indicators=tuple(indicators),
            next_review=day_text(risk.next_review_on),
            escalated=risk.escalated,
            beneath=getattr(risk, "beneath_count", 0) or 0,
            beneath_highest=getattr(risk, "beneath_highest", 0) or 0,
        )
        objectives[objective.pk] = objective
        by_objective[objective.pk].append(paper_risk)
    counts, escalated = register_heat_counts(user=user, organisation=organisation, as_at=as_at)
    heat = tuple(tuple(counts.get((lk, ck), 0) for ck in range(1, 6)) for lk in range(5, 0, -1))
    return BafPaper(
        organisation_name=organisation.name,
        ods_code=organisation.ods_code,
        as_at=as_at,
        generated_at=timezone.now().replace(microsecond=0),
        generated_by=str(user),
        threshold=escalation_threshold(organisation),
        objectives=tuple(
            PaperObjective(objectives[key].code, objectives[key].title, tuple(items))
            for key, items in by_objective.items()
        ),
        heat_map=heat,
        register_total=sum(counts.values()),
        escalated_total=escalated,
        previous_as_at=previous.as_at if previous else None,
        previous_heat_map=last.heat_map if last else None,
    )
