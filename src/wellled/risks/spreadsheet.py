"""The risk register in and out of a spreadsheet, in the layout Datix-style exports use, through the register
round-trip kit (core.registers).

Export writes every risk the person may see; import reads the same layout back (or a register exported from Datix
or kept in a workbook: the header row found among the first rows whatever its wording, score cells written
"4x5=20", "4 x 5" or "L4 x C5", cells merged down carried to every row). Each row is matched by its reference: a
risk already on the register is updated in the fields that differ (a changed current rating recorded as a review,
a changed status through the status service, new controls added), a new reference (or none) adds a risk, and a risk
missing from the sheet is left as it is. A dry run shows the differences row by row; the real run writes every row
in one transaction, or nothing if any row has a problem.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from wellled.core import registers
from wellled.core.access import current_members
from wellled.core.limits import limit_of, too_long
from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.registers import Column, Comparison, Context, Problem, Register, Upload, cell_text
from wellled.core.service_kit import AS_IT_STANDS

from . import selectors, services
from .choices import ConsequenceDomain, RiskStatus
from .committee_names import committee_index, match
from .convention import convention
from .models import Control, Risk, RiskCategory

# The columns Wellled writes, in order; the import recognises these and the usual variants below.
EXPORT_HEADERS = {
    "reference": "Risk ID",
    "title": "Title",
    "cause": "Cause",
    "event": "Event",
    "effect": "Effect",
    "unit": "Directorate or service",
    "category": "Category",
    "owner": "Owner",
    "handler": "Handler",
    "opened_on": "Date opened",
    "inherent": "Inherent rating",
    "current": "Current rating",
    "target": "Target rating",
    "controls": "Controls",
    "gaps_in_control": "Gaps in control",
    "gaps_in_assurance": "Gaps in assurance",
    "next_review_on": "Next review date",
    "status": "Status",
    "status_reason": "Status reason",
    # Added by issue 26 (ADR 0047), after the columns registers exported earlier have, so their layout still reads.
    "consequence_domain": "Consequence domain",
    "target_on": "Target date",
    # Added by issue 22 (ADR 0063), last again so older workbooks still read: the committee linked, by its name.
    "committee": "Lead committee",
}
# Header wordings seen in registers exported from Datix, Ulysses and trusts' own workbooks, lower case with only
# letters and digits kept ("Current Rating (L x C)" is read as "currentrating").
HEADER_WORDS = {
    "committee": {"leadcommittee", "committee", "assurancecommittee", "overseeingcommittee"},
    "reference": {
        "riskid",
        "id",
        "ref",
        "reference",
        "riskref",
        "riskreference",
        "risknumber",
        "riskno",
        "datixid",
    },
    "title": {
        "title",
        "risktitle",
        "risk",
        "riskdescription",
        "description",
        "risktitledescription",
        "summary",
    },
    "cause": {"cause", "causes", "becauseof"},
    "event": {"event", "riskevent", "thereisariskthat"},
    "effect": {"effect", "effects", "impact", "whichwouldleadto"},
    "unit": {
        "directorate",
        "directorateorservice",
        "division",
        "service",
        "caregroup",
        "department",
        "specialty",
        "directorateservice",
    },
    "category": {"category", "riskcategory", "risktype", "type"},
    "owner": {"owner", "riskowner", "executiveowner", "execlead", "executivelead"},
    "handler": {"handler", "riskhandler", "manager", "riskmanager", "riskhandlermanager", "riskhandlername"},
    "opened_on": {
        "opened",
        "dateopened",
        "opendate",
        "dateidentified",
        "datecreated",
        "dateraised",
        "openeddate",
    },
    "inherent": {
        "inherentrating",
        "inherentscore",
        "initialrating",
        "initialscore",
        "initialriskscore",
        "inherent",
        "initial",
        "inherentriskscore",
        "initialriskrating",
    },
    "current": {
        "currentrating",
        "currentscore",
        "residualrating",
        "residualscore",
        "currentriskscore",
        "current",
        "currentriskrating",
        "residual",
    },
    "target": {"targetrating", "targetscore", "target", "targetriskscore", "targetriskrating"},
    "target_on": {"targetdate", "datetargetreached", "targetriskdate", "datetoreachtarget"},
    "consequence_domain": {"consequencedomain", "domain", "impactdomain", "consequencetype"},
    "controls": {"controls", "controlsinplace", "existingcontrols", "keycontrols"},
    "gaps_in_control": {"gapsincontrol", "gapsincontrols", "controlgaps"},
    "gaps_in_assurance": {"gapsinassurance", "assurancegaps"},
    "next_review_on": {"nextreviewdate", "nextreview", "reviewdate", "reviewdue", "datenextreview"},
    "status": {"status", "riskstatus"},
    "status_reason": {"statusreason", "closurereason", "reasonforclosure", "reason", "reasonclosedtolerated"},
}
REQUIRED = ("title", "current")
SCORE_RE = re.compile(r"^\s*[lL]?\s*([0-9])\s*[x×X*]\s*[cC]?\s*([0-9])\s*(?:=\s*([0-9]{1,2}))?\s*$")
SCORE_FIRST_RE = re.compile(r"^\s*([0-9]{1,2})\s*\(\s*([0-9])\s*[x×X*]\s*([0-9])\s*\)\s*$")  # "20 (4x5)"
STATUS_WORDS = {
    "open": RiskStatus.OPEN,
    "live": RiskStatus.OPEN,
    "active": RiskStatus.OPEN,
    "new": RiskStatus.OPEN,
    "tolerated": RiskStatus.TOLERATED,
    "accepted": RiskStatus.TOLERATED,
    "tolerate": RiskStatus.TOLERATED,
    "closed": RiskStatus.CLOSED,
    "archived": RiskStatus.CLOSED,
    "close": RiskStatus.CLOSED,
}


def score_parse(value) -> tuple[int, int]:
    """(likelihood, consequence) from a cell such as '4x5=20', '4 x 5', 'L4xC5' or '20 (4x5)'; ValueError says why."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f"“{value:g}” is a score alone: give likelihood and consequence, for example 4x5=20")
    text = str(value).strip()
    match = SCORE_RE.match(text)
    if match:
        likelihood, consequence, stated = int(match[1]), int(match[2]), match[3]
    elif match := SCORE_FIRST_RE.match(text):
        stated, likelihood, consequence = match[1], int(match[2]), int(match[3])
    elif text.isdigit():
        raise ValueError(f"“{text}” is a score alone: give likelihood and consequence, for example 4x5=20")
    else:
        raise ValueError(f"“{text}” is not a score: write likelihood x consequence, for example 4x5=20")
    for name, number in (("likelihood", likelihood), ("consequence", consequence)):
        if number not in convention().scale:
            raise ValueError(f"“{text}”: the {name} must be from 1 to 5")
    if stated is not None and int(stated) != likelihood * consequence:
        raise ValueError(
            f"“{text}”: {likelihood} x {consequence} is {likelihood * consequence}, not {stated}"
        )
    return likelihood, consequence


def score_text(likelihood: int, consequence: int) -> str:
    """'4x5=20', as registers write a score."""
    return f"{likelihood}x{consequence}={likelihood * consequence}"


def _score_shown(scores: Any) -> str:
    return score_text(*scores) if scores else registers.EMPTY_SHOWN


def _person_name(person: User | None) -> str:
    return (person.get_full_name() or person.username) if person else ""


class _Lookup:
    """The organisation's units, categories and people by the names a register writes them with (and the people
    already named on its risks, so that a leaver still named as an owner reads back as the same person)."""

    def __init__(self, organisation: Organisation):
        units = OrganisationUnit.objects.filter(organisation=organisation)
        self.units = {u.name.lower(): u for u in units if u.kind == "site"}
        self.units.update({u.name.lower(): u for u in units if u.kind != "site"})
        self.categories = {c.name.lower(): c for c in RiskCategory.objects.filter(organisation=organisation)}
        self.people: dict[str, User] = {}
        for person in current_members(organisation=organisation):
            for key in (person.get_full_name(), person.username, person.email or "", person.display_initials):
                if key:
                    self.people.setdefault(key.lower(), person)
        # The trust's committees, matched as the BAF's lead committee texts are (committee_names); by label, as
        # committees sits above risks.
        committees = apps.get_model("committees", "Committee").objects.filter(
            organisation=organisation, active=True
        )
        self.committee_names = sorted(c.name for c in committees)
        self.committees = committee_index(committees)
        named = Risk.objects.filter(organisation=organisation).select_related("owner", "handler")
        for risk in named:
            for named_person in (risk.owner, risk.handler):
                if named_person is not None:
                    self.people.setdefault(_person_name(named_person).lower(), named_person)

    @staticmethod
    def _known(names) -> str:
        names = sorted(names)
        return ", ".join(names[:12]) + (" and others" if len(names) > 12 else "") if names else "none yet"

    def _named(self, found: dict, text: str, what: str):
        """The record called `text` (any case), or a ValueError naming `what` it should be and the known names."""
        if text.lower() not in found:
            raise ValueError(f"“{text}” is not one of {what} ({self._known(r.name for r in found.values())})")
        return found[text.lower()]

    def unit(self, text: str) -> OrganisationUnit:
        return self._named(self.units, text, "the organisation's directorates or services")

    def category(self, text: str) -> RiskCategory:
        return self._named(self.categories, text, "the risk categories")

    def committee(self, text: str):
        found = match(text, self.committees)
        if found is None:
            raise ValueError(
                f"“{text}” is not one of the trust's committees ({self._known(self.committee_names)})"
            )
        return found

    def person(self, text: str) -> User:
        if text.lower() not in self.people:
            raise ValueError(
                f"no member of the organisation is called “{text}” (give their name, username or "
                "e-mail address as Wellled knows it)"
            )
        return self.people[text.lower()]


def _named(kind: str):
    """A reader of a unit, category or person by name (blank: none)."""

    def read(value: Any, context: Context) -> Any:
        text = cell_text(value)
        return getattr(context.lookups, kind)(text) if text else None

    return read


def _score(kind: str):
    def read(value: Any, context: Context) -> tuple[int, int] | None:
        if cell_text(value) == "":
            if kind == "current":
                raise ValueError("the current rating is missing")
            return None
        return score_parse(value)

    return read


def _controls(value: Any, context: Context) -> list[str]:
    lines = [line.strip(" -•\t") for line in cell_text(value).splitlines() if line.strip(" -•\t")]
    for position, line in enumerate(lines, start=1):
        message = too_long(line, limit_of(Control, "description"))
        if message:
            raise ValueError(f"control {position}: {message}")
    return lines


def _status(value: Any, context: Context) -> str:
    text = cell_text(value).lower()
    if not text:
        return RiskStatus.OPEN
    if text not in STATUS_WORDS:
        raise ValueError(f"“{text}” is not a status: write open, tolerated or closed")
    return STATUS_WORDS[text]


def _domain(value: Any, context: Context) -> str:
    """A consequence domain by its key or the first word of its name ('Harm', 'finance'); blank: none."""
    text = cell_text(value).lower()
    if not text:
        return ""
    for domain in ConsequenceDomain:
        if text in (domain.value, domain.label.lower()) or text.split(" ")[0] == domain.value:
            return domain.value
    raise ValueError(
        f"“{cell_text(value)}” is not a consequence domain: write "
        + ", ".join(d.value for d in ConsequenceDomain)
    )


def _domain_label(value: str) -> str:
    return ConsequenceDomain(value).label if value in ConsequenceDomain.values else ""


def _text(name: str, *, required: bool | str = False) -> Column[Risk]:
    return Column(
        name,
        EXPORT_HEADERS[name],
        lambda risk: cell_text(getattr(risk, name)),
        read=registers.text_reader(limit_of(Risk, name), required=required),
        aliases=tuple(HEADER_WORDS[name]),
        required=name in REQUIRED,
    )


def _related(name: str, kind: str, cell) -> Column[Risk]:
    return Column(
        name,
        EXPORT_HEADERS[name],
        lambda risk: getattr(risk, name),
        read=_named(kind),
        cell=cell,
        show=lambda value: cell(value) or registers.EMPTY_SHOWN,
        aliases=tuple(HEADER_WORDS[name]),
    )


def _rating(kind: str) -> Column[Risk]:
    return Column(
        kind,
        EXPORT_HEADERS[kind],
        lambda risk: risk.scores(kind),
        read=_score(kind),
        cell=lambda scores: score_text(*scores) if scores else "",
        show=_score_shown,
        aliases=tuple(HEADER_WORDS[kind]),
        required=kind in REQUIRED,
    )


def _date(name: str) -> Column[Risk]:
    return Column(
        name,
        EXPORT_HEADERS[name],
        lambda risk: getattr(risk, name),
        read=registers.date_reader(),
        aliases=tuple(HEADER_WORDS[name]),
    )


def _status_label(status: str) -> str:
    return RiskStatus(status).label if status in RiskStatus.values else status


def _name(record: Any) -> str:
    return record.name if record else ""


COLUMNS: tuple[Column[Risk], ...] = (
    Column(
        "reference",
        EXPORT_HEADERS["reference"],
        lambda risk: risk.reference,
        read=registers.text_reader(limit_of(Risk, "reference")),
        aliases=tuple(HEADER_WORDS["reference"]),
    ),
    _text("title", required="the risk has no title"),
    _text("cause"),
    _text("event"),
    _text("effect"),
    _related("unit", "unit", _name),
    _related("category", "category", _name),
    _related("owner", "person", _person_name),
    _related("handler", "person", _person_name),
    _date("opened_on"),
    _rating("inherent"),
    _rating("current"),
    _rating("target"),
    Column(
        "controls",
        EXPORT_HEADERS["controls"],
        lambda risk: [c.description for c in risk.controls.all()],
        read=_controls,
        aliases=tuple(HEADER_WORDS["controls"]),
    ),
    _text("gaps_in_control"),
    _text("gaps_in_assurance"),
    _date("next_review_on"),
    Column(
        "status",
        EXPORT_HEADERS["status"],
        lambda risk: risk.status,
        read=_status,
        cell=_status_label,
        show=_status_label,
        aliases=tuple(HEADER_WORDS["status"]),
    ),
    _text("status_reason"),
    Column(
        "consequence_domain",
        EXPORT_HEADERS["consequence_domain"],
        lambda risk: risk.consequence_domain,
        read=_domain,
        cell=_domain_label,
        show=lambda value: _domain_label(value) or registers.EMPTY_SHOWN,
        aliases=tuple(HEADER_WORDS["consequence_domain"]),
    ),
    _date("target_on"),
    _related("committee", "committee", _name),
)


def _check(values: dict[str, Any], context: Context) -> list[tuple[str, str]]:
    status = values.get("status", RiskStatus.OPEN)
    if status != RiskStatus.OPEN and not values.get("status_reason"):
        return [("status_reason", f"a {status} risk needs the reason it is {status}")]
    return []


def _records(context: Context) -> QuerySet[Risk]:
    return (
        selectors.risk_register(
            user=context.by,
            organisation=context.organisation,
            filters=selectors.RegisterFilters(status="all"),
            on=timezone.localdate(),
        )
        .prefetch_related("controls")
        .select_related("committee")
    )


def _create(context: Context, values: dict[str, Any]) -> Risk:
    fields = dict(values)
    current = fields["current"]
    fields["inherent"] = (
        fields.get("inherent") or current
    )  # a register without them: start at the current one
    fields["target"] = fields.get("target") or current
    for name in ("opened_on", "next_review_on"):
        if fields.get(name) is None:
            fields.pop(name, None)
    committee = fields.pop("committee", None)
    risk = services.risk_create(organisation=context.organisation, by=context.by, **fields)
    if committee is not None:
        services.risk_baf_set(risk=risk, by=context.by, expected_version=AS_IT_STANDS, committee=committee)
    return risk


def _update(context: Context, risk: Risk, changes: dict[str, Any], values: dict[str, Any]) -> None:
    """Each change through its service: the current rating as a review, the status with its reason, new
    controls added, everything else as an edit of the risk (each audited, and shown in the risk's history)."""
    changes = dict(changes)
    status = changes.pop("status", None)
    reason = changes.pop("status_reason", None)
    current = changes.pop("current", None)
    controls = changes.pop("controls", None)
    if "committee" in changes:
        services.risk_baf_set(
            risk=risk, by=context.by, expected_version=AS_IT_STANDS, committee=changes.pop("committee")
        )
    edit: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("inherent", "target"):
            if value is None:
                raise ValidationError({name: f"the {name} rating cannot be emptied"})
            edit[f"{name}_likelihood"], edit[f"{name}_consequence"] = value
        elif name == "opened_on" and value is None:
            raise ValidationError({name: "the date opened cannot be emptied"})
        else:
            edit[name] = value
    # with a new rating, the review sets the next review date (the sheet's, if it changed it; else by the band)
    reviewed = current is not None and "next_review_on" in edit
    next_review = edit.pop("next_review_on") if reviewed else None
    if edit:
        services.risk_update(risk=risk, by=context.by, expected_version=AS_IT_STANDS, **edit)
    reopen = status == RiskStatus.OPEN
    if (status is not None or reason is not None) and reopen:
        _status_set(context, risk, status, reason, values)
    if current is not None:
        services.risk_review_record(
            risk=risk,
            by=context.by,
            expected_version=AS_IT_STANDS,
            reviewed_on=timezone.localdate(),
            narrative=f"Rated {score_text(*current)} in the register imported from {context.file_name}.",
            likelihood=current[0],
            consequence=current[1],
            next_review_on=next_review,
        )
    if (status is not None or reason is not None) and not reopen:
        _status_set(context, risk, status, reason, values)
    if controls is not None:
        _controls_add(context, risk, controls)


def _status_set(context: Context, risk: Risk, status: str | None, reason: str | None, values: dict) -> None:
    services.risk_status_set(
        risk=risk,
        by=context.by,
        expected_version=AS_IT_STANDS,
        status=status or values.get("status") or risk.status,
        reason=reason if reason is not None else values.get("status_reason", risk.status_reason),
    )


def _controls_add(context: Context, risk: Risk, controls: list[str]) -> None:
    have = [c.description for c in risk.controls.all()]
    removed = [c for c in have if c not in controls]
    if removed:
        raise ValidationError(
            {
                "controls": f"“{removed[0][:60]}” is missing from the controls: the import adds controls, it does "
                "not remove them (remove a control on the risk's page)"
            }
        )
    for description in controls:
        if description not in have:
            services.control_add(risk=risk, by=context.by, description=description)


RISK_REGISTER: Register[Risk] = Register(
    noun="risk",
    sheet="Risk register",
    columns=COLUMNS,
    reference="reference",
    records=_records,
    create=_create,
    update=_update,
    prepare=lambda context: _Lookup(context.organisation),
    check=_check,
    blank_reference=True,
)


def register_import(*, organisation: Organisation, by: User, file, dry_run: bool = False) -> Comparison:
    """Import a register: every row is checked and compared first; with any problem (or a dry run) nothing is
    written, otherwise every row is created or updated through the risks' services in one transaction."""
    services.permission_require(
        user=by, organisation_id=organisation.pk, permission=services.Permission.MANAGE_RISKS
    )
    context = Context(organisation=organisation, by=by)
    return registers.register_import(RISK_REGISTER, file, context, dry_run=dry_run)


def register_export(*, risks: QuerySet[Risk]) -> bytes:
    """The register as an .xlsx in the layout `register_import` reads (scores written '4x5=20')."""
    return registers.registers_workbook(
        [(RISK_REGISTER, risks.prefetch_related("controls").select_related("committee"))]
    )


__all__ = [
    "RISK_REGISTER",
    "Comparison",
    "Problem",
    "Upload",
    "register_export",
    "register_import",
    "score_parse",
]
