"""An oversight body's portfolio: one row per trust it oversees today, with its oversight status, CQC ratings,
plan delivery, exit criteria and key measures, and the same measure across the portfolio (trajectories).

Everything is read for all the trusts at once, in a constant number of queries however many trusts the portfolio
holds, and the SPC icons of every key measure come from batched `spc_batch` calls (ADR 0040). Only the body's own
current members see it; each trust's records are read through `core.selectors.scoped_many`, the same rules as a
single trust's pages (ADR 0038).

At a region's scale (220 trusts) the pages show one page of trusts at a time: the filters are applied in the
database, and each trust's costly facts (plan delivery from every action's position, SPC of the key measures) are
worked out only for the trusts a page shows, and kept in Django's cache until the trust's next audited change or the
next day (ADR 0052).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from wellled.assessments.choices import KEY_QUESTION_COLUMNS, OVERALL, AssessorKind, RatingValue
from wellled.assessments.models import PublishedRating
from wellled.assessments.scoring import Rating
from wellled.assessments.selectors import TimelineCell, TimelineEntry, timeline_summary, trust_cqc_timelines
from wellled.core.access import current_memberships
from wellled.core.formatting import padded_date
from wellled.core.models import AuditLog, DeliveryStatus, Organisation, PortfolioEntry, User
from wellled.core.selectors import scoped_many
from wellled.measures.models import Measure
from wellled.measures.selectors import (
    ASSURANCE_NAMES,
    VARIATION_NAMES,
    MeasureSummary,
    Series,
    indicator_measures,
    spc_results_batch,
    stored_summaries,
)
from wellled.plans.selectors import DeliverySummary, delivery_by_organisation
from wellled.spc import Assurance, SPCResult, Variation

from .choices import Judgement, Programme, Segment
from .editions import months_between
from .models import ExitCriterion, ExitCriterionJudgement, OversightStatus, RegulatoryAction, sustained_read

# Key measures shown per row when the body names none: more icons than this no longer fit a row on a laptop.
DEFAULT_KEY_MEASURES = 4
# At most this many chosen in the address (each is a column, and each costs nothing in queries).
MAX_KEY_MEASURES = 8
# Longest search text kept from the address: an ODS code or a trust's name fits easily.
SEARCH_CHARS = 100
# Trusts on one page of the portfolio: a row with its icons is about 9.5 KB of HTML and the page around it 76 KB
# (the filters, every indicator code to choose from), so 10 rows keep the first screen under issue 24's 200 KB.
PAGE_SIZE = 10
# Trusts on one page of the trajectories: three charts abreast, four rows of them (about 12 KB a chart, and the
# page's CQC ratings of the same trusts), under issue 24's 200 KB.
TRAJECTORIES_PAGE_SIZE = 12
# How long a trust's worked-out facts stay in the cache at most; its next audited change or the next day retires
# them sooner, as the cache key says (ADR 0052).
FACTS_CACHE_SECONDS = 6 * 60 * 60
# Sorts that need every matching trust's costly facts; the others sort on what the database gave.
FACT_SORTS = frozenset({"overdue", "awaited", "concerns"})
# Sorts that read a row's oversight status or exit criteria, so every matching row is described before paging.
DESCRIBED_SORTS = frozenset({"segment", "programme", "months", "exit"})

SORTS = {
    "trust": "trust name",
    "segment": "segment",
    "programme": "programme",
    "months": "months in programme",
    "rating": "CQC overall rating",
    "overdue": "overdue actions",
    "awaited": "updates awaited",
    "exit": "share of exit criteria met",
    "concerns": "key measures showing concern",
}
# Variation groups of the trajectories page, most pressing first.
VARIATION_ORDER = (
    Variation.CONCERN_HIGH,
    Variation.CONCERN_LOW,
    Variation.NEUTRAL_HIGH,
    Variation.NEUTRAL_LOW,
    Variation.COMMON_CAUSE,
    Variation.IMPROVEMENT_HIGH,
    Variation.IMPROVEMENT_LOW,
    Variation.TOO_FEW_POINTS,  # no verdict yet: last
)
DIRECTION_WORDS = {"improved": "Improved", "declined": "Declined", "unchanged": "Unchanged"}
DIRECTION_ARROWS = {"improved": "▲", "declined": "▼", "unchanged": "▶"}


# Who may see it -----------------------------------------------------------------------------------------------


def portfolio_entries(*, user: User, organisation: Organisation) -> list[PortfolioEntry]:
    """The body's portfolio today, one entry per trust, by name; 404 unless the organisation is an oversight body
    and the user one of its own current members (a trust's people, and people lent a view, never see it)."""
    if not user.is_authenticated or not organisation.is_oversight_body:
        raise Http404("Not found.")
    own = current_memberships(user=user, organisation=organisation)
    entries = (
        PortfolioEntry.objects.standing()
        .filter(oversight_body=organisation)
        .filter(Exists(own))
        .select_related("trust")
        # Nothing shows when an entry or a trust was recorded, and reading 440 timestamps was a third of the cost.
        .defer("created_at", "trust__created_at")
        .order_by("trust__name", "joined_on")
    )
    found: dict[int, PortfolioEntry] = {}
    for entry in entries:
        found.setdefault(entry.trust_id, entry)
    if not found and not own.exists():
        raise Http404("Not found.")
    return list(found.values())


def trust_link(trust: Organisation) -> str:
    """Where a trust's name leads from the portfolio pages: the body's oversight page of the trust."""
    return reverse("oversight-trust", args=[trust.pk])


# Filters and sorting ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioFilters:
    """What the address asks for: filters, sort, and the key measures' indicator codes (none: the default)."""

    segment: str = ""  # "1".."5", or "none" for no status recorded
    programme: str = ""  # a Programme value
    rating: str = ""  # a RatingValue of the overall rating, or "none"
    q: str = ""
    sort: str = "trust"
    order: str = "asc"
    codes: tuple[str, ...] = ()

    def query(self, **changes) -> str:
        """The address's query string for these filters with some changed (for sort links and forms)."""
        chosen = replace(self, **changes)
        pairs = [(k, getattr(chosen, k)) for k in ("segment", "programme", "rating", "q")]
        pairs = [(k, v) for k, v in pairs if v]
        if chosen.sort != "trust" or chosen.order != "asc":
            pairs += [("sort", chosen.sort), ("order", chosen.order)]
        pairs += [("measure", code) for code in chosen.codes]
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        return bool(self.segment or self.programme or self.rating or self.q)


def filters_from(params) -> PortfolioFilters:
    """Filters from query parameters; anything unknown is ignored rather than refused (a bookmark outlives a
    programme's name)."""
    segment = params.get("segment", "")
    programme = params.get("programme", "")
    rating = params.get("rating", "")
    sort = params.get("sort", "trust")
    codes = tuple(dict.fromkeys(c.strip()[:40] for c in params.getlist("measure") if c.strip()))
    return PortfolioFilters(
        segment=segment if segment in {str(s) for s in Segment.values} | {"none"} else "",
        programme=programme if programme in Programme.values else "",
        rating=rating if rating in set(RatingValue.values) | {"none"} else "",
        q=" ".join(params.get("q", "").split())[:SEARCH_CHARS],
        sort=sort if sort in SORTS else "trust",
        order="desc" if params.get("order") == "desc" else "asc",
        codes=codes[:MAX_KEY_MEASURES],
    )


# Rows ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyMeasure:
    """A key measure of the portfolio: an indicator code, named as most of its trusts name it."""

    code: str
    name: str
    trusts: int  # how many trusts of the portfolio have a measure with this code


@dataclass
class ExitCounts:
    total: int = 0
    met: int = 0  # by the latest judgement
    partly_met: int = 0
    not_met: int = 0
    sustained: int = 0  # met under the criterion's own rule (judgements in a row, or months)

    @property
    def not_judged(self) -> int:
        return self.total - self.met - self.partly_met - self.not_met


@dataclass
class PortfolioRow:
    """One trust of the portfolio as the page, the export and the command show it."""

    entry: PortfolioEntry
    status: OversightStatus | None
    months_in_programme: int | None
    ratings: dict[str, TimelineCell]  # key question (and "overall") -> latest CQC rating with direction
    delivery: DeliverySummary
    exit: ExitCounts
    measures: dict[
        str, MeasureSummary | None
    ]  # indicator code -> the trust's measure's icons (None: no measure)
    regulatory: list[RegulatoryAction] = field(default_factory=list)  # in force today, newest first
    sort_figures: dict[str, int] | None = (
        None  # overdue, awaited, concerns: for sorting rows without their facts
    )

    @property
    def trust(self) -> Organisation:
        return self.entry.trust

    @property
    def link(self) -> str:
        """trust_link, made for the rows a page shows only (not the 220 it pages through)."""
        return trust_link(self.entry.trust)

    @property
    def segment_label(self) -> str:
        """The segment with its meaning in the edition the status was given under."""
        return self.status.segment_text if self.status else "No status recorded"

    @property
    def programme_label(self) -> str:
        """The programme by the name it had on the status's date."""
        return self.status.programme_name if self.status else ""

    @property
    def regulatory_text(self) -> str:
        return "; ".join(f"{a.get_kind_display()} ({padded_date(a.issued_on)})" for a in self.regulatory)

    @property
    def in_programme(self) -> bool:
        return self.status is not None and self.status.programme != Programme.NONE

    @property
    def overall(self) -> TimelineCell | None:
        return self.ratings.get(OVERALL)

    @property
    def overall_rating(self) -> Rating | None:
        cell = self.overall
        return Rating.parse(cell.rating.rating) if cell else None

    @property
    def concerns(self) -> int:
        return sum(1 for s in self.measures.values() if s is not None and s.concern)


@dataclass
class Portfolio:
    body: Organisation
    rows: list[PortfolioRow]  # filtered and sorted
    size: int  # trusts in the portfolio before filtering
    filters: PortfolioFilters
    key_measures: list[KeyMeasure]
    key_measures_chosen: bool  # False: the default rule chose them
    available_measures: list[KeyMeasure]  # every indicator code in the portfolio, most shared first
    statuses: list[DeliveryStatus] = field(default_factory=list)  # every delivery code shown, for the key
    page: Page | None = None  # the page of `rows` shown (each with its facts), when a page was asked for

    @property
    def shown_rows(self) -> list[PortfolioRow]:
        """The rows the page shows: one page's, or all."""
        return list(self.page.object_list) if self.page is not None else self.rows

    def sort_query(self, key: str) -> str:
        """The query string that sorts by `key` (flipping the order when already sorted by it)."""
        same = self.filters.sort == key
        order = "desc" if same and self.filters.order == "asc" else "asc"
        return self.filters.query(sort=key, order=order)

    def aria_sort(self, key: str) -> str:
        if self.filters.sort != key:
            return "none"
        return "ascending" if self.filters.order == "asc" else "descending"


def _current_statuses(body: Organisation, trust_ids: list[int]) -> dict[int, OversightStatus]:
    """Each trust's status today: the latest effective on or before today, the latest recorded if two share a day."""
    today = timezone.localdate()
    statuses = (
        OversightStatus.objects.filter(oversight_body=body, trust_id__in=trust_ids, effective_from__lte=today)
        .select_related("improvement_director")
        .order_by("trust_id", "-effective_from", "-recorded_at", "-id")
    )
    current: dict[int, OversightStatus] = {}
    for status in statuses:
        current.setdefault(status.trust_id, status)
    return current


def _exit_counts(body: Organisation, trust_ids: list[int]) -> dict[int, ExitCounts]:
    """Each trust's exit criteria by their latest judgement, and how many are met and sustained: two queries."""
    # Only what the counts and the sustained rule read: the criteria's words and the judgements' reasons stay put.
    criteria = {
        c.pk: c
        for c in ExitCriterion.objects.filter(oversight_body=body, trust_id__in=trust_ids).only(
            "trust_id", "sustained_judgements", "sustained_months"
        )
    }
    judged: dict[int, list[ExitCriterionJudgement]] = defaultdict(list)
    rows = ExitCriterionJudgement.objects.filter(criterion_id__in=criteria).only(
        "criterion_id", "judgement", "judged_on", "recorded_at"
    )
    for judgement in rows.order_by("criterion_id", "-judged_on", "-recorded_at", "-id"):
        judged[judgement.criterion_id].append(judgement)
    counts: dict[int, ExitCounts] = defaultdict(ExitCounts)
    for pk, criterion in criteria.items():
        c = counts[criterion.trust_id]
        c.total += 1
        judgements = judged.get(pk, [])
        latest = judgements[0].judgement if judgements else None
        if latest == Judgement.MET:
            c.met += 1
        elif latest == Judgement.PARTLY_MET:
            c.partly_met += 1
        elif latest == Judgement.NOT_MET:
            c.not_met += 1
        if sustained_read(criterion, judgements).met:
            c.sustained += 1
    return counts


def _regulatory_in_force(body: Organisation, trust_ids: list[int]) -> dict[int, list[RegulatoryAction]]:
    """Each trust's regulatory actions in force today, newest first: one query."""
    today = timezone.localdate()
    rows = RegulatoryAction.objects.filter(
        oversight_body=body, trust_id__in=trust_ids, issued_on__lte=today
    ).exclude(lifted_on__lte=today)
    by_trust: dict[int, list[RegulatoryAction]] = defaultdict(list)
    for action in rows.order_by("-issued_on", "-id"):
        by_trust[action.trust_id].append(action)
    return by_trust


def _matching_trusts(body: Organisation, ids: list[int], f: PortfolioFilters) -> set[int]:
    """The trusts of `ids` that match the filters, worked out by the database in one query: the current
    oversight status (as `_current_statuses` reads it), CQC's latest overall rating, the name or ODS code."""
    today = timezone.localdate()
    entries = PortfolioEntry.objects.filter(oversight_body=body, trust_id__in=ids)
    if f.segment or f.programme:
        latest = OversightStatus.objects.filter(
            oversight_body=body, trust_id=OuterRef("trust_id"), effective_from__lte=today
        ).order_by("-effective_from", "-recorded_at", "-id")
        entries = entries.annotate(
            current_status=Subquery(latest.values("pk")[:1]),
            current_segment=Subquery(latest.values("segment")[:1]),
            current_programme=Subquery(latest.values("programme")[:1]),
        )
        if f.segment == "none":
            entries = entries.filter(current_status__isnull=True)
        elif f.segment:
            entries = entries.filter(current_segment=int(f.segment))
        if f.programme:
            entries = entries.filter(current_programme=f.programme)
    if f.rating:
        overall = PublishedRating.objects.filter(
            organisation_id=OuterRef("trust_id"),
            location=None,
            service=None,
            assessor_kind=AssessorKind.CQC,
            key_question=OVERALL,
        ).order_by("-rated_on", "-assessment_id", "-id")
        entries = entries.annotate(overall_rating=Subquery(overall.values("rating")[:1]))
        if f.rating == "none":
            entries = entries.filter(overall_rating__isnull=True)
        else:
            entries = entries.filter(overall_rating=f.rating)
    if f.q:
        entries = entries.filter(Q(trust__name__icontains=f.q) | Q(trust__ods_code__icontains=f.q))
    return set(entries.values_list("trust_id", flat=True))


def _sort_value(row: PortfolioRow, key: str):
    """The value a row sorts by; None sorts last whichever the order."""
    if key == "segment":
        return row.status.segment if row.status else None
    if key == "programme":
        return row.programme_label if row.in_programme else None
    if key == "months":
        return row.months_in_programme
    if key == "rating":
        rating = row.overall_rating
        return rating.score if rating else None
    if key in FACT_SORTS and row.sort_figures is not None:
        return row.sort_figures[key]
    if key == "overdue":
        return row.delivery.overdue
    if key == "awaited":
        return row.delivery.awaited
    if key == "exit":
        return (row.exit.met / row.exit.total, row.exit.total) if row.exit.total else None
    if key == "concerns":
        return row.concerns
    return None


def _sorted(rows: list[PortfolioRow], f: PortfolioFilters) -> list[PortfolioRow]:
    by_name = sorted(
        rows, key=lambda r: r.trust.name.casefold(), reverse=f.sort == "trust" and f.order == "desc"
    )
    if f.sort == "trust":
        return by_name
    known = [r for r in by_name if _sort_value(r, f.sort) is not None]
    unknown = [r for r in by_name if _sort_value(r, f.sort) is None]
    known.sort(key=lambda r: _sort_value(r, f.sort), reverse=f.order == "desc")
    return known + unknown


def _change_stamps(ids: list[int]) -> dict[int, int]:
    """Each trust's latest audit record: every write to its plans and measures records one (core.service_kit), so
    a cached fact of the trust is good for as long as this number stands, on the same day."""
    # One index step a trust (core_audit_org_latest_idx), not a scan of every trust's history: 60 ms against
    # under 1 ms at 220 trusts, and it does not grow with the audit log.
    latest = AuditLog.objects.filter(organisation_id=OuterRef("pk")).order_by("-id").values("id")[:1]
    rows = Organisation.objects.filter(pk__in=ids).annotate(last=Subquery(latest)).values_list("pk", "last")
    return {pk: last for pk, last in rows if last is not None}


@dataclass
class TrustFacts:
    """What is costly to work out for a trust of the portfolio: its plans' delivery and its key measures' icons."""

    delivery: DeliverySummary
    measures: dict[
        str, MeasureSummary | None
    ]  # indicator code -> the trust's measure's icons (None: no measure)
    sort_figures: dict[str, int] | None = (
        None  # overdue, awaited, concerns: for sorting rows without their facts
    )


def _facts_key(body: Organisation, trust_id: int, stamp: int, codes: tuple[str, ...], day: str) -> str:
    """The cache key of a trust's facts: `day` is today's date (ISO), read once for all the trusts."""
    return f"wellled:portfolio-facts:{body.pk}:{trust_id}:{stamp}:{day}:{','.join(codes)}"


def trust_facts(
    *,
    user: User,
    body: Organisation,
    ids: list[int],
    keys: list[KeyMeasure],
    stamps: dict[int, int] | None = None,
) -> dict[int, TrustFacts]:
    """The facts of the trusts `ids`: from the cache where the trust has not changed since, the rest worked out
    together in a constant number of queries (positions of every action; one SPC batch) and cached."""
    if not ids:
        return {}
    codes = tuple(k.code for k in keys)
    stamps = _change_stamps(ids) if stamps is None else stamps
    day = timezone.localdate().isoformat()
    cache_keys = {pk: _facts_key(body, pk, stamps.get(pk, 0), codes, day) for pk in ids}
    found = cache.get_many(list(cache_keys.values()))
    facts = {pk: found[key] for pk, key in cache_keys.items() if key in found}
    missing = [pk for pk in ids if pk not in facts]
    if missing:
        delivery = delivery_by_organisation(user=user, organisations=missing)
        picked: dict[tuple[int, str], Measure] = {}
        if codes:
            for m in indicator_measures(user=user, organisations=missing, codes=codes):
                picked.setdefault(
                    (m.organisation_id, m.indicator_code), m
                )  # whole-organisation measure first
        summaries = stored_summaries(list(picked.values()))  # kept current by the measures' services
        made = {}
        for pk in missing:
            own = {code: picked.get((pk, code)) for code in codes}
            made[pk] = TrustFacts(
                delivery=delivery.get(pk, DeliverySummary()),
                measures={code: summaries[m.pk] if m is not None else None for code, m in own.items()},
            )
        cache.set_many({cache_keys[pk]: value for pk, value in made.items()}, FACTS_CACHE_SECONDS)
        cache.set_many(
            {cache_keys[pk] + ":figures": _figures(value) for pk, value in made.items()}, FACTS_CACHE_SECONDS
        )
        facts.update(made)
    return facts


def _figures(facts: TrustFacts) -> dict[str, int]:
    concerns = sum(1 for s in facts.measures.values() if s is not None and s.concern)
    return {"overdue": facts.delivery.overdue, "awaited": facts.delivery.awaited, "concerns": concerns}


def trust_figures(
    *, user: User, body: Organisation, ids: list[int], keys: list[KeyMeasure], stamps: dict[int, int]
) -> dict[int, dict[str, int]]:
    """The numbers the costly sorts need (overdue, awaited, concerns) of the trusts `ids`: a few bytes each from
    the cache, the trusts missing from it worked out (and cached) with their facts."""
    codes = tuple(k.code for k in keys)
    day = timezone.localdate().isoformat()
    cache_keys = {pk: _facts_key(body, pk, stamps.get(pk, 0), codes, day) + ":figures" for pk in ids}
    found = cache.get_many(list(cache_keys.values()))
    figures = {pk: found[key] for pk, key in cache_keys.items() if key in found}
    missing = [pk for pk in ids if pk not in figures]
    if missing:
        made = trust_facts(user=user, body=body, ids=missing, keys=keys, stamps=stamps)
        figures.update({pk: _figures(value) for pk, value in made.items()})
    return figures


def _available_measures(
    user: User, body: Organisation, ids: list[int], stamps: dict[int, int] | None = None
) -> list[KeyMeasure]:
    """Every indicator code of the portfolio's measures with how many trusts have it and the name most of its
    measures use, most shared first, ties by code: counted by the database (two queries), and kept in the cache
    until one of the trusts changes (or the portfolio does)."""
    stamps = _change_stamps(ids) if stamps is None else stamps
    state = hashlib.sha256(repr(sorted((pk, stamps.get(pk, 0)) for pk in ids)).encode()).hexdigest()
    key = f"wellled:portfolio-codes:{body.pk}:{state}"
    found = cache.get(key)
    if found is None:
        found = _count_measures(user, ids)
        cache.set(key, found, FACTS_CACHE_SECONDS)
    return found


def _count_measures(user: User, ids: list[int]) -> list[KeyMeasure]:
    measures = scoped_many(Measure.objects.exclude(indicator_code=""), user=user, organisations=ids)
    trusts = dict(
        measures.order_by()
        .values("indicator_code")
        .annotate(n=Count("organisation_id", distinct=True))
        .values_list("indicator_code", "n")
    )
    names: dict[str, Counter] = defaultdict(Counter)
    for code, name, n in (
        measures.order_by()
        .values("indicator_code", "name")
        .annotate(n=Count("id"))
        .values_list("indicator_code", "name", "n")
    ):
        names[code][name] += n
    return [
        KeyMeasure(code, min(names[code].items(), key=lambda kv: (-kv[1], kv[0]))[0], trusts[code])
        for code in sorted(trusts, key=lambda c: (-trusts[c], c))
    ]


def _chosen_measures(
    available: list[KeyMeasure], trust_count: int, codes: tuple[str, ...]
) -> tuple[list[KeyMeasure], bool]:
    """The key measures: those chosen in the address that exist, else the DEFAULT_KEY_MEASURES codes shared by
    the most trusts (at least two, unless there is only one trust), ties by code (ADR 0040)."""
    by_code = {k.code: k for k in available}
    chosen = [by_code[c] for c in codes if c in by_code]
    if chosen:
        return chosen, True
    least = 1 if trust_count == 1 else 2
    return [k for k in available if k.trusts >= least][:DEFAULT_KEY_MEASURES], False


def portfolio_build(
    *,
    user: User,
    organisation: Organisation,
    filters: PortfolioFilters | None = None,
    page: str | int | None = None,
) -> Portfolio:
    """The portfolio page's rows for the body's member `user`, filtered and sorted, in a constant number of
    queries; 404 for anyone else. With `page`, only that page's rows carry their facts (and `Portfolio.page`
    holds them); without, every matching row does (the download and the command)."""
    filters = filters or PortfolioFilters()
    entries = portfolio_entries(user=user, organisation=organisation)
    all_ids = [e.trust_id for e in entries]
    matching = _matching_trusts(organisation, all_ids, filters) if filters.active else set(all_ids)
    entries = [e for e in entries if e.trust_id in matching]
    today = timezone.localdate()
    stamps = _change_stamps(all_ids)
    available = _available_measures(user, organisation, all_ids, stamps)
    keys, chosen = _chosen_measures(available, len(all_ids), filters.codes)
    rows = [
        PortfolioRow(
            entry=entry,
            status=None,
            months_in_programme=None,
            ratings={},
            delivery=DeliverySummary(),
            exit=ExitCounts(),
            measures={},
        )
        for entry in entries
    ]

    def describe(some: list[PortfolioRow]) -> None:
        """The rows' oversight status, exit criteria and regulatory actions: three queries."""
        some_ids = [r.entry.trust_id for r in some]
        statuses = _current_statuses(organisation, some_ids)
        exits = _exit_counts(organisation, some_ids)
        regulatory = _regulatory_in_force(organisation, some_ids)
        for r in some:
            r.status = status = statuses.get(r.entry.trust_id)
            if status is not None and status.programme != Programme.NONE and status.programme_entered_on:
                r.months_in_programme = months_between(
                    status.programme_entered_on, status.programme_exited_on or today
                )
            r.exit = exits.get(r.entry.trust_id, ExitCounts())
            r.regulatory = regulatory.get(r.entry.trust_id, [])

    # Every row is described when every row is shown or the sort reads what describes it; else only the page's.
    described_before_paging = page is None or filters.sort in DESCRIBED_SORTS
    if described_before_paging:
        describe(rows)

    def fill(some: list[PortfolioRow]) -> None:
        """The rows' CQC ratings and costly facts."""
        some_ids = [r.entry.trust_id for r in some]
        timelines = trust_cqc_timelines(user=user, organisations=some_ids)
        facts = trust_facts(user=user, body=organisation, ids=some_ids, keys=keys, stamps=stamps)
        for r in some:
            r.ratings = timeline_summary(timelines.get(r.entry.trust_id, []))
            r.delivery, r.measures = facts[r.entry.trust_id].delivery, facts[r.entry.trust_id].measures

    if page is None or filters.sort == "rating":
        fill(rows)
    elif filters.sort in FACT_SORTS:
        ids = [r.entry.trust_id for r in rows]
        figures = trust_figures(user=user, body=organisation, ids=ids, keys=keys, stamps=stamps)
        for r in rows:
            r.sort_figures = figures[r.entry.trust_id]
    shown = _sorted(rows, filters)
    paged = None
    if page is not None:
        paged = Paginator(shown, PAGE_SIZE).get_page(page)
        if not described_before_paging:
            describe(list(paged.object_list))
        if filters.sort != "rating":
            fill(list(paged.object_list))
    filled = list(paged.object_list) if paged is not None else shown
    shown_statuses: dict[str, DeliveryStatus] = {}
    for r in filled:
        for s, _ in r.delivery.counts:
            if s is not None:
                shown_statuses.setdefault(s.code, s)
    return Portfolio(
        body=organisation,
        rows=shown,
        size=len(all_ids),
        filters=filters,
        key_measures=keys,
        key_measures_chosen=chosen,
        available_measures=available,
        statuses=sorted(shown_statuses.values(), key=lambda s: -s.rank),
        page=paged,
    )


# The same measure across the portfolio ------------------------------------------------------------------------


@dataclass
class Trajectory:
    """One trust's measure of the chosen indicator code: its chart's result (None without data)."""

    entry: PortfolioEntry
    measure: Measure
    series: Series | None
    result: SPCResult | None
    kept: Variation | None = (
        None  # the variation of the measure's kept summary, before its chart is worked out
    )

    @property
    def link(self) -> str:
        return trust_link(self.entry.trust)

    @property
    def variation(self) -> Variation | None:
        return self.result.variation if self.result else self.kept

    @property
    def assurance(self) -> Assurance | None:
        return self.result.assurance if self.result else None


@dataclass
class RatingsHistory:
    entry: PortfolioEntry
    timeline: list[TimelineEntry]  # newest first

    @property
    def link(self) -> str:
        return trust_link(self.entry.trust)


@dataclass
class Trajectories:
    body: Organisation
    code: str
    measure: KeyMeasure | None
    available: list[KeyMeasure]
    groups: list[
        tuple[str, list[Trajectory]]
    ]  # (variation name, trusts) of the page, concern first; "No data yet" last
    without: list[PortfolioEntry]  # trusts with no measure of this code
    ratings: list[RatingsHistory]  # the page's trusts (every trust's without a page)
    key_questions: dict[str, str] = field(default_factory=lambda: dict(KEY_QUESTION_COLUMNS))
    page: Page | None = None  # the page of trusts with a measure shown, when a page was asked for
    counts: list[tuple[str, int]] = field(default_factory=list)  # every group's name and size, all pages
    stamps: dict[int, int] = field(
        default_factory=dict
    )  # each trust's latest audit record (`_change_stamps`)


def trajectory_charts(
    built: Trajectories, draw: Callable[[Trajectory, SPCResult], str], drawing: str
) -> dict[int, str]:
    """The chart of each trust shown with a result, by trust, drawn by `draw(trajectory, its result)`: kept in the cache as the SPC result it
    draws is (until the trust's next audited change or the next day), under what it shows of the trust (name, id,
    the measure's unit) and `drawing` (what the view draws them as); the misses drawn now (issue 24)."""
    day = timezone.localdate().isoformat()
    shown = [(t, t.result) for _, trusts in built.groups for t in trusts if t.result is not None]
    keys = {}
    for t, _ in shown:
        shows = repr((drawing, t.entry.trust_id, t.entry.trust.name, t.measure.unit_label))
        digest = hashlib.sha256(shows.encode()).hexdigest()[:32]
        stamp = built.stamps.get(t.entry.trust_id, 0)
        keys[t.entry.trust_id] = (
            f"wellled:portfolio-chart:{built.body.pk}:{t.measure.pk}:{stamp}:{day}:{digest}"
        )
    found = cache.get_many(list(keys.values()))
    charts = {pk: found[key] for pk, key in keys.items() if key in found}
    drawn = {t.entry.trust_id: draw(t, result) for t, result in shown if t.entry.trust_id not in charts}
    cache.set_many({keys[pk]: svg for pk, svg in drawn.items()}, FACTS_CACHE_SECONDS)
    return charts | drawn


def _spc_cached(
    body: Organisation, measures: list[Measure], stamps: dict[int, int]
) -> dict[int, tuple[Series, SPCResult]]:
    """`spc_results_batch` for the measures, kept in the cache until their trust's next audited change or the next
    day; the misses are worked out in one batch."""
    if not measures:
        return {}
    day = timezone.localdate().isoformat()
    keys = {
        m.pk: f"wellled:portfolio-spc:{body.pk}:{m.pk}:{stamps.get(m.organisation_id, 0)}:{day}"
        for m in measures
    }
    found = cache.get_many(list(keys.values()))
    results = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [m for m in measures if m.pk not in results]
    if missing:
        made = spc_results_batch(missing)
        # A measure with no figures is cached as None, so it is not read again.
        cache.set_many({keys[m.pk]: made.get(m.pk) for m in missing}, FACTS_CACHE_SECONDS)
        results.update(made)
    return {pk: value for pk, value in results.items() if value is not None}


def trajectories_build(
    *, user: User, organisation: Organisation, code: str = "", page: str | int | None = None
) -> Trajectories:
    """Every portfolio trust's measure of one indicator code (default: the most shared) as SPC results grouped
    by variation, and each trust's CQC ratings over time; a constant number of queries. With `page`, only that
    page of trusts (in group order) and their ratings."""
    entries = portfolio_entries(user=user, organisation=organisation)
    ids = [e.trust_id for e in entries]
    stamps = _change_stamps(ids)
    available = _available_measures(user, organisation, ids, stamps)
    by_code = {k.code: k for k in available}
    chosen = by_code.get(code) or (available[0] if available else None)
    picked: dict[int, Measure] = {}
    if chosen is not None:
        for m in indicator_measures(user=user, organisations=ids, codes=[chosen.code]):
            picked.setdefault(m.organisation_id, m)
    # A page groups every trust by its measure's kept summary (one query) and works out the charts of its own
    # trusts only; without a page every chart is worked out (issue 24).
    kept = stored_summaries(list(picked.values())) if page is not None else {}
    results = _spc_cached(organisation, list(picked.values()), stamps) if page is None else {}
    grouped: dict[Variation | None, list[Trajectory]] = defaultdict(list)
    without: list[PortfolioEntry] = []
    for entry in entries:
        own = picked.get(entry.trust_id)
        if own is None:
            without.append(entry)
            continue
        series, result = results.get(own.pk, (None, None))
        summary = kept.get(own.pk)
        t = Trajectory(entry, own, series, result, summary.variation if summary else None)
        grouped[t.variation].append(t)
    order = [v for v in VARIATION_ORDER if grouped.get(v)] + ([None] if grouped.get(None) else [])

    def name(v: Variation | None) -> str:
        return VARIATION_NAMES[v] if v is not None else "No data yet"

    counts = [(name(v), len(grouped[v])) for v in order]
    flat = [t for v in order for t in grouped[v]]
    paged = None
    shown_entries = entries
    if page is not None:
        paged = Paginator(flat, TRAJECTORIES_PAGE_SIZE).get_page(page)
        flat = list(paged.object_list)
        shown_entries = [t.entry for t in flat]
    groups = [(name(v), [t for t in flat if t.variation == v]) for v in order]
    groups = [(n, trusts) for n, trusts in groups if trusts]
    if page is not None:  # the page's charts, grouped as above by their kept summaries
        charts = _spc_cached(organisation, [t.measure for t in flat], stamps)
        for t in flat:
            t.series, t.result = charts.get(t.measure.pk, (None, None))
    timelines = trust_cqc_timelines(user=user, organisations=[e.trust_id for e in shown_entries])
    return Trajectories(
        body=organisation,
        code=chosen.code if chosen else "",
        measure=chosen,
        available=available,
        groups=groups,
        without=without,
        ratings=[RatingsHistory(e, timelines.get(e.trust_id, [])) for e in shown_entries],
        page=paged,
        counts=counts,
        stamps=stamps,
    )


# The table the command (and a download) writes ----------------------------------------------------------------


def _rating_text(cell: TimelineCell | None) -> str:
    return Rating.parse(cell.rating.rating).label if cell else "Not rated"


def portfolio_table(portfolio: Portfolio) -> tuple[list[str], list[list]]:
    """Column headers and one row per trust, as plain values (cells are made formula-safe by the writer)."""
    headers = ["Trust", "ODS code", "In portfolio since", "Segment", "Framework edition"]
    headers += ["Average metric score", "Rank", "Programme", "Months in programme", "Improvement director"]
    headers += ["Regulatory actions in force"]
    for label in KEY_QUESTION_COLUMNS.values():
        headers += [f"CQC {label}", f"CQC {label} rated on", f"CQC {label} since previous"]
    codes = [s.code for s in portfolio.statuses]
    headers += [f"Actions at {code}" for code in codes] + [
        "Actions with no status",
        "Actions in active plans",
    ]
    headers += ["Overdue actions", "Updates awaited", "Exit criteria met", "Exit criteria partly met"]
    headers += ["Exit criteria met and sustained"]
    headers += ["Exit criteria"]
    for k in portfolio.key_measures:
        headers += [
            f"{k.name} ({k.code}) variation",
            f"{k.name} ({k.code}) assurance",
            f"{k.name} ({k.code}) latest",
        ]
    rows = []
    for r in portfolio.rows:
        status = r.status
        director = (
            status.improvement_director.get_full_name() if status and status.improvement_director else ""
        )
        line: list = [r.trust.name, r.trust.ods_code, r.entry.joined_on, r.segment_label]
        line += [status.edition_info.name if status else "", status.average_score if status else None]
        line += [status.rank_text if status else ""]
        line += [r.programme_label if r.in_programme else "", r.months_in_programme, director]
        line += [r.regulatory_text]
        for kq in KEY_QUESTION_COLUMNS:
            cell = r.ratings.get(kq)
            line += [_rating_text(cell), cell.rating.rated_on if cell else None]
            line += [DIRECTION_WORDS.get(cell.direction, "") if cell else ""]
        counts = {s.code: n for s, n in r.delivery.counts if s is not None}
        line += [counts.get(code, 0) for code in codes]
        line += [next((n for s, n in r.delivery.counts if s is None), 0), r.delivery.total]
        line += [r.delivery.overdue, r.delivery.awaited, r.exit.met, r.exit.partly_met, r.exit.sustained]
        line += [r.exit.total]
        for k in portfolio.key_measures:
            s = r.measures.get(k.code)
            if s is None or s.variation is None:
                line += ["No measure" if s is None else "No data yet", "", None]
            else:
                line += [s.variation_text, ASSURANCE_NAMES[s.assurance], s.latest]
        rows.append(line)
    return headers, rows
