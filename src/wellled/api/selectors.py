"""Reads the API needs beyond the apps' own selectors: its tokens, and the lists the pages never show whole
(every section, finding, cycle, update or issued paper of the organisation). Each is scoped like every read."""

from __future__ import annotations

import datetime
from typing import TypeVar

from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone

from wellled.core.access import is_current_member
from wellled.core.models import Organisation, User
from wellled.core.selectors import get_or_404, scoped
from wellled.improvement.models import PDSACycle
from wellled.measures.models import Measure, MeasureValue
from wellled.plans.models import Finding, ProgressUpdate, ReportingCycle, Section
from wellled.reports.models import IssuedPaper, IssuedPaperFile, PaperKind
from wellled.risks.models import Assurance, Control, RiskReview

from .models import TOKEN_PREFIX, ApiToken, token_digest

M = TypeVar("M", bound=Model)

# A token's last use is written at most this often, so a busy client does not write on every request.
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


def tokens_for_user(*, user: User, organisation: Organisation) -> QuerySet[ApiToken]:
    """The person's own tokens for the organisation, newest first (revoked ones too, marked)."""
    return scoped(ApiToken.objects.filter(user=user), user=user, organisation=organisation)


def token_get(*, user: User, organisation: Organisation, pk) -> ApiToken:
    """One of the person's own tokens for the organisation, or 404."""
    return get_or_404(tokens_for_user(user=user, organisation=organisation), pk=pk)


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token with this text whose person is active and a current member of its organisation, else None;
    notes its use. Ending the membership also revokes the token for good (services.tokens_revoke_for_membership),
    so re-joining later does not bring it back; the membership check here is the second lock."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(digest=token_digest(raw), revoked_at=None, user__is_active=True)
        .first()
    )
    if token is None or not is_current_member(user=token.user_id, organisation_id=token.organisation_id):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        # Bookkeeping, not plan data: no audit record for reading with a token.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _of_plans(queryset: QuerySet[M], *, user: User, organisation: Organisation) -> QuerySet[M]:
    """Rows that belong to one of the organisation's plans (sections, findings, cycles)."""
    return scoped(queryset, user=user, organisation=organisation, path="plan__organisation")


def sections_for_user(*, user: User, organisation: Organisation) -> QuerySet[Section]:
    """Every section of the organisation's plans."""
    queryset = Section.objects.select_related("plan", "executive_lead", "framework_element")
    return _of_plans(queryset, user=user, organisation=organisation)


def findings_for_user(*, user: User, organisation: Organisation) -> QuerySet[Finding]:
    """Every finding of the organisation's plans."""
    queryset = Finding.objects.select_related("plan", "framework_element")
    return _of_plans(queryset, user=user, organisation=organisation)


def cycles_for_user(*, user: User, organisation: Organisation) -> QuerySet[ReportingCycle]:
    """Every reporting cycle of the organisation's plans."""
    queryset = ReportingCycle.objects.select_related("plan", "opened_by")
    return _of_plans(queryset, user=user, organisation=organisation)


def progress_updates_for_user(*, user: User, organisation: Organisation) -> QuerySet[ProgressUpdate]:
    """Every progress update of the organisation's actions, newest first."""
    return scoped(
        ProgressUpdate.objects.select_related("action", "status", "created_by", "cycle", "supersedes"),
        user=user,
        organisation=organisation,
        path="action__plan__organisation",
    ).order_by("-created_at", "-id")


def measure_values(*, user: User, organisation: Organisation, measure: Measure) -> QuerySet[MeasureValue]:
    """A measure's stored values, earliest period first."""
    return scoped(
        MeasureValue.objects.filter(measure=measure).select_related("updated_by"),
        user=user,
        organisation=organisation,
        path="measure__organisation",
    ).order_by("period")


# The issued papers the API lists: the plans' board papers and the board assurance framework.
LISTED_PAPERS = (PaperKind.BOARD, PaperKind.BAF)


def papers_for_user(*, user: User, organisation: Organisation) -> QuerySet[IssuedPaper]:
    """Every issued board paper and BAF of the organisation, without their snapshots (which can be large)."""
    return (
        scoped(IssuedPaper.objects.filter(kind__in=LISTED_PAPERS), user=user, organisation=organisation)
        .defer("data")
        .select_related("plan", "issued_by", "cycle")
        .prefetch_related(Prefetch("files", queryset=IssuedPaperFile.objects.defer("content").order_by("id")))
    )


# Risks and quality improvement: the rows their pages show one risk or project at a time, listed whole.


def risk_reviews_for_user(*, user: User, organisation: Organisation) -> QuerySet[RiskReview]:
    """Every review of the organisation's risks, newest first."""
    reviews = RiskReview.objects.select_related("risk", "created_by")
    return scoped(reviews, user=user, organisation=organisation, path="risk__organisation").order_by(
        "-reviewed_on", "-created_at", "-id"
    )


def risk_controls_for_user(*, user: User, organisation: Organisation) -> QuerySet[Control]:
    """Every control on the organisation's risks, with its sources of assurance (as the risk's page lists them)."""
    assurances = Prefetch("assurances", queryset=Assurance.objects.order_by("line", "id"))
    controls = Control.objects.select_related("risk").prefetch_related(assurances)
    return scoped(controls, user=user, organisation=organisation, path="risk__organisation").order_by(
        "risk__reference", "order", "id"
    )


def pdsa_cycles_for_user(*, user: User, organisation: Organisation) -> QuerySet[PDSACycle]:
    """Every PDSA cycle of the organisation's QI projects, latest started first."""
    return scoped(
        PDSACycle.objects.select_related("project", "change_idea", "created_by"),
        user=user,
        organisation=organisation,
        path="project__organisation",
    ).order_by("-started_on", "-id")
