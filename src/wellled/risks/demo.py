"""The demo risk registers and BAF, read from `data/demo.yaml` with every date counted from the load day.

`risks_demo_load(organisation=, today=)` loads one trust's register once (it does nothing if the trust has risks);
`risks_demo_load_all()` is the hook the `wellled demo` command calls for every demo trust in the file.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Protocol

import yaml
from django.db import transaction
from django.utils import timezone

from wellled.core.models import Organisation, OrganisationUnit, User
from wellled.core.service_kit import AS_IT_STANDS
from wellled.measures.models import Measure
from wellled.plans.models import Action

from . import services
from .baf_issue import baf_paper_issue
from .models import Risk
from .spreadsheet import score_parse


class Writer(Protocol):
    """Where progress is written: a file, or a management command's output."""

    def write(self, msg: str, /) -> object: ...


DEMO_FILE = Path(__file__).with_name("data") / "demo.yaml"


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def demo_spec() -> dict:
    """The demo file's data, by ODS code."""
    return yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))


def risks_demo_load(
    *,
    organisation: Organisation,
    today: datetime.date,
    spec: dict | None = None,
    issue_baf: bool = True,
    stdout: Writer | None = None,
) -> int:
    """Load the organisation's demo register, BAF and one issued BAF paper; returns how many risks were added."""
    say = (lambda text: stdout.write(text + "\n")) if stdout is not None else (lambda text: None)
    spec = spec if spec is not None else demo_spec().get(organisation.ods_code)
    if spec is None:
        return 0
    if Risk.objects.filter(organisation=organisation).exists():
        say(f"The demo risk register of {organisation.name} is already loaded; nothing changed.")
        return 0
    people = {u.username: u for u in User.objects.filter(memberships__organisation=organisation)}
    editor = people[spec["editor"]]
    units = {u.name: u for u in OrganisationUnit.objects.filter(organisation=organisation)}
    actions = {a.reference: a for a in Action.objects.filter(plan__organisation=organisation)}
    measures = {m.name: m for m in Measure.objects.filter(organisation=organisation)}
    day = lambda offset: today + datetime.timedelta(days=int(offset))  # noqa: E731
    with transaction.atomic():
        services.threshold_set(organisation=organisation, by=editor, escalation_threshold=spec["threshold"])
        categories = {
            c["name"]: services.category_create(
                organisation=organisation,
                by=editor,
                name=c["name"],
                appetite=c["appetite"],
                tolerance=c["tolerance"],
            )
            for c in spec["categories"]
        }
        objectives = {
            o["code"]: services.objective_create(
                organisation=organisation, by=editor, code=o["code"], title=o["title"], order=i
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
            risk = services.risk_create(
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
            )
            controls = list(risk.controls.all())
            for index, line, level, source in entry.get("assurances", []):
                services.assurance_add(
                    control=controls[index],
                    by=editor,
                    source=source,
                    line=line,
                    level=level,
                    reported_on=day(-30),
                )
            for offset, score, narrative in reviews:
                likelihood, consequence = score_parse(score)
                services.risk_review_record(
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
            principal = services.risk_baf_set(
                risk=risk,
                by=editor,
                expected_version=risk.version,
                principal=True,
                objective=objectives[entry["objective"]],
                lead_committee=entry.get("committee", ""),
                lead_executive=people.get(entry.get("lead_executive")),
                assurance_rating=entry.get("rating", ""),
            )
            feeds.setdefault(entry.get("category", ""), principal)
            count += 1
        for number, line in enumerate(spec.get("register", []), start=1):
            unit, category, owner, title, inherent, current, target, opened, review, status = (
                part.strip() for part in line.split("|")
            )
            opened_on = day(opened)
            services.risk_create(
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


def risks_demo_load_all(*, stdout: Writer | None = None, today: datetime.date | None = None) -> int:
    """Every demo trust in the file that exists in the database (the hook for `wellled demo`)."""
    today = today or timezone.localdate()
    total = 0
    for ods_code, spec in demo_spec().items():
        organisation = Organisation.objects.filter(ods_code=ods_code).first()
        if organisation is not None:
            total += risks_demo_load(organisation=organisation, today=today, spec=spec, stdout=stdout)
    return total
