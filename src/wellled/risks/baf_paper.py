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
from typing import Any

from django.utils import timezone

from wellled.core.as_at import records_as_at
from wellled.core.formatting import day_text, measure_number, month_year
from wellled.core.models import Organisation, User
from wellled.measures.selectors import summarise
from wellled.reports.models import IssuedPaper, PaperKind
from wellled.reports.snapshot import snapshot_from_data
from wellled.spc.icons import ASSURANCE_TEXT

from .appetite import TRACK_TEXT, AssuranceReading, assurance_stale, suggested_rating, track
from .choices import AssuranceLevel, ScoreKind
from .convention import convention
from .models import Risk, RiskScore, StrategicObjective, assurance_stale_days
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
    "target_on",
    "consequence_domain",
    "assurance_rating_reason",
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
    outcome: str = ""  # "Positive", "Negative" or "" (not said)
    reported: str = ""  # the day it was reported, in words
    stale: bool = False

    @property
    def text(self) -> str:
        """'Second line, reasonable, positive, 3 March 2026 (stale): Quality committee report'."""
        parts = [self.line, self.level.lower()]
        if self.outcome:
            parts.append(self.outcome.lower())
        parts.append((self.reported or "undated") + (" (stale)" if self.stale else ""))
        return f"{', '.join(parts)}: {self.source}"


@dataclass(frozen=True)
class PaperControl:
    description: str
    assurances: tuple[PaperAssurance, ...]
    effectiveness: str = ""

    @property
    def text(self) -> str:
        return f"{self.description} [{self.effectiveness}]" if self.effectiveness else self.description


@dataclass(frozen=True)
class PaperGap:
    kind: str  # "Gap in control" or "Gap in assurance"
    description: str
    control: str = ""  # the control it undermines
    action: str = ""  # the reference of the plan action that closes it

    @property
    def text(self) -> str:
        bits = [f"{self.kind}: {self.description}"]
        if self.control:
            bits.append(f"undermines: {self.control}")
        bits.append(f"closed by action {self.action}" if self.action else "no action closes it yet")
        return "; ".join(bits)


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
    # Against appetite (ADR 0047): the tolerance of its objective, or by default of its category.
    tolerance: int | None = None
    appetite_source: str = ""  # "objective SO1" or "category Finance"
    target_date: str = ""
    track: str = ""  # appetite.TRACK_TEXT's key
    consequence_domain: str = ""
    suggested_rating: str = ""  # what the weakest current assurance suggests ("" when none is current)
    rating_reason: str = ""  # why the board's rating differs from the suggestion
    gaps: tuple[PaperGap, ...] = ()
    # Its committee's latest review by the date ("Quality Committee on 3 March 2026"; "" when none), and whether its
    # lead committee has let a cycle of its meetings pass without one (ADR 0062).
    last_reviewed: str = ""
    review_overdue: bool = False
    review_cycle_days: int = 0

    @property
    def review_text(self) -> str:
        """'Last reviewed by Quality Committee on 3 March 2026', flagged in words when a cycle has passed."""
        said = (
            f"Last reviewed by {self.last_reviewed}" if self.last_reviewed else "Not reviewed by a committee"
        )
        if self.review_overdue:
            return f"{said}: not reviewed in its committee's cycle ({self.review_cycle_days} days)"
        return said

    @property
    def above_tolerance(self) -> bool:
        return self.tolerance is not None and self.current.score > self.tolerance

    @property
    def target_above_tolerance(self) -> bool:
        return self.tolerance is not None and self.target.score > self.tolerance

    @property
    def appetite_text(self) -> str:
        """'Cautious; tolerance 12 (objective SO1)'."""
        if self.tolerance is None:
            return "No appetite set"
        word = self.appetite or "No appetite word"
        source = f" ({self.appetite_source})" if self.appetite_source else ""
        return f"{word}; tolerance {self.tolerance}{source}"

    @property
    def tolerance_text(self) -> str:
        """'Above tolerance (16 against 12)' in words, so colour is never the only signal."""
        if self.tolerance is None:
            return "No tolerance set"
        if self.above_tolerance:
            return f"Above tolerance ({self.current.score} against {self.tolerance})"
        return f"Within tolerance ({self.current.score} against {self.tolerance})"

    @property
    def target_text(self) -> str:
        """The target score with its date, whether it is on track, and a target above tolerance flagged."""
        words = [TRACK_TEXT.get(self.track, "")] if self.track else []
        if self.target_date:
            words.append(f"target date {self.target_date}")
        if self.target_above_tolerance:
            words.append(f"target above tolerance ({self.target.score} against {self.tolerance})")
        return "; ".join(w for w in words if w)

    @property
    def rating_text(self) -> str:
        """The board's rating, with the suggested one and the reason where they differ."""
        suggested = AssuranceLevel(self.suggested_rating).label if self.suggested_rating else ""
        if self.assurance_rating == NO_RATING:
            if suggested:
                return f"{suggested} (suggested from the weakest current assurance)"
            return f"{NO_RATING} (no current assurance)"
        if suggested and suggested != self.assurance_rating:
            reason = f": {self.rating_reason}" if self.rating_reason else ""
            return f"{self.assurance_rating} (suggested {suggested.lower()}; overridden{reason})"
        if not suggested:
            return f"{self.assurance_rating} (no current assurance)"
        return self.assurance_rating

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
    committee: str = ""  # the one committee whose principal risks it holds ("" for the whole BAF; ADR 0062)

    @property
    def title(self) -> str:
        scope = f" for {self.committee}" if self.committee else ""
        return f"Board assurance framework{scope}, {day_text(self.as_at)}"

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


def _appetite_word(risk: Risk) -> str:
    source = risk.appetite_from
    return source.get_appetite_display() if source is not None and source.appetite else ""


def _appetite_source(risk: Risk) -> str:
    """'objective SO1' or 'category Finance': whose appetite the risk is read against."""
    source = risk.appetite_from
    if isinstance(source, StrategicObjective):
        return f"objective {source.code}"
    return f"category {source.name}" if source is not None else ""


def committee_review(risk: Risk, as_at: datetime.date) -> tuple[str, bool, int]:
    """The latest committee review of the risk by the date in words, whether its lead committee's cycle has passed
    without one, and that cycle in days (0 without a lead committee). Reviews come prefetched, latest first."""
    reviews = [r for r in risk.committee_reviews.all() if r.reviewed_on <= as_at]
    latest = reviews[0] if reviews else None
    said = f"{latest.committee.name} on {day_text(latest.reviewed_on)}" if latest else ""
    cycle = risk.committee.cycle_days if risk.committee is not None else 0
    overdue = bool(cycle) and (latest is None or (as_at - latest.reviewed_on).days > cycle)
    return said, overdue, cycle


def lead_committee_name(risk: Risk) -> str:
    """The committee it is linked to, else the text typed before committees were set up."""
    return risk.committee.name if risk.committee is not None else risk.lead_committee


def baf_paper_build(
    *, user: User, organisation: Organisation, as_at: datetime.date, committee: Any = None
) -> BafPaper:
    """The BAF as at the end of a day, read through the person's own scoped selectors; for one committee's
    principal risks when one is named (a committees.Committee of the organisation)."""
    moment = _end_of(as_at)
    risks = principal_risks_as_at(user=user, organisation=organisation, as_at=as_at)
    if committee is not None:
        risks = [r for r in risks if r.committee_id == committee.pk]
    scores = scores_as_at([r.pk for r in risks], moment)
    previous = previous_baf(organisation=organisation, before=as_at)
    last = _previous(previous)
    before = {r.reference: r.current.score for r in last.principal} if last else {}
    measures = {m.pk: m for r in risks for m in r.measures.all()}
    summaries = summarise(list(measures.values()), until=as_at)
    stale_days = assurance_stale_days(organisation)
    by_objective: dict[int, list[PaperRisk]] = defaultdict(list)
    objectives: dict[int, StrategicObjective] = {}
    for risk in risks:
        objective = risk.objective
        if objective is None:  # a principal risk always has one (Risk.clean)
            continue

        def at(kind: str, risk: Risk = risk) -> PaperScore:
            return _paper_score(*scores.get((risk.pk, kind), risk.scores(kind)))

        current = at(ScoreKind.CURRENT)
        target = at(ScoreKind.TARGET)
        inherent = at(ScoreKind.INHERENT)
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
        last_reviewed, overdue, cycle = committee_review(risk, as_at)
        paper_risk = PaperRisk(
            reference=risk.reference,
            title=risk.title,
            category=risk.category.name if risk.category else "",
            appetite=_appetite_word(risk),
            owner=str(risk.owner or ""),
            lead_executive=str(risk.lead_executive or ""),
            lead_committee=lead_committee_name(risk),
            inherent=inherent,
            current=current,
            target=target,
            previous_score=old,
            movement=movement,
            assurance_rating=AssuranceLevel(risk.assurance_rating).label
            if risk.assurance_rating
            else NO_RATING,
            controls=tuple(
                PaperControl(
                    c.description,
                    tuple(
                        PaperAssurance(
                            a.get_line_display(),
                            a.get_level_display(),
                            a.source,
                            outcome=a.get_outcome_display() if a.outcome else "",
                            reported=day_text(a.reported_on) if a.reported_on else "",
                            stale=assurance_stale(a.reported_on, on=as_at, stale_days=stale_days),
                        )
                        for a in c.assurances.all()
                    ),
                    effectiveness=c.get_effectiveness_display(),
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
            tolerance=risk.tolerance,
            appetite_source=_appetite_source(risk),
            target_date=day_text(risk.target_on) if risk.target_on else "",
            track=track(
                current_score=current.score,
                target_score=target.score,
                start_score=inherent.score,
                start_on=risk.opened_on,
                target_on=risk.target_on,
                on=as_at,
            ),
            consequence_domain=risk.get_consequence_domain_display() if risk.consequence_domain else "",
            suggested_rating=suggested_rating(
                (
                    AssuranceReading(a.level, a.outcome, a.reported_on)
                    for c in risk.controls.all()
                    for a in c.assurances.all()
                ),
                on=as_at,
                stale_days=stale_days,
            ),
            rating_reason=risk.assurance_rating_reason,
            gaps=tuple(
                PaperGap(
                    g.get_kind_display(),
                    g.description,
                    control=g.control.description if g.control else "",
                    action=g.action.reference if g.action else "",
                )
                for g in risk.gaps.all()
            ),
            last_reviewed=last_reviewed,
            review_overdue=overdue,
            review_cycle_days=cycle,
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
        committee=committee.name if committee is not None else "",
    )
