"""The risks step: each demo trust's risk register, BAF and one issued BAF paper, from `data/risks.yaml` with
every date counted from the load day, loaded once (a trust that has risks is left as it is)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from wellled.core.access import current_members
from wellled.core.models import Organisation, OrganisationUnit
from wellled.core.service_kit import AS_IT_STANDS
from wellled.measures.models import Measure
from wellled.plans.models import Action
from wellled.risks import services as risk_services
from wellled.risks.models import Risk
from wellled.risks.paper_kind import baf_paper_issue
from wellled.risks.spreadsheet import score_parse

from .loader import DemoDates, Writer, data, say_to


def demo_spec() -> dict:
    """The data file's registers, by ODS code."""
    return data("risks.yaml")


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def register_load(
    *,
    organisation: Organisation,
    today: datetime.date,
    spec: dict | None = None,
    issue_baf: bool = True,
    stdout: Writer | None = None,
) -> int:
    """Load the organisation's demo register, BAF and one issued BAF paper; returns how many risks were added."""
    say = say_to(stdout)
    spec = spec if spec is not None else demo_spec().get(organisation.ods_code)
    if spec is None:
        return 0
    if Risk.objects.filter(organisation=organisation).exists():
        say(f"The demo risk register of {organisation.name} is already loaded; nothing changed.")
        return 0
    people = {u.username: u for u in current_members(organisation=organisation)}
    editor = people[spec["editor"]]
    units = {u.name: u for u in OrganisationUnit.objects.filter(organisation=organisation)}
    actions = {a.reference: a for a in Action.objects.filter(plan__organisation=organisation)}
    measures = {m.name: m for m in Measure.objects.filter(organisation=organisation)}
    day = lambda offset: today + datetime.timedelta(days=int(offset))  # noqa: E731
    with transaction.atomic():
        risk_services.threshold_set(
            organisation=organisation, by=editor, escalation_threshold=spec["threshold"]
        )
        categories = {
            c["name"]: risk_services.category_create(
                organisation=organisation,
                by=editor,
                name=c["name"],
                appetite=c["appetite"],
                tolerance=c["tolerance"],
            )
            for c in spec["categories"]
        }
        objectives = {
            o["code"]: risk_services.objective_create(
                organisation=organisation,
                by=editor,
                code=o["code"],
                title=o["title"],
                order=i,
                appetite=o.get("appetite", ""),
                tolerance=o.get("tolerance"),
            )
            for i, o in enumerate(spec["objectives"])
        }
        count = 0
        # Each operational risk feeds the first principal risk of its category (the BAF linked to the registers).
        feeds: dict[str, Risk] = {}
        for entry in spec.get("principal", []):
            reviews = entry.get("reviews", [])
            first_current = score_parse(reviews[0][1]) if reviews else score_parse(entry["current"])
            if reviews:  # the score before the first review: one step worse than the first review found
                first_current = (min(first_current[0] + 1, 5), first_current[1])
            opened = day(entry["opened"])
            risk = risk_services.risk_create(
                organisation=organisation,
                by=editor,
                reference=entry["ref"],
                title=entry["title"],
                cause=entry.get("cause", ""),
                event=entry.get("event", ""),
                effect=entry.get("effect", ""),
                unit=units.get(entry.get("unit") or ""),
                category=categories.get(entry.get("category")),
                owner=people.get(entry.get("owner")),
                opened_on=opened,
                inherent=score_parse(entry["inherent"]),
                current=first_current,
                target=score_parse(entry["target"]),
                gaps_in_control=entry.get("gaps_in_control", ""),
                gaps_in_assurance=entry.get("gaps_in_assurance", ""),
                controls=entry.get("controls", []),
                at=_moment(opened),
                actions=[actions[r] for r in entry.get("actions", []) if r in actions],
                measures=[measures[n] for n in entry.get("measures", []) if n in measures],
                target_on=day(entry["target_by"]) if "target_by" in entry else None,
                consequence_domain=entry.get("domain", ""),
            )
            controls = list(risk.controls.all())
            for control, effectiveness in zip(controls, entry.get("effectiveness", []), strict=False):
                risk_services.control_update(
                    control=control, by=editor, expected_version=AS_IT_STANDS, effectiveness=effectiveness
                )
            for index, line, level, source, *more in entry.get("assurances", []):
                outcome, ago = (more + ["positive", 30][len(more) :])[:2]
                risk_services.assurance_add(
                    control=controls[index],
                    by=editor,
                    source=source,
                    line=line,
                    level=level,
                    outcome=outcome,
                    reported_on=day(-ago),
                )
            for kind, index, action, text in entry.get("gaps", []):
                risk_services.gap_add(
                    risk=risk,
                    by=editor,
                    kind=kind,
                    description=text,
                    control=controls[index] if index is not None else None,
                    action=actions.get(action) if action else None,
                )
            for offset, score, narrative in reviews:
                likelihood, consequence = score_parse(score)
                risk_services.risk_review_record(
                    risk=risk,
                    by=people.get(entry.get("owner")) or editor,
                    expected_version=AS_IT_STANDS,
                    reviewed_on=day(offset),
                    narrative=narrative,
                    likelihood=likelihood,
                    consequence=consequence,
                    at=_moment(day(offset)),
                )
            risk.refresh_from_db()
            principal = risk_services.risk_baf_set(
                risk=risk,
                by=editor,
                expected_version=risk.version,
                principal=True,
                objective=objectives[entry["objective"]],
                lead_committee=entry.get("committee", ""),
                lead_executive=people.get(entry.get("lead_executive")),
                assurance_rating=entry.get("rating", ""),
                assurance_rating_reason=entry.get("rating_reason", ""),
            )
            feeds.setdefault(entry.get("category", ""), principal)
            count += 1
        for number, line in enumerate(spec.get("register", []), start=1):
            unit, category, owner, title, inherent, current, target, opened, review, status = (
                part.strip() for part in line.split("|")
            )
            opened_on = day(opened)
            risk_services.risk_create(
                organisation=organisation,
                by=editor,
                reference=f"{organisation.ods_code}-{number:03d}",
                title=title,
                unit=units.get(unit),
                category=categories.get(category),
                owner=people.get(owner),
                opened_on=opened_on,
                inherent=score_parse(inherent),
                current=score_parse(current),
                target=score_parse(target),
                next_review_on=day(review),
                status=status,
                parent=feeds.get(category),
                status_reason={
                    "tolerated": "Accepted by the committee while the controls hold",
                    "closed": "Risk transferred to the estates partner",
                }.get(status, ""),
                at=_moment(opened_on),
            )
            count += 1
    ago = spec.get("baf_issued_days_ago") or 0
    if issue_baf and ago:
        baf_paper_issue(organisation=organisation, as_at=day(-ago), by=editor)
    say(f"Loaded {count} demo risks for {organisation.name}.")
    return count


def risks_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Every demo trust in the file that exists in the database, against the demo's load day; returns how many
    risks were added."""
    today = (dates or DemoDates()).today
    total = 0
    for ods_code, spec in demo_spec().items():
        organisation = Organisation.objects.filter(ods_code=ods_code).first()
        if organisation is not None:
            total += register_load(organisation=organisation, today=today, spec=spec, stdout=stdout)
    return total
