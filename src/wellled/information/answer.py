"""An answer to an information request, built from what Wellled holds through the same scoped builders and
selectors the trust's own pages use, as tables of text: the same shape for every kind, so one snapshot layout
(reports.snapshot) and one pair of renderers serve them all."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from wellled.assessments.choices import KEY_QUESTION_COLUMNS, AssessorKind
from wellled.assessments.selectors import ratings_for_user
from wellled.committees.selectors import records as committee_records
from wellled.committees.selectors.reports import section_titles
from wellled.core.formatting import counted, day_text, long_date
from wellled.core.models import Organisation, User
from wellled.core.selectors import scoped
from wellled.ftsu.periods import Quarter, last_complete_quarter
from wellled.ftsu.returns import definition_load, quarter_return
from wellled.measures.jinja import measure_number
from wellled.measures.selectors import measures_for_user, summarise
from wellled.plans.selectors import plan_get
from wellled.reports.board_paper import board_paper_build
from wellled.reports.models import IssuedPaper, PaperKind
from wellled.risks.baf_paper import baf_paper_build
from wellled.spc.icons import ASSURANCE_SHORT, NO_ASSURANCE_SHORT

from .models import RequestKind, WrittenAnswer

NOT_FOUND: dict[str, tuple[str, str]] = {
    RequestKind.PLAN: ("plan", "The plan asked about is not one of {trust}'s plans that you can see."),
    RequestKind.PAPER: ("paper", "The paper asked for is not an issued paper of {trust} that stands."),
    RequestKind.SPEAK_UP: ("kind", "{trust} is not a trust whose figures you can see."),
}


@dataclass(frozen=True)
class AnswerTable:
    """One table of an answer: its heading, column names and rows of text."""

    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


@dataclass(frozen=True)
class AnswerPaper:
    """Everything an answer says, whatever the format it is sent in."""

    title: str
    subject_name: str
    subject_ods_code: str
    answered_by: str
    kind: str
    kind_label: str
    asked_for: str  # what was asked, in Wellled's words: the kind and its parameters
    as_at: datetime.date
    generated_at: datetime.datetime
    generated_by: str
    tables: tuple[AnswerTable, ...]
    paper_id: int | None = None  # the issued paper an answer of kind "paper" passes on

    @property
    def total(self) -> int:
        return sum(len(table.rows) for table in self.tables)


def subject_papers(*, user: User, subject: Organisation):
    """The subject trust's issued board and BAF papers that stand (not withdrawn), latest first."""
    papers = scoped(
        IssuedPaper.objects.filter(kind__in=[PaperKind.BOARD, PaperKind.BAF], withdrawal__isnull=True),
        user=user,
        organisation=subject,
    )
    return papers.defer("data").order_by("-as_at", "-issued_at", "-id")


def parameters_described(
    *, user: User, subject: Organisation, kind: str, parameters: Mapping[str, Any]
) -> str:
    """The parameters in words, e.g. "Well-led plan 2026, position as at 30 November 2026"."""
    as_at = parameters.get("as_at")
    day = f"as at {long_date(datetime.date.fromisoformat(as_at))}" if as_at else ""
    if kind == RequestKind.PLAN:
        plan = _plan(user=user, subject=subject, pk=parameters["plan"])
        return f"{plan.name}: delivery position {day}"
    if kind == RequestKind.MEASURES:
        names = [
            m.name
            for m in measures_for_user(user=user, organisation=subject).filter(pk__in=parameters["measures"])
        ]
        codes = parameters.get("indicator_codes") or []
        chosen = "; ".join([*names, *(f"indicator {code}" for code in codes)])
        return f"Measures ({chosen}) {day}"
    if kind == RequestKind.RATINGS:
        return f"CQC ratings {day}"
    if kind == RequestKind.RISKS:
        return f"Principal risks (board assurance framework) {day}"
    if kind == RequestKind.WRITTEN:
        return f"A written answer: {parameters['topic']}"
    if kind == RequestKind.SPEAK_UP:
        return f"Freedom to Speak Up figures, the four quarters complete {day} (suppressed)"
    if kind == RequestKind.TERMS:
        terms = committee_records.terms_for_answer(
            user=user, organisation=subject, pk=parameters["committee"]
        )
        return f"{terms.committee.name}: terms of reference in force"
    if kind == RequestKind.MINUTES:
        meeting, _ = committee_records.minutes_for_answer(
            user=user, organisation=subject, pk=parameters["meeting"]
        )
        return f"Minutes of {meeting} (public part)"
    if kind == RequestKind.CHAIRS_REPORT:
        report = committee_records.report_for_answer(user=user, organisation=subject, pk=parameters["report"])
        return str(report)
    paper = _paper(user=user, subject=subject, pk=parameters["paper"])
    return f"{paper.title} (issued {long_date(paper.issued_at)})"


def written_tables(written: WrittenAnswer | None) -> tuple[AnswerTable, ...]:
    """What was written, and the document given with it (its name, size and SHA-256, so the frozen answer's own
    checksum covers the document's)."""
    if written is None:
        return ()
    tables = []
    if written.narrative:
        tables.append(AnswerTable("Written answer", ("Answer",), ((written.narrative,),)))
    if written.document_name:
        row = (written.document_name, f"{written.document_size:,} bytes", written.document_sha256)
        tables.append(AnswerTable("Document given", ("File", "Size", "SHA-256"), (row,)))
    return tuple(tables)


def answer_build(
    *,
    user: User,
    answering: Organisation,
    subject: Organisation,
    kind: str,
    parameters: Mapping[str, Any],
    written: WrittenAnswer | None = None,
) -> AnswerPaper:
    """The answer, read through the person's own scope of the subject trust (their own trust, or a trust of the
    portfolio of the oversight body they belong to), after what was written for it, if anything."""
    now = timezone.now()
    as_at = (
        datetime.date.fromisoformat(parameters["as_at"]) if "as_at" in parameters else timezone.localdate()
    )
    paper_id = None
    if kind == RequestKind.PLAN:
        tables = _plan_tables(user=user, subject=subject, pk=parameters["plan"], as_at=as_at)
    elif kind == RequestKind.MEASURES:
        tables = _measure_tables(user=user, subject=subject, parameters=parameters, as_at=as_at)
    elif kind == RequestKind.RATINGS:
        tables = _rating_tables(user=user, subject=subject, as_at=as_at)
    elif kind == RequestKind.RISKS:
        tables = _risk_tables(user=user, subject=subject, as_at=as_at)
    elif kind == RequestKind.PAPER:
        paper = _paper(user=user, subject=subject, pk=parameters["paper"])
        as_at, paper_id = paper.as_at, paper.pk
        tables = _paper_tables(paper)
    elif kind == RequestKind.WRITTEN:
        tables = ()
    elif kind == RequestKind.SPEAK_UP:
        tables = _speak_up_tables(user=user, subject=subject, as_at=as_at)
    elif kind == RequestKind.TERMS:
        tables = _terms_tables(user=user, subject=subject, pk=parameters["committee"])
    elif kind == RequestKind.MINUTES:
        tables = _minutes_tables(user=user, subject=subject, pk=parameters["meeting"])
    elif kind == RequestKind.CHAIRS_REPORT:
        tables = _report_tables(user=user, subject=subject, pk=parameters["report"])
    else:
        raise ValidationError({"kind": "Choose what the request is answered from."})
    label = RequestKind(kind).label
    return AnswerPaper(
        title=f"{subject.name}: {label[0].lower()}{label[1:]}",
        subject_name=subject.name,
        subject_ods_code=subject.ods_code,
        answered_by=answering.name,
        kind=str(kind),
        kind_label=label,
        asked_for=parameters_described(user=user, subject=subject, kind=kind, parameters=parameters),
        as_at=as_at,
        generated_at=now,
        generated_by=user.get_full_name() or user.username,
        tables=written_tables(written) + tables,
        paper_id=paper_id,
    )


def _refused(kind: str, subject: Organisation) -> ValidationError:
    field, message = NOT_FOUND[kind]
    return ValidationError({field: message.format(trust=subject.name)})


def _plan(*, user: User, subject: Organisation, pk):
    try:
        return plan_get(user=user, organisation=subject, pk=pk)
    except Http404:
        raise _refused(RequestKind.PLAN, subject) from None


def _paper(*, user: User, subject: Organisation, pk) -> IssuedPaper:
    paper = subject_papers(user=user, subject=subject).filter(pk=pk).first()
    if paper is None:
        raise _refused(RequestKind.PAPER, subject)
    return paper


def _plan_tables(*, user: User, subject: Organisation, pk, as_at: datetime.date) -> tuple[AnswerTable, ...]:
    paper = board_paper_build(
        user=user, organisation=subject, plan=_plan(user=user, subject=subject, pk=pk), as_at=as_at
    )
    counts = AnswerTable(
        heading=f"Actions by delivery status, as at {paper.as_at_text}",
        columns=("Delivery status", "Actions"),
        rows=tuple((count.label, str(count.count)) for count in paper.counts)
        + (("All actions", str(paper.total)),),
    )
    actions = AnswerTable(
        heading="Each action's position",
        columns=(
            "Reference",
            "Action",
            "Leads",
            "Timescale",
            "Delivery status",
            "Overdue",
            "Latest progress",
        ),
        rows=tuple(
            (
                row.reference,
                row.title,
                row.leads,
                row.timescale,
                row.status_label,
                "Yes" if row.overdue else "No",
                row.progress,
            )
            for row in paper.rows
        ),
        note=f"{paper.plan_name}. Progress recorded after {paper.as_at_text} is left out.",
    )
    return (counts, actions)


def _measure_tables(
    *, user: User, subject: Organisation, parameters: Mapping[str, Any], as_at: datetime.date
) -> tuple[AnswerTable, ...]:
    codes = list(parameters.get("indicator_codes") or [])
    chosen = Q(pk__in=list(parameters.get("measures") or []))
    for code in codes:
        chosen |= Q(indicator_code__iexact=code)
    measures = list(measures_for_user(user=user, organisation=subject).filter(chosen).order_by("name"))
    summaries = summarise(measures, until=as_at)
    rows = []
    for measure in measures:
        summary = summaries[measure.pk]
        rows.append(
            (
                measure.name,
                measure.indicator_code,
                summary.latest_period_text if summary.has_data else "No data yet",
                measure_number(summary.latest, measure) if summary.has_data else "",
                summary.variation_short,
                ASSURANCE_SHORT.get(summary.assurance, NO_ASSURANCE_SHORT)
                if summary.assurance
                else NO_ASSURANCE_SHORT,
                measure_number(measure.target, measure) if measure.target is not None else "",
            )
        )
    found = {m.indicator_code.upper() for m in measures if m.indicator_code}
    missing = [code for code in codes if code not in found]
    note = (
        f"Figures for periods up to {long_date(as_at)}; variation and assurance by SPC (Making Data Count)."
    )
    if missing:
        note += f" {subject.name} holds no measure with the indicator code {', '.join(missing)}."
    return (
        AnswerTable(
            heading="Measures",
            columns=(
                "Measure",
                "Indicator code",
                "Latest period",
                "Latest value",
                "Variation",
                "Assurance",
                "Target",
            ),
            rows=tuple(rows),
            note=note,
        ),
    )


def _rating_tables(*, user: User, subject: Organisation, as_at: datetime.date) -> tuple[AnswerTable, ...]:
    ratings = ratings_for_user(user=user, organisation=subject).filter(
        assessor_kind=AssessorKind.CQC, rated_on__lte=as_at
    )
    latest: dict[tuple, Any] = {}
    for rating in ratings.order_by("rated_on", "id"):
        latest[(rating.location_id, rating.service_id, rating.key_question)] = rating  # later ones win
    order = list(KEY_QUESTION_COLUMNS)
    chosen = sorted(
        latest.values(),
        key=lambda r: (
            r.subject_label if r.location_id or r.service_id else "",
            order.index(r.key_question) if r.key_question in order else 99,
        ),
    )
    rows = tuple(
        (
            rating.subject_label,
            KEY_QUESTION_COLUMNS.get(rating.key_question, rating.key_question),
            rating.get_rating_display(),
            day_text(rating.rated_on),
        )
        for rating in chosen
    )
    return (
        AnswerTable(
            heading=f"CQC ratings standing on {long_date(as_at)}",
            columns=("Trust, location or service", "Key question", "Rating", "Rated on"),
            rows=rows,
            note="The latest CQC rating of each key question on that date."
            if rows
            else "No CQC ratings are held.",
        ),
    )


def _risk_tables(*, user: User, subject: Organisation, as_at: datetime.date) -> tuple[AnswerTable, ...]:
    baf = baf_paper_build(user=user, organisation=subject, as_at=as_at)
    rows = tuple(
        (
            risk.reference,
            risk.title,
            objective.title,
            risk.owner,
            risk.current.text,
            risk.target.text,
            risk.movement_text,
            risk.assurance_rating,
        )
        for objective in baf.objectives
        for risk in objective.risks
    )
    return (
        AnswerTable(
            heading=f"Principal risks as at {baf.as_at_text}",
            columns=(
                "Reference",
                "Risk",
                "Strategic objective",
                "Owner",
                "Current score",
                "Target score",
                "Movement",
                "Assurance",
            ),
            rows=rows,
            note=f"The risk register held {counted(baf.register_total, 'live risk')} on that date; "
            f"{counted(baf.escalated_total, 'was', 'were')} escalated.",
        ),
    )


# An answer of speak-up figures covers the last four complete quarters: a year, as the national figures are read.
SPEAK_UP_QUARTERS = 4


def _speak_up_tables(*, user: User, subject: Organisation, as_at: datetime.date) -> tuple[AnswerTable, ...]:
    """The last four quarters complete by the date, each figure as its suppressed return shows it (whoever asks, a
    guardian too: an answer leaves the trust); a person who may not see the trust gets nothing."""
    if not scoped(Organisation.objects.all(), user=user, organisation=subject, path="pk").exists():
        raise _refused(RequestKind.SPEAK_UP, subject)
    quarter = last_complete_quarter(as_at + datetime.timedelta(days=1))
    quarters = [quarter]
    while len(quarters) < SPEAK_UP_QUARTERS:
        q = quarters[0]
        quarters.insert(0, Quarter(q.year - 1, 4) if q.number == 1 else Quarter(q.year, q.number - 1))
    definition = definition_load()
    results = [
        quarter_return(user=user, organisation=subject, quarter=q, definition=definition, suppressed=True)
        for q in quarters
    ]
    tables = []
    for table in definition["tables"]:
        rows = []
        for row in table["rows"]:
            rows.append(
                (
                    str(row["label"]),
                    *(
                        next(
                            c.shown
                            for c in r.cells
                            if c.table == table["code"] and c.code == str(row["code"])
                        )
                        for r in results
                    ),
                )
            )
        rows.append(("Total", *(r.totals[table["code"]].shown for r in results)))
        tables.append(
            AnswerTable(
                str(table["title"]),
                ("Figure", *(q.label for q in quarters)),
                tuple(rows),
                note=f"Counts from 1 to {results[0].threshold - 1} are shown as “fewer than {results[0].threshold}”, "
                "and a count that would reveal one is not shown.",
            )
        )
    return tuple(tables)


def _paper_tables(paper: IssuedPaper) -> tuple[AnswerTable, ...]:
    return (
        AnswerTable(
            heading="The paper",
            columns=("Title", "Position as at", "Issued on", "SHA-256 of its record"),
            rows=((paper.title, long_date(paper.as_at), long_date(paper.issued_at), paper.data_sha256),),
            note="The paper itself is attached as it was issued (PDF), byte for byte.",
        ),
    )


def _terms_tables(*, user: User, subject: Organisation, pk) -> tuple[AnswerTable, ...]:
    terms = committee_records.terms_for_answer(user=user, organisation=subject, pk=pk)
    quorum = f"{counted(terms.quorum_members, 'member')} present"
    if terms.quorum_non_executives:
        quorum += f", of whom at least {counted(terms.quorum_non_executives, 'non-executive')}"
    if terms.quorum_executives:
        quorum += f" and at least {counted(terms.quorum_executives, 'executive')}"
    rows = [
        ("Purpose", terms.purpose),
        ("Duties delegated by the board", terms.duties),
        ("Membership", terms.membership),
        ("Reporting", terms.reporting),
        ("Quorum", quorum),
    ]
    return (
        AnswerTable(
            heading=f"{terms.committee.name}: terms of reference, version {terms.number}",
            columns=("Part", "Text"),
            rows=tuple((part, text) for part, text in rows if text),
            note=f"Approved on {long_date(terms.approved_on)}"
            + (f"; next review due {long_date(terms.next_review_on)}." if terms.next_review_on else "."),
        ),
    )


def _minutes_tables(*, user: User, subject: Organisation, pk) -> tuple[AnswerTable, ...]:
    meeting, items = committee_records.minutes_for_answer(user=user, organisation=subject, pk=pk)
    return (
        AnswerTable(
            heading=f"Minutes of {meeting}",
            columns=("Item", "Title", "Minute", "Assurance taken"),
            rows=tuple(
                (
                    str(item.position),
                    item.title,
                    item.minute,
                    item.get_assurance_display() if item.assurance else "",
                )
                for item in items
            ),
            note="The public part of the meeting, as its minutes were approved; items taken in private are not "
            "given.",
        ),
    )


def _report_tables(*, user: User, subject: Organisation, pk) -> tuple[AnswerTable, ...]:
    report = committee_records.report_for_answer(user=user, organisation=subject, pk=pk)
    titles = section_titles(report.meeting.committee)
    rows = tuple(
        (titles[section], getattr(report, section) or "Nothing to report")
        for section in ("alert", "advise", "assure")
    )
    return (
        AnswerTable(
            heading=str(report),
            columns=("Section", "The chair's report"),
            rows=rows,
            note=f"{report.get_status_display()}.",
        ),
    )
