"""Demo step: ward accreditation visits, QI projects with PDSA cycles, and performance report commentary for the
demo trust (content in `data/improvement.yaml`). Visit answers come from seeded random numbers."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from wellled.accreditation import services as accreditation
from wellled.accreditation.models import AccreditationScheme, WardAudit
from wellled.core.access import current_members
from wellled.core.choices import UnitKind
from wellled.core.models import OrganisationUnit
from wellled.core.services import organisation_unit_create
from wellled.improvement import services as improvement
from wellled.improvement.models import QIProject
from wellled.measures import services as measure_services
from wellled.measures.models import Measure

from .loader import DemoDates, Writer, data, say_to
from .plans import demo_trust

CONTENT: dict[str, Any] = data("improvement.yaml")
SCHEME_KEY = "wellled-ward-accreditation"
PANEL_AFTER = datetime.timedelta(days=14)  # the demo's panel meets a fortnight after each visit


def _answers(scheme, strength: float, rng: random.Random) -> dict[str, str]:
    """One visit's answers: each standard fully met with chance `strength` (essentials a little more often, as
    wards put them first), otherwise mostly partly met."""
    answers = {}
    for standard in scheme.standards():
        chance = min(0.99, strength + 0.12) if standard.essential else strength
        roll = rng.random()
        answer = "met" if roll < chance else "partly_met" if roll < chance + (1 - chance) * 0.7 else "not_met"
        if standard.essential and answer == "not_met":
            answer = (
                "partly_met"  # a failed essential would leave the ward unaccredited; wards put them first
            )
        if standard.sample is not None:  # a sampled standard: so many of the notes checked meet it
            records = standard.sample.records
            least = dict(standard.sample.thresholds)
            met = records if roll < chance / 2 else least["met"] if answer == "met" else least["partly_met"]
            answer = f"{met}/{records}"
        answers[standard.code] = answer
    return answers


def _panel_decides(audit, panel) -> None:
    """The accreditation panel meets a fortnight after the visit (never later than today): it awards the level
    proposed, or declines when none was reached, in the demo's own words."""
    met = min(audit.audited_on + PANEL_AFTER, timezone.localdate())
    if audit.level_code:
        reason = f"Evidence reviewed at panel: {audit.level_name} confirmed."
        decision = "awarded"
    else:
        reason = "Below every level: a support plan agreed with the ward, re-audit booked."
        decision = "declined"
    accreditation.ward_audit_decide(
        audit=audit,
        by=panel,
        expected_version=audit.version,
        decision=decision,
        reason=reason,
        decided_on=met,
    )


def _wards(organisation, people, dates: DemoDates, rng: random.Random) -> int:
    scheme_row = AccreditationScheme.objects.filter(key=SCHEME_KEY, organisation__isnull=True).latest("pk")
    auditor = people[CONTENT["auditor"]]
    visits = 0
    for ward in CONTENT["wards"]:
        unit = organisation_unit_create(
            organisation=organisation,
            kind=ward.get("kind", UnitKind.WARD),
            name=ward["name"],
            by=people[CONTENT["editor"]],
        )
        for day, strength in ward["visits"]:
            audit = accreditation.ward_audit_start(
                organisation=organisation,
                unit=unit,
                scheme=scheme_row,
                audited_on=dates.date(day),
                by=auditor,
            )
            audit = accreditation.ward_audit_answers_record(
                audit=audit,
                by=auditor,
                expected_version=audit.version,
                answers=_answers(scheme_row.scheme, strength, rng),
                evidence={},
            )
            audit = accreditation.ward_audit_complete(audit=audit, by=auditor, expected_version=audit.version)
            if ward.get("awaiting_panel") != day:
                _panel_decides(audit, people[CONTENT["panel"]])
            visits += 1
        if ward.get("draft"):
            accreditation.ward_audit_start(
                organisation=organisation,
                unit=unit,
                scheme=scheme_row,
                audited_on=dates.date(ward["draft"]),
                by=auditor,
            )
    return visits


def _aim_numbers(spec: dict, measures: dict, dates: DemoDates) -> dict[str, Any]:
    """The project's aim as baseline, goal and date, read from its measure, when the demo gives them."""
    numbers = spec.get("aim_numbers")
    if not numbers or numbers["measure"] not in measures:
        return {}
    return {
        "aim_measure": measures[numbers["measure"]],
        "aim_baseline": float(numbers["baseline"]),
        "aim_goal": float(numbers["goal"]),
        "aim_by": dates.date(numbers["by"]),
    }


def _projects(organisation, people, dates: DemoDates) -> int:
    editor = people[CONTENT["editor"]]
    measures = {m.name: m for m in Measure.objects.filter(organisation=organisation)}
    for spec in CONTENT["projects"]:
        project = improvement.project_create(
            organisation=organisation,
            by=editor,
            title=spec["title"],
            aim=" ".join(spec["aim"].split()),
            started_on=dates.date(spec["started_on"]),
            lead=people[spec["lead"]],
            sponsor=people[spec["sponsor"]],
            team=[people[name] for name in spec["team"]],
            status=spec["status"],
            **_aim_numbers(spec, measures, dates),
        )
        ideas = {}
        for driver_spec in spec["drivers"]:
            driver = improvement.driver_add(project=project, by=editor, text=driver_spec["text"])
            for text in driver_spec.get("ideas", ()):
                ideas[text] = improvement.change_idea_add(driver=driver, by=editor, text=text)
            for secondary in driver_spec.get("secondary", ()):
                child = improvement.driver_add(
                    project=project, by=editor, text=secondary["text"], parent=driver
                )
                for text in secondary.get("ideas", ()):
                    ideas[text] = improvement.change_idea_add(driver=child, by=editor, text=text)
        for link in spec["measures"]:
            if link["measure"] in measures:
                improvement.project_measure_link(
                    project=project, by=editor, measure=measures[link["measure"]], role=link["role"]
                )
        lead = people[spec["lead"]]
        for cycle_spec in spec["cycles"]:
            cycle = improvement.pdsa_record(
                project=project,
                by=lead,
                title=cycle_spec["title"],
                plan=cycle_spec["plan"],
                prediction=cycle_spec["prediction"],
                started_on=dates.date(cycle_spec["started_on"]),
                change_idea=ideas.get(cycle_spec.get("change")),
            )
            progress = {k: cycle_spec[k] for k in ("do", "study", "act", "act_notes") if k in cycle_spec}
            if "ended_on" in cycle_spec:
                progress["ended_on"] = dates.date(cycle_spec["ended_on"])
            improvement.pdsa_progress_record(cycle=cycle, by=lead, expected_version=cycle.version, **progress)
    return len(CONTENT["projects"])


def improvement_demo_load(*, stdout: Writer | None = None, dates: DemoDates | None = None) -> int:
    """Load the demo's wards and visits, QI projects and commentary once; returns the number of visits."""
    say = say_to(stdout)
    organisation = demo_trust(say, missing="no wards or QI projects added")
    if organisation is None:
        return 0
    if (
        QIProject.objects.filter(organisation=organisation).exists()
        or WardAudit.objects.filter(organisation=organisation).exists()
    ):
        say("Demo wards and QI projects are already loaded; nothing changed.")
        return 0
    if OrganisationUnit.objects.filter(organisation=organisation, name=CONTENT["wards"][0]["name"]).exists():
        say("The demo trust already has wards of these names; no wards or QI projects added.")
        return 0
    dates = dates or DemoDates()
    people = {u.username: u for u in current_members(organisation=organisation)}
    rng = random.Random(CONTENT["seed"])
    with transaction.atomic():
        visits = _wards(organisation, people, dates, rng)
        _projects(organisation, people, dates)
        measures = {m.name: m for m in Measure.objects.filter(organisation=organisation)}
        # The report month: the last complete period, which the performance report opens at (issue 27).
        report_month = dates.date("month(-1)")
        for note in CONTENT["commentary"]:
            if note["measure"] in measures:
                measure_services.commentary_write(
                    measure=measures[note["measure"]],
                    by=people[CONTENT["editor"]],
                    period=report_month,
                    shows=note["shows"],
                    why=note["why"],
                    next_steps=note["next_steps"],
                )
    say(f"Demo wards ({visits} accreditation visits), QI projects and performance report commentary loaded.")
    return visits
