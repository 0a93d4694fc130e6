"""Every read of the risk registers, limited to the signed-in person's organisation (core.selectors.scoped)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.selectors import get_or_404, scoped
from wellled.measures.selectors import MeasureSummary, summarise
from wellled.plans.models import Action, Finding
from wellled.plans.panels import ActionPanel
from wellled.reports.models import IssuedPaper, IssuedPaperFile, PaperJob, PaperKind

from .appetite import AssuranceReading, assurance_stale, suggested_rating
from .choices import RiskStatus
from .convention import Band, convention
from .models import (
    Assurance,
    Control,
    Gap,
    Risk,
    RiskCategory,
    RiskEscalation,
    RiskPolicy,
    RiskReview,
    RiskScore,
    StrategicObjective,
    assurance_stale_days,
)


def risks_for_user(*, user: User, organisation: Organisation) -> QuerySet[Risk]:
    """The organisation's risks, every register."""
    return scoped(Risk.objects.all(), user=user, organisation=organisation)


def risk_get(*, user: User, organisation: Organisation, pk) -> Risk:
    """One risk of the organisation, or 404."""
    return get_or_404(
        risks_for_user(user=user, organisation=organisation).select_related(
            "organisation",
            "unit",
            "category",
            "owner",
            "handler",
            "objective",
            "lead_executive",
            "parent",
            "committee",
        ),
        pk=pk,
    )


def control_get(*, user: User, organisation: Organisation, pk) -> Control:
    """One control of one of the organisation's risks, or 404."""
    return get_or_404(
        scoped(
            Control.objects.select_related("risk__organisation"),
            user=user,
            organisation=organisation,
            path="risk__organisation",
        ),
        pk=pk,
    )


def categories(*, user: User, organisation: Organisation) -> QuerySet[RiskCategory]:
    return scoped(RiskCategory.objects.all(), user=user, organisation=organisation)


def objectives(*, user: User, organisation: Organisation) -> QuerySet[StrategicObjective]:
    return scoped(StrategicObjective.objects.all(), user=user, organisation=organisation)


def risk_units(*, user: User, organisation: Organisation) -> QuerySet[OrganisationUnit]:
    """The directorates, care groups and services a risk can belong to."""
    return scoped(OrganisationUnit.objects.exclude(kind="site"), user=user, organisation=organisation)


@dataclass(frozen=True)
class RegisterFilters:
    """What the register page can be narrowed to; empty values mean 'all'."""

    unit: int | None = None
    category: int | None = None
    status: str = "live"  # open and tolerated; or "all", or one status
    band: str = ""
    escalated: bool = False
    overdue: bool = False
    owner: int | None = None
    likelihood: int | None = None
    consequence: int | None = None
    text: str = ""

    @property
    def active(self) -> bool:
        return (
            any(
                (
                    self.unit,
                    self.category,
                    self.band,
                    self.escalated,
                    self.overdue,
                    self.owner,
                    self.likelihood,
                    self.consequence,
                    self.text,
                )
            )
            or self.status != "live"
        )


def _filtered(risks: QuerySet[Risk], filters: RegisterFilters, on: datetime.date) -> QuerySet[Risk]:
    if filters.unit:
        risks = risks.filter(unit_id=filters.unit)
    if filters.category:
        risks = risks.filter(category_id=filters.category)
    if filters.status == "live":
        risks = risks.exclude(status=RiskStatus.CLOSED)
    elif filters.status in RiskStatus.values:
        risks = risks.filter(status=filters.status)
    if filters.band:
        band = next((b for b in convention().bands if b.key == filters.band), None)
        if band is not None:
            risks = risks.filter(current_score__gte=band.min, current_score__lte=band.max)
    if filters.escalated:
        risks = risks.filter(escalated=True)
    if filters.overdue:
        risks = risks.filter(next_review_on__lt=on).exclude(status=RiskStatus.CLOSED)
    if filters.owner:
        risks = risks.filter(Q(owner_id=filters.owner) | Q(handler_id=filters.owner))
    if filters.likelihood:
        risks = risks.filter(current_likelihood=filters.likelihood)
    if filters.consequence:
        risks = risks.filter(current_consequence=filters.consequence)
    if filters.text:
        risks = risks.filter(Q(title__icontains=filters.text) | Q(reference__iexact=filters.text))
    return risks


def risk_register(
    *, user: User, organisation: Organisation, filters: RegisterFilters | None = None, on: datetime.date
) -> QuerySet[Risk]:
    """The register, highest current score first, in a constant number of queries however long it is."""
    risks = _filtered(risks_for_user(user=user, organisation=organisation), filters or RegisterFilters(), on)
    return risks.select_related("unit", "category", "owner", "handler").order_by(
        "-current_score", "reference"
    )


@dataclass(frozen=True)
class HeatCell:
    """One cell of the 5 x 5 heat map: its likelihood and consequence, score, band and how many risks sit there."""

    likelihood: int
    consequence: int
    count: int

    @property
    def score(self) -> int:
        return self.likelihood * self.consequence

    @property
    def band(self) -> Band:
        return convention().band(self.score)


@dataclass(frozen=True)
class HeatMap:
    """The 5 x 5 grid, most likely row first, with the total it counts."""

    rows: tuple[tuple[HeatCell, ...], ...]
    total: int

    def count(self, likelihood: int, consequence: int) -> int:
        return self.rows[5 - likelihood][consequence - 1].count


def heat_map_from_counts(counts: dict[tuple[int, int], int]) -> HeatMap:
    """A heat map from counts keyed by (likelihood, consequence)."""
    scale = convention().scale
    rows = tuple(tuple(HeatCell(lk, ck, counts.get((lk, ck), 0)) for ck in scale) for lk in reversed(scale))
    return HeatMap(rows=rows, total=sum(counts.values()))


def heat_map(
    *, user: User, organisation: Organisation, filters: RegisterFilters | None = None, on: datetime.date
) -> HeatMap:
    """How many risks of the register (as filtered) sit at each current likelihood and consequence: one query."""
    risks = _filtered(risks_for_user(user=user, organisation=organisation), filters or RegisterFilters(), on)
    counts = {
        (row["current_likelihood"], row["current_consequence"]): row["n"]
        for row in risks.order_by()
        .values("current_likelihood", "current_consequence")
        .annotate(n=Count("id"))
    }
    return heat_map_from_counts(counts)


def reviews_overdue(*, user: User, organisation: Organisation, on: datetime.date) -> QuerySet[Risk]:
    """Risks not closed whose next review date has passed, longest overdue first."""
    return (
        risks_for_user(user=user, organisation=organisation)
        .exclude(status=RiskStatus.CLOSED)
        .filter(next_review_on__lt=on)
        .select_related("unit", "owner", "handler")
        .order_by("next_review_on", "reference")
    )


def risks_for_action(*, user: User, organisation: Organisation, action: Action) -> QuerySet[Risk]:
    """The risks an action mitigates (for the action's page)."""
    return (
        risks_for_user(user=user, organisation=organisation).filter(actions=action).order_by("-current_score")
    )


@dataclass
class RiskPage:
    """Everything the risk's page shows: controls with assurances, reviews, scoring history, escalations, links."""

    risk: Risk
    controls: list[Control]
    reviews: list[RiskReview]
    scores: list[RiskScore]
    escalations: list[RiskEscalation]
    actions: list[Action]
    kris: list[MeasureSummary]
    findings: list = field(default_factory=list)
    beneath: list[Risk] = field(default_factory=list)  # operational risks feeding this principal risk
    gaps: list[Gap] = field(default_factory=list)
    stale: set[int] = field(default_factory=set)  # ids of its assurances older than the set age today
    suggested_rating: str = ""  # what the weakest current assurance suggests ('' when none is current)


def risk_page(*, user: User, organisation: Organisation, pk) -> RiskPage:
    """A risk with everything its page shows, in a fixed number of queries."""
    risk = risk_get(user=user, organisation=organisation, pk=pk)
    controls = list(
        risk.controls.prefetch_related(
            Prefetch("assurances", queryset=Assurance.objects.order_by("line", "id"))
        )
    )
    measures = list(risk.measures.select_related("unit").order_by("name"))
    summaries = summarise(measures, until=None)
    today, age = timezone.localdate(), assurance_stale_days(organisation)
    assurances = [a for c in controls for a in c.assurances.all()]
    return RiskPage(
        risk=risk,
        controls=controls,
        reviews=list(risk.reviews.select_related("created_by")),
        scores=list(risk.score_history.select_related("recorded_by").order_by("-recorded_at", "-id")),
        escalations=list(risk.escalations.select_related("created_by").order_by("-created_at", "-id")),
        actions=list(
            risk.actions.select_related("plan", "status", "lead").order_by("plan__name", "reference")
        ),
        kris=[summaries[m.pk] for m in measures],
        findings=list(risk.findings.select_related("plan").order_by("plan__name", "number")),
        beneath=list(
            risk.beneath.exclude(status=RiskStatus.CLOSED)
            .select_related("unit")
            .order_by("-current_score", "reference")
        ),
        gaps=list(risk.gaps.select_related("control", "action__plan")),
        stale={a.pk for a in assurances if assurance_stale(a.reported_on, on=today, stale_days=age)},
        suggested_rating=suggested_rating(
            (AssuranceReading(a.level, a.outcome, a.reported_on) for a in assurances),
            on=today,
            stale_days=age,
        ),
    )


def _committee_reviews() -> QuerySet:
    """Committees' reviews of a risk (committees.RiskReview, read by label), latest first."""
    review = Risk._meta.get_field("committee_reviews").related_model
    return review._default_manager.select_related("committee").order_by("-reviewed_on", "-pk")


def lead_committees(*, user: User, organisation: Organisation) -> QuerySet:
    """The organisation's active committees a risk or measure can be led by (committees.Committee, by label)."""
    committee = Risk._meta.get_field("committee").related_model
    return scoped(committee._default_manager.filter(active=True), user=user, organisation=organisation)


def principal_risks(*, user: User, organisation: Organisation) -> QuerySet[Risk]:
    """The BAF's principal risks, by objective, with what the BAF page and paper show of each."""
    return (
        risks_for_user(user=user, organisation=organisation)
        .filter(principal=True)
        .annotate(
            beneath_count=Count("beneath", filter=~Q(beneath__status=RiskStatus.CLOSED), distinct=True),
            beneath_highest=Max("beneath__current_score", filter=~Q(beneath__status=RiskStatus.CLOSED)),
        )
        .select_related("objective", "category", "owner", "lead_executive", "unit", "committee")
        .prefetch_related(
            # Committees' reviews by the reverse relation: risks never imports committees (ADR 0062).
            Prefetch("committee_reviews", queryset=_committee_reviews()),
            Prefetch("controls", queryset=Control.objects.prefetch_related("assurances")),
            Prefetch(
                "actions", queryset=Action.objects.select_related("status", "plan").order_by("reference")
            ),
            "measures",
            Prefetch("gaps", queryset=Gap.objects.select_related("control", "action")),
        )
        .order_by("objective__order", "objective__code", "-current_score", "reference")
    )


def assurance_stale_days_set(*, user: User, organisation: Organisation) -> int | None:
    """The organisation's own age at which assurance is stale, None when it keeps the default."""
    return (
        scoped(RiskPolicy.objects.all(), user=user, organisation=organisation)
        .values_list("assurance_stale_days", flat=True)
        .first()
    )


def category_get(*, user: User, organisation: Organisation, pk) -> RiskCategory:
    return get_or_404(categories(user=user, organisation=organisation), pk=pk)


def objective_get(*, user: User, organisation: Organisation, pk) -> StrategicObjective:
    return get_or_404(objectives(user=user, organisation=organisation), pk=pk)


def review_reminders(*, user: User, organisation: Organisation):
    """The review reminders sent, newest first."""
    from .models import ReviewReminder

    return scoped(
        ReviewReminder.objects.select_related("recipient", "sent_by"), user=user, organisation=organisation
    )


def action_risks_panel(*, user: User, organisation: Organisation, action: Action) -> ActionPanel | None:
    """The action page's panel of the risks it mitigates (plans.panels), None when it mitigates none."""
    mitigated = list(risks_for_action(user=user, organisation=organisation, action=action))
    return ActionPanel("risks/_action_risks.jinja", {"mitigated": mitigated}) if mitigated else None


def mitigated_risks_by_action(*, user: User, organisation: Organisation, plan) -> dict[int, tuple[str, ...]]:
    """For the board paper: by action id, the risks each of the plan's actions mitigates, highest score first
    ("CR12 Ward staffing below plan (score 20)"), in one query."""
    links = (
        Risk.actions.through.objects.filter(
            action__plan=plan, risk__in=risks_for_user(user=user, organisation=organisation)
        )
        .select_related("risk")
        .order_by("-risk__current_score", "risk__reference")
    )
    found: dict[int, list[str]] = {}
    for link in links:
        risk = link.risk
        score = f"score {risk.current_score}" if risk.current_score else "not scored"
        found.setdefault(link.action_id, []).append(f"{risk.reference} {risk.title} ({score})")
    return {action_id: tuple(texts) for action_id, texts in found.items()}


# What the risk and BAF pages offer or fetch, each limited to the person's organisation ---------------------------


def link_actions_available(*, user: User, organisation: Organisation) -> QuerySet[Action]:
    """Actions of the organisation's live plans, which a risk may be mitigated by."""
    actions = scoped(
        Action.objects.select_related("plan"), user=user, organisation=organisation, path="plan__organisation"
    )
    return actions.filter(plan__archived=False).order_by("plan__name", "order", "reference")


def link_findings_available(*, user: User, organisation: Organisation) -> QuerySet[Finding]:
    """Findings of the organisation's plans, which a risk may arise from."""
    findings = scoped(
        Finding.objects.select_related("plan"),
        user=user,
        organisation=organisation,
        path="plan__organisation",
    )
    return findings.order_by("plan__name", "number")


def baf_papers(*, user: User, organisation: Organisation) -> QuerySet[IssuedPaper]:
    """The organisation's issued BAF papers (without their snapshots)."""
    papers = scoped(IssuedPaper.objects.filter(kind=PaperKind.BAF), user=user, organisation=organisation)
    return papers.defer("data").select_related("issued_by")


def baf_jobs(*, user: User, organisation: Organisation) -> QuerySet[PaperJob]:
    """The organisation's jobs issuing BAF papers."""
    jobs = scoped(PaperJob.objects.filter(kind=PaperKind.BAF), user=user, organisation=organisation)
    return jobs.select_related("paper")


def baf_paper_files(*, user: User, organisation: Organisation) -> QuerySet[IssuedPaperFile]:
    """The files of the organisation's issued BAF papers."""
    files = IssuedPaperFile.objects.filter(paper__kind=PaperKind.BAF)
    return scoped(files, user=user, organisation=organisation, path="paper__organisation")


def risks_held_open(*, by: User, organisation: Organisation, person: User) -> QuerySet[Risk]:
    """The risks not closed that the person owns, handles or leads as executive: what to hand on when they leave or
    can no longer act (core.holdings), read as `by`."""
    held = Q(owner=person) | Q(handler=person) | Q(lead_executive=person)
    return (
        risks_for_user(user=by, organisation=organisation)
        .exclude(status=RiskStatus.CLOSED)
        .filter(held)
        .order_by("reference", "pk")
    )
