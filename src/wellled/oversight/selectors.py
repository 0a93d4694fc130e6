"""Reads of oversight records, each limited to what the person may see (ADR 0038, ADR 0039).

Two ways in. An oversight body's own people read the body's records about a trust of its portfolio *today*
(`organisation` is the body; a trust that left, or was never there, is a 404). A trust's people (and anyone lent
a view of the trust) read the trust's status and exit criteria and its improvement board meetings (`organisation`
is the trust); never a body's notes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from wellled.assessments.selectors import assessments_for_user
from wellled.core.models import Organisation, PortfolioEntry, User
from wellled.core.selectors import get_or_404, membership_get, scoped
from wellled.measures.selectors import MeasureSummary, measures_for_user, summarise
from wellled.plans.models import Plan
from wellled.plans.selectors import actions_for_user, plans_for_user
from wellled.reports.selectors import current_papers

from .choices import EvidenceKind
from .models import (
    ExitCriterion,
    ExitCriterionEvidence,
    ExitCriterionJudgement,
    ExitRecommendation,
    ImprovementBoardMeeting,
    MeetingAction,
    MeetingAgendaItem,
    OversightNote,
    OversightStatus,
    RegulatoryAction,
    Sustained,
    sustained_read,
)

# The page of the trust's own each kind of evidence opens (its URL takes the object's id).
EVIDENCE_URL_NAMES: dict[str, str] = {
    EvidenceKind.ACTION: "action-detail",
    EvidenceKind.MEASURE: "measure-detail",
    EvidenceKind.ASSESSMENT: "assessment-detail",
    EvidenceKind.PAPER: "paper-detail",
}


# The body's side ------------------------------------------------------------------------------------------------


def overseen_trusts(*, user: User, organisation: Organisation) -> QuerySet[Organisation]:
    """The trusts in the body's portfolio today, for the body's own people; nothing for anyone else."""
    if not organisation.is_oversight_body:
        return Organisation.objects.none()
    membership = membership_get(user=user, organisation=organisation)
    if membership is None or getattr(membership, "via", None) is not None:
        return Organisation.objects.none()
    entries = PortfolioEntry.objects.standing().filter(oversight_body=organisation)
    return Organisation.objects.filter(pk__in=entries.values("trust_id")).order_by("name")


def overseen_trust_get(*, user: User, organisation: Organisation, pk) -> Organisation:
    """One trust of the body's portfolio today, or 404 (another body's trust, or one that left, alike)."""
    return get_or_404(overseen_trusts(user=user, organisation=organisation), pk=pk)


def _body_records(
    queryset: QuerySet, *, user: User, organisation: Organisation, trust_path: str = "trust"
) -> QuerySet:
    """The body's own records about trusts of its portfolio today (`trust_path` leads from a record to its trust)."""
    if not organisation.is_oversight_body:
        return queryset.none()
    entries = PortfolioEntry.objects.standing().filter(oversight_body=organisation)
    return scoped(
        queryset, user=user, organisation=organisation, path=trust_path.replace("trust", "oversight_body")
    ).filter(**{f"{trust_path}__in": entries.values("trust_id")})


def body_status_records(*, user: User, organisation: Organisation) -> QuerySet[OversightStatus]:
    """The body's oversight status records of every trust of its portfolio today, newest first."""
    return _body_records(
        OversightStatus.objects.select_related(
            "improvement_director", "recorded_by", "trust", "oversight_body"
        ),
        user=user,
        organisation=organisation,
    )


def body_statuses(*, user: User, organisation: Organisation, trust: Organisation) -> list[OversightStatus]:
    """The body's oversight status records of one trust, newest first."""
    return list(body_status_records(user=user, organisation=organisation).filter(trust=trust))


def body_current_statuses(*, user: User, organisation: Organisation) -> dict[int, OversightStatus]:
    """Each portfolio trust's position standing today (trust id -> status), in one query: for pages listing many
    trusts, such as the portfolio."""
    today = timezone.localdate()
    statuses = _body_records(
        OversightStatus.objects.select_related("improvement_director"), user=user, organisation=organisation
    ).filter(effective_from__lte=today)
    current: dict[int, OversightStatus] = {}
    for status in statuses.order_by("trust_id", "-effective_from", "-recorded_at", "-id"):
        current.setdefault(status.trust_id, status)
    return current


def body_criteria(*, user: User, organisation: Organisation) -> QuerySet[ExitCriterion]:
    """The body's exit criteria for trusts of its portfolio today."""
    return _body_records(ExitCriterion.objects.select_related("trust"), user=user, organisation=organisation)


def body_criterion_get(*, user: User, organisation: Organisation, pk) -> ExitCriterion:
    """One of the body's exit criteria (its trust still in the portfolio), or 404."""
    return get_or_404(body_criteria(user=user, organisation=organisation), pk=pk)


def body_evidence_get(*, user: User, organisation: Organisation, pk) -> ExitCriterionEvidence:
    """One piece of evidence of one of the body's exit criteria, or 404."""
    evidence = _body_records(
        ExitCriterionEvidence.objects.select_related("criterion", "criterion__trust"),
        user=user,
        organisation=organisation,
        trust_path="criterion__trust",
    )
    return get_or_404(evidence, pk=pk)


def body_notes(*, user: User, organisation: Organisation, trust: Organisation) -> list[OversightNote]:
    """The body's private notes about one trust, newest first."""
    notes = _body_records(
        OversightNote.objects.select_related("written_by"), user=user, organisation=organisation
    )
    return list(notes.filter(trust=trust))


# Both sides -----------------------------------------------------------------------------------------------------


def current_status(
    statuses: Sequence[OversightStatus], *, on: datetime.date | None = None
) -> OversightStatus | None:
    """The position that stands on a day: the latest taking effect by then (the latest recorded, on a tie)."""
    on = on or timezone.localdate()
    standing = [s for s in statuses if s.effective_from <= on]
    return max(standing, key=lambda s: (s.effective_from, s.recorded_at, s.pk), default=None)


@dataclass(frozen=True)
class CriterionRow:
    """An exit criterion with its judgements (newest first), the latest of them, and its evidence."""

    criterion: ExitCriterion
    judgements: tuple[ExitCriterionJudgement, ...]
    evidence: tuple[ExitCriterionEvidence, ...]

    @property
    def latest(self) -> ExitCriterionJudgement | None:
        return self.judgements[0] if self.judgements else None

    def sustained(self, on: datetime.date | None = None) -> Sustained:
        """Whether the criterion is met under its rule on a day (today unless given)."""
        return sustained_read(self.criterion, self.judgements, on)

    @property
    def now(self) -> Sustained:
        return self.sustained()


def criterion_rows(criteria: QuerySet[ExitCriterion]) -> list[CriterionRow]:
    """Each criterion with its judgements and evidence, in three queries."""
    criteria = criteria.prefetch_related(
        Prefetch("judgements", queryset=ExitCriterionJudgement.objects.select_related("judged_by")),
        Prefetch("evidence", queryset=ExitCriterionEvidence.objects.all()),
    ).order_by("order", "reference", "pk")
    return [
        CriterionRow(criterion=c, judgements=tuple(c.judgements.all()), evidence=tuple(c.evidence.all()))
        for c in criteria
    ]


def evidence_measure_summaries(*, user: User, rows: Sequence[CriterionRow]) -> dict[int, MeasureSummary]:
    """The SPC summary (variation, assurance, latest value) of each measure offered as evidence, by evidence id,
    for the measures the person may see in the criterion's trust: shown beside the judgement."""
    wanted: dict[int, list[int]] = {}
    trusts: dict[int, Organisation] = {}
    for row in rows:
        for item in row.evidence:
            if item.kind == EvidenceKind.MEASURE:
                wanted.setdefault(row.criterion.trust_id, []).append(item.object_id)
                trusts[row.criterion.trust_id] = row.criterion.trust
    measures = []
    for trust_id, ids in wanted.items():
        measures += list(measures_for_user(user=user, organisation=trusts[trust_id]).filter(pk__in=ids))
    summaries = summarise(measures)
    by_evidence: dict[int, MeasureSummary] = {}
    for row in rows:
        for item in row.evidence:
            if item.kind == EvidenceKind.MEASURE and item.object_id in summaries:
                by_evidence[item.pk] = summaries[item.object_id]
    return by_evidence


def body_regulatory_actions(*, user: User, organisation: Organisation) -> QuerySet[RegulatoryAction]:
    """The regulatory actions the body keeps about trusts of its portfolio today, newest first."""
    return _body_records(
        RegulatoryAction.objects.select_related("trust", "recorded_by"), user=user, organisation=organisation
    )


def body_regulatory_action_get(*, user: User, organisation: Organisation, pk) -> RegulatoryAction:
    """One of the body's regulatory actions (its trust still in the portfolio), or 404."""
    return get_or_404(body_regulatory_actions(user=user, organisation=organisation), pk=pk)


def body_recommendations(*, user: User, organisation: Organisation) -> QuerySet[ExitRecommendation]:
    """The body's recommendations that trusts of its portfolio leave intensive support, with their decisions."""
    return _body_records(
        ExitRecommendation.objects.select_related("trust", "recommended_by", "decided_by"),
        user=user,
        organisation=organisation,
    )


def body_recommendation_get(*, user: User, organisation: Organisation, pk) -> ExitRecommendation:
    """One of the body's exit recommendations (its trust still in the portfolio), or 404."""
    return get_or_404(body_recommendations(user=user, organisation=organisation), pk=pk)


# The trust's side -----------------------------------------------------------------------------------------------


def trust_regulatory_actions(*, user: User, organisation: Organisation) -> QuerySet[RegulatoryAction]:
    """The regulatory actions recorded about the trust (by any body), for the trust's people."""
    actions = RegulatoryAction.objects.select_related("oversight_body", "trust", "recorded_by")
    return scoped(actions, user=user, organisation=organisation, path="trust")


def trust_recommendations(*, user: User, organisation: Organisation) -> QuerySet[ExitRecommendation]:
    """The recommendations that the trust leave intensive support, and their decisions, for the trust's people."""
    rows = ExitRecommendation.objects.select_related("oversight_body", "recommended_by", "decided_by")
    return scoped(rows, user=user, organisation=organisation, path="trust")


def trust_status_records(*, user: User, organisation: Organisation) -> QuerySet[OversightStatus]:
    """Every oversight status recorded about the trust (by any body), newest first, for the trust's people."""
    statuses = OversightStatus.objects.select_related(
        "improvement_director", "recorded_by", "oversight_body", "trust"
    )
    return scoped(statuses, user=user, organisation=organisation, path="trust")


def trust_statuses(*, user: User, organisation: Organisation) -> list[OversightStatus]:
    """Every oversight status recorded about the trust (by any body), newest first, for the trust's people."""
    return list(trust_status_records(user=user, organisation=organisation))


def trust_criteria(*, user: User, organisation: Organisation) -> QuerySet[ExitCriterion]:
    """The exit criteria agreed for the trust, for the trust's people."""
    criteria = ExitCriterion.objects.select_related("oversight_body")
    return scoped(criteria, user=user, organisation=organisation, path="trust")


def meetings_for_user(*, user: User, organisation: Organisation) -> QuerySet[ImprovementBoardMeeting]:
    """The trust's improvement board meetings, newest first."""
    return scoped(ImprovementBoardMeeting.objects.all(), user=user, organisation=organisation)


def meeting_get(*, user: User, organisation: Organisation, pk) -> ImprovementBoardMeeting:
    """One of the trust's improvement board meetings, or 404."""
    return get_or_404(meetings_for_user(user=user, organisation=organisation), pk=pk)


@dataclass(frozen=True)
class MeetingRow:
    """A meeting with its agenda and the actions it raised (each with its delivery status)."""

    meeting: ImprovementBoardMeeting
    agenda: tuple[MeetingAgendaItem, ...]
    actions: tuple[MeetingAction, ...]


def meeting_rows(
    meetings: Iterable[ImprovementBoardMeeting] | QuerySet[ImprovementBoardMeeting],
) -> list[MeetingRow]:
    """Each meeting with its agenda and raised actions, in three queries."""
    if isinstance(meetings, QuerySet):
        queryset = meetings
    else:
        queryset = ImprovementBoardMeeting.objects.filter(pk__in=[m.pk for m in meetings])
    queryset = queryset.prefetch_related(
        "agenda_items",
        Prefetch(
            "raised",
            queryset=MeetingAction.objects.select_related(
                "action", "action__status", "action__plan", "action__lead"
            ).order_by("raised_at", "id"),
        ),
    ).order_by("-held_on", "-id")
    return [
        MeetingRow(meeting=m, agenda=tuple(m.agenda_items.all()), actions=tuple(m.raised.all()))
        for m in queryset
    ]


def meeting_plans(*, user: User, organisation: Organisation) -> QuerySet[Plan]:
    """The trust's plans an action raised at a meeting may go into."""
    return plans_for_user(user=user, organisation=organisation).order_by("name")


# Evidence: the trust's own records, read through their own apps' selectors ---------------------------------------


@dataclass(frozen=True)
class EvidenceChoice:
    """One record of the trust's that may be offered as evidence."""

    kind: str
    object_id: int
    label: str

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.object_id}"


def evidence_choices(*, user: User, trust: Organisation) -> list[EvidenceChoice]:
    """The trust's actions, measures, assessments and issued papers that the person may see, as evidence."""
    scope: dict[str, Any] = {"user": user, "organisation": trust}
    choices = [
        EvidenceChoice(EvidenceKind.ACTION, a.pk, f"{a.reference} {a.title}"[:300])
        for a in actions_for_user(**scope).select_related("plan").order_by("plan__name", "order", "pk")
    ]
    choices += [
        EvidenceChoice(EvidenceKind.MEASURE, m.pk, m.name[:300])
        for m in measures_for_user(**scope).order_by("name", "pk")
    ]
    choices += [
        EvidenceChoice(EvidenceKind.ASSESSMENT, a.pk, str(a)[:300])
        for a in assessments_for_user(**scope).order_by("-assessed_on", "pk")
    ]
    for plan in plans_for_user(**scope).order_by("name"):
        choices += [
            EvidenceChoice(EvidenceKind.PAPER, p.pk, str(p)[:300]) for p in current_papers(plan=plan, **scope)
        ]
    return choices


def evidence_object_label(*, user: User, trust: Organisation, kind: str, object_id: int) -> str:
    """What the trust's record is called, if it is the trust's and the person may see it; else Http404."""
    scope: dict[str, Any] = {"user": user, "organisation": trust}
    if kind == EvidenceKind.ACTION:
        action = get_or_404(actions_for_user(**scope), pk=object_id)
        return f"{action.reference} {action.title}"[:300]
    if kind == EvidenceKind.MEASURE:
        return get_or_404(measures_for_user(**scope), pk=object_id).name[:300]
    if kind == EvidenceKind.ASSESSMENT:
        return str(get_or_404(assessments_for_user(**scope), pk=object_id))[:300]
    if kind == EvidenceKind.PAPER:
        for plan in plans_for_user(**scope):
            paper = current_papers(plan=plan, **scope).filter(pk=object_id).first()
            if paper is not None:
                return str(paper)[:300]
    raise Http404("Not found.")
