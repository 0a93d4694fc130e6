"""A plan with two reporting cycles of history, built through the services, for the board-paper tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from tests.factories import make_person, status

from wellled.core.choices import Role
from wellled.core.service_kit import AS_IT_STANDS
from wellled.plans import services
from wellled.plans.choices import PlanKind, PlanOrganisedBy
from wellled.plans.models import Plan

AS_AT = datetime.date(2025, 9, 30)
PREVIOUS_AS_AT = datetime.date(2025, 8, 31)
LATE_NARRATIVE = "Recorded after the board met: this must not be in the paper."
FORMULA_NARRATIVE = "=SUM(A1:A9) people enrolled so far, against a target of 75."
SUCCESS_FORMULA = "+44 staff trained"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@dataclass
class PaperPlan:
    plan: Plan
    editor: object
    viewer: object
    leads: dict


def _update(action, by, code, narrative, day):
    action.refresh_from_db()
    return services.progress_update_record(
        action=action,
        by=by,
        narrative=narrative,
        status=status(action.plan.organisation, code),
        expected_version=None,
        update_date=day,
        at=at(day),
    )


def build_paper_plan(org, editor, viewer) -> PaperPlan:
    """Two sections, an unsectioned action, two findings, revised timescales and two cycles of updates.

    Movement from August to September: W1b worsens A/G → R, W2a improves A/R → A/G, W1c is newly completed
    (A/G → G), W1a's timescale slips in September. W2b has no September update (update awaited). An update to
    W1b recorded in October, after the paper's date, must not show.
    """
    rg = make_person(
        org, role=Role.LEAD, username="rgreen", first_name="Rosa", last_name="Green", initials="RG"
    )
    tl = make_person(org, role=Role.LEAD, username="tlee", first_name="Tom", last_name="Lee", initials="TL")
    dmc = make_person(
        org, role=Role.LEAD, username="dmcd", first_name="Dan", last_name="McDonald", initials="DMc"
    )
    plan = services.plan_create(
        organisation=org,
        by=editor,
        name="Well-led review 2025",
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.WORKSTREAM,
    )
    w1 = services.section_create(plan=plan, by=editor, code="W1", title="Leadership capacity and capability")
    w2 = services.section_create(plan=plan, by=editor, code="W2", title="Vision and strategy")
    f1 = services.finding_create(plan=plan, by=editor, text="Leaders were not always visible to staff.")
    f2 = services.finding_create(
        plan=plan, by=editor, text="Risks were not always dealt with quickly enough."
    )
    created = at(datetime.date(2025, 7, 1))

    def add(ref, title, section, lead, due, **kw):
        return services.action_create(
            plan=plan,
            by=editor,
            reference=ref,
            title=title,
            section=section,
            lead=lead,
            success_measure=kw.pop("success_measure", "Measured monthly"),
            due_date=due,
            at=created,
            **kw,
        )

    w1a = add(
        "W1a",
        "Launch the coaching and mentoring programme",
        w1,
        rg,
        datetime.date(2026, 3, 31),
        success_measure="75 people enrolled in coaching",
        findings=[f1],
    )
    w1b = add(
        "W1b",
        "Agree a succession plan for each director",
        w1,
        tl,
        datetime.date(2026, 2, 28),
        success_measure=SUCCESS_FORMULA,
    )
    w1c = add(
        "W1c",
        "Publish the leadership behaviours framework",
        w1,
        rg,
        datetime.date(2025, 9, 30),
        findings=[f1],
    )
    w2a = add(
        "W2a",
        "Deliver the quality and education plans",
        w2,
        dmc,
        datetime.date(2026, 1, 31),
        other_leads=[tl],
        findings=[f2],
    )
    w2b = add("W2b", "Refresh the digital strategy", w2, tl, datetime.date(2025, 12, 31))
    x1 = add(
        "X1",
        "Review board committee terms of reference",
        None,
        None,
        datetime.date(2026, 6, 30),
        lead_note="Varied",
    )

    # An earlier slip (before the previous paper), and one this cycle.
    services.action_timescale_revise(
        action=w2b,
        by=editor,
        expected_version=AS_IT_STANDS,
        due_date=datetime.date(2026, 2, 28),
        reason="Supplier delay",
        at=at(datetime.date(2025, 8, 10)),
    )
    services.cycle_open(
        plan=plan,
        by=editor,
        name="August 2025",
        position_as_at=PREVIOUS_AS_AT,
        update_deadline=datetime.date(2025, 8, 25),
        at=at(datetime.date(2025, 8, 1), 9),
    )
    aug = datetime.date(2025, 8, 20)
    _update(w1a, rg, "A/G", "Forty people have started coaching.", aug)
    _update(w1b, tl, "A/G", "Draft plan with the remuneration committee.", aug)
    _update(w1c, rg, "A/G", "Framework drafted with staff networks.", aug)
    _update(w2a, dmc, "A/R", "Education plan refresh is behind schedule.", aug)
    _update(w2b, tl, "A/G", "Strategy workshops booked.", aug)
    _update(x1, editor, "A/G", "Terms of reference collected.", aug)

    services.cycle_open(
        plan=plan,
        by=editor,
        name="September 2025",
        position_as_at=AS_AT,
        update_deadline=datetime.date(2025, 9, 25),
        at=at(datetime.date(2025, 9, 1), 9),
    )
    w1a.refresh_from_db()
    services.action_timescale_revise(
        action=w1a,
        by=editor,
        expected_version=AS_IT_STANDS,
        due_date=datetime.date(2026, 7, 31),
        reason="Second cohort added",
        at=at(datetime.date(2025, 9, 10)),
    )
    sep = datetime.date(2025, 9, 20)
    _update(w1a, rg, "A/G", FORMULA_NARRATIVE, sep)
    _update(w1b, tl, "R", "The preferred candidate withdrew; recruitment restarts.", sep)
    _update(w1c, rg, "G", "Framework published and adopted by the board.", sep)
    _update(w2a, dmc, "A/G", "Recovery plan agreed; back on course.", sep)
    _update(x1, editor, "A/G", "Committee chairs reviewing drafts.", sep)
    # After the paper's date: must not appear in a paper as at 30 September.
    _update(w1b, tl, "G", LATE_NARRATIVE, datetime.date(2025, 10, 3))
    plan.refresh_from_db()
    return PaperPlan(plan=plan, editor=editor, viewer=viewer, leads={"RG": rg, "TL": tl, "DMc": dmc})
