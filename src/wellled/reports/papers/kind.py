"""What a paper kind says: what it gathers as at a date, how it is frozen, and how each format is laid out.

A kind is one small class registered under its key (`registry.kind_register`); everything else (permissions,
the date check, the snapshot check, rendering each format, storing, withdrawing, comparing, the background job)
is done once for all kinds by `pipeline` and `jobs`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils import timezone

from wellled.core.models import Organisation, User
from wellled.core.permissions import Permission

from ..progress import READ_WEIGHT
from ..snapshot import snapshot_from_data, snapshot_to_data
from .charts import ChartCache

# Who issues a paper unless its kind says otherwise: those who run the reporting cycles.
DEFAULT_ISSUE_PERMISSION = Permission.MANAGE_CYCLES


@dataclass(frozen=True)
class PaperRequest:
    """What is asked for: an organisation's paper as at a date, by a person; `subject` is what the paper is about
    when it is not the whole organisation (a board paper's plan, an information request), `cycle` a plan's
    reporting cycle."""

    organisation: Organisation
    by: User
    as_at: datetime.date | None
    subject: Any = None
    cycle: Any = None

    @property
    def day(self) -> datetime.date:
        """The date of a kind that is always as at a date (every kind but an answer, whose date is asked for)."""
        if self.as_at is None:
            raise ValueError("This paper is issued as at a date: name it.")
        return self.as_at


@dataclass
class RenderContext:
    """What every format of one issue shares: the chart cache, who asked for which organisation, and the formats
    that will be rendered with it (a renderer may start a later format's charts ahead)."""

    organisation: Organisation | None = None
    by: User | None = None
    charts: ChartCache = field(default_factory=ChartCache)
    formats: tuple[str, ...] = ()


class PaperKind:
    """One kind of paper. A subclass sets `key`, `label`, `paper_class` and `formats` and writes `build`,
    `render` and `filename`; the rest has defaults that fit most kinds."""

    key: ClassVar[str]
    label: ClassVar[str]
    paper_class: ClassVar[type]  # the dataclass that is frozen as JSON (reports.snapshot)
    formats: ClassVar[tuple[str, ...]]
    permission: ClassVar[Permission] = DEFAULT_ISSUE_PERMISSION
    as_at_field: ClassVar[str | None] = None  # the form field a date refused is shown against, if any
    read_label: ClassVar[str] = "Reading the records"
    store_label: ClassVar[str] = "Storing the issued paper"
    read_weight: ClassVar[int] = READ_WEIGHT
    format_weights: ClassVar[dict[str, int]] = {}
    # False for a paper about one thing its draft's parameters name (a report, a quarter): it is not as at a date.
    dated: ClassVar[bool] = True

    # What it gathers and how it is laid out ------------------------------------------------------------------

    def build(self, request: PaperRequest) -> Any:
        """The paper as at the request's date, read through the person's own scoped selectors."""
        raise NotImplementedError

    def render(self, paper: Any, fmt: str, context: RenderContext) -> bytes:
        """The paper in one of its formats."""
        raise NotImplementedError

    def filename(self, paper: Any, fmt: str) -> str:
        raise NotImplementedError

    # Defaults ------------------------------------------------------------------------------------------------

    def issue_permission(self, organisation: Organisation) -> Permission:
        """The permission that lets a person issue (and withdraw) this kind for the organisation."""
        return self.permission

    def draft_permission(self, organisation: Organisation) -> Permission:
        """The permission that lets a person download a draft: as for issuing, unless the kind says otherwise."""
        return self.issue_permission(organisation)

    def default_as_at(self, organisation: Organisation, by: User) -> datetime.date | None:
        """The date a draft (and the page that offers it) is as at when none is asked for: today, if dated."""
        return timezone.localdate() if self.dated else None

    def subject(self, *, organisation: Organisation, by: User, parameters: Mapping[str, str]) -> Any:
        """What a draft's parameters name the paper about (a plan, a committee; None: the whole organisation), read
        through the person's scoped getter: another organisation's record is a 404, a bad value a ValidationError."""
        return None

    def draft_request(
        self,
        *,
        organisation: Organisation,
        by: User,
        as_at: datetime.date | None,
        parameters: Mapping[str, str],
    ) -> PaperRequest:
        """What a draft's parameters (a page's query string) ask for: its `subject`, as at the date already read
        from them (for a kind that is not dated, the date its subject fixes, if any)."""
        subject = self.subject(organisation=organisation, by=by, parameters=parameters)
        return PaperRequest(
            organisation=organisation,
            by=by,
            as_at=as_at if self.dated else self.subject_as_at(subject),
            subject=subject,
        )

    def subject_as_at(self, subject: Any) -> datetime.date | None:
        """The date a draft of a kind that is not dated is as at when its subject fixes one (a chair's report: its
        meeting's day); else none."""
        return None

    def to_data(self, paper: Any) -> dict[str, Any]:
        return snapshot_to_data(paper)

    def from_data(self, data: dict[str, Any]) -> Any:
        return snapshot_from_data(self.paper_class, data)

    def title(self, paper: Any) -> str:
        return paper.title

    def total(self, paper: Any) -> int:
        """The one figure the list of issued papers shows first."""
        return int(getattr(paper, "total", 0))

    def counts(self, paper: Any) -> list[dict[str, Any]]:
        """The figures the list of issued papers shows beside each one: [{"code", "label", "count"}, ...]."""
        return []

    def note(self, paper: Any, request: PaperRequest) -> str:
        """The audit record's note."""
        return f"{self.label} issued: position as at {paper.as_at.isoformat()}"

    def extra_files(self, paper: Any, request: PaperRequest) -> list[tuple[str, str, bytes]]:
        """Files issued with the paper that it does not render itself (format, filename, bytes)."""
        return []

    def compare(self, before: Any, after: Any) -> Any:
        """The kind's own comparison of two frozen papers (None: the issued figures say enough)."""
        return None

    def job_request(self, job: Any) -> PaperRequest:
        """What a background job (a PaperJob row) asks for."""
        return PaperRequest(job.organisation, job.requested_by, job.as_at, job.plan, job.cycle)


class SubjectPaperKind(PaperKind):
    """A paper about one thing its draft's parameters name (a report, a quarter) rather than a position as at a
    date: it has no default date, and `subject` reads the thing, through the person's scope where it is a record."""

    dated = False

    def subject(self, *, organisation: Organisation, by: User, parameters: Mapping[str, str]) -> Any:
        """The thing the parameters name; another organisation's record is a 404, a bad value a ValidationError."""
        raise NotImplementedError
