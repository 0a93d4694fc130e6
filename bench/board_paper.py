"""Benchmark of the board paper: `python bench/board_paper.py` prints best-of-N wall-clock figures.

The case (issue 4): a plan of 500 actions in 8 sections, 14 findings, 12 monthly reporting cycles of progress
updates (about 5,400 updates) and revised timescales. Targets: PDF <= 5 s, Word <= 2 s, Excel <= 2 s.
Each format is timed end to end as the download view does it: build the paper (the scoped reads) and render.

It runs Django on a throwaway SQLite database in a temporary directory; the history is inserted in bulk (the
benchmark measures producing the paper, not recording the updates). `--write FILE` writes the figures as Markdown.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import sys
import time
from pathlib import Path

from _django import best_of, remove, throwaway_django

ACTIONS = 500
CYCLES = 12
SECTIONS = 8
FINDINGS = 14
TARGETS = {"pdf": 5.0, "docx": 2.0, "xlsx": 2.0}


def build_plan():
    """The organisation, a viewer and the 500-action plan with 12 cycles of history."""
    from django.utils import timezone

    from wellled.core.choices import Role
    from wellled.core.models import DeliveryStatus
    from wellled.core.services import organisation_create, person_create
    from wellled.plans import services
    from wellled.plans.choices import PlanKind, PlanOrganisedBy
    from wellled.plans.models import Action, ProgressUpdate, ReportingCycle, TimescaleRevision

    rng = random.Random(4)
    org = organisation_create(name="Benchmark Teaching Hospitals NHS Trust", ods_code="ZBM01", by=None)
    editor = person_create(
        username="editor",
        by=None,
        organisation=org,
        role=Role.GOVERNANCE_EDITOR,
        first_name="Gill",
        last_name="Editor",
    )
    viewer = person_create(
        username="viewer", by=None, organisation=org, role=Role.VIEWER, first_name="Val", last_name="Viewer"
    )
    leads = [
        person_create(
            username=f"lead{i}",
            by=None,
            organisation=org,
            role=Role.LEAD,
            first_name=f"Lead{i}",
            last_name=f"Person{i}",
            initials=f"L{i}",
        )
        for i in range(20)
    ]
    plan = services.plan_create(
        organisation=org,
        by=editor,
        name="Benchmark plan",
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.WORKSTREAM,
    )
    sections = [
        services.section_create(plan=plan, by=editor, code=f"W{i + 1}", title=f"Key line of enquiry {i + 1}")
        for i in range(SECTIONS)
    ]
    findings = [
        services.finding_create(plan=plan, by=editor, text=f"Finding {i + 1}: " + "governance gap " * 6)
        for i in range(FINDINGS)
    ]
    statuses = list(DeliveryStatus.objects.filter(organisation=org, active=True).order_by("rank"))
    start = timezone.make_aware(datetime.datetime(2025, 1, 1, 9))
    actions = Action.objects.bulk_create(
        [
            Action(
                plan=plan,
                section=sections[i % SECTIONS],
                reference=f"W{i % SECTIONS + 1}-{i // SECTIONS + 1:03d}",
                title="Deliver the improvement described in the plan "
                + "with staff and partners " * rng.randint(1, 4),
                lead=leads[i % len(leads)],
                success_measure=f"{rng.randint(10, 95)}% of teams report the change",
                due_date=datetime.date(2026, 3, 31),
                order=i + 1,
            )
            for i in range(ACTIONS)
        ]
    )
    for index, action in enumerate(actions):
        if index % 3 == 0:
            action.findings.add(findings[index % FINDINGS])
    revisions = []
    for index, action in enumerate(actions):
        revisions.append(
            TimescaleRevision(
                action=action,
                due_date=datetime.date(2026, 3, 31),
                reason="Original",
                created_by=editor,
                created_at=start,
            )
        )
        for slip in range(index % 3 if index % 4 == 0 else 0):
            revisions.append(
                TimescaleRevision(
                    action=action,
                    due_date=datetime.date(2026, 5 + slip * 2, 28),
                    reason="Slipped",
                    created_by=editor,
                    created_at=start + datetime.timedelta(days=60 + 90 * slip),
                )
            )
    TimescaleRevision.objects.bulk_create(revisions)
    updates = []
    for month in range(CYCLES):
        opened = start + datetime.timedelta(days=30 * month)
        cycle = ReportingCycle.objects.create(
            plan=plan,
            name=f"Cycle {month + 1}",
            position_as_at=(opened + datetime.timedelta(days=28)).date(),
            update_deadline=(opened + datetime.timedelta(days=24)).date(),
            opened_at=opened,
            opened_by=editor,
            state="open" if month == CYCLES - 1 else "closed",
            closed_at=None if month == CYCLES - 1 else opened + datetime.timedelta(days=30),
        )
        for index, action in enumerate(actions):
            if rng.random() < 0.9:
                at = opened + datetime.timedelta(days=3 + index % 20, hours=index % 7)
                updates.append(
                    ProgressUpdate(
                        action=action,
                        cycle=cycle,
                        status=rng.choice(statuses),
                        update_date=at.date(),
                        narrative="Progress this month: "
                        + "work continues with the teams involved. " * rng.randint(2, 8),
                        created_by=action.lead,
                        created_at=at,
                    )
                )
    ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
    return org, viewer, plan, len(updates)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per format; the best is reported")
    parser.add_argument("--write", help="write the figures as Markdown to this file")
    args = parser.parse_args()

    data_dir = throwaway_django()
    setup_start = time.perf_counter()
    org, viewer, plan, update_count = build_plan()
    setup = time.perf_counter() - setup_start

    from wellled.reports.board_paper import board_paper_build
    from wellled.reports.formats import render

    def build():
        return board_paper_build(user=viewer, organisation=org, plan=plan)

    build_time, paper = best_of(build, args.repeat)
    results: list[tuple[str, float, float, int]] = []
    for fmt in ("pdf", "docx", "xlsx", "csv", "html"):
        total, data = best_of(lambda fmt=fmt: render(build(), fmt), args.repeat)
        render_only, _ = best_of(lambda fmt=fmt: render(paper, fmt), args.repeat)
        results.append((fmt, total, render_only, len(data)))

    pages = None
    try:
        import io

        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(render(paper, "pdf"))).pages)
    except ImportError:
        pass

    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    lines = [
        f"Plan: {ACTIONS} actions in {SECTIONS} sections, {FINDINGS} findings, {CYCLES} cycles, "
        f"{update_count:,} progress updates (set-up {setup:.1f} s). Machine: {machine}.",
        f"Building the paper (scoped reads, as at the open cycle): {build_time * 1000:.0f} ms.",
        "",
        "| format | target | build + render | render only | size | ",
        "|---|---|---|---|---|",
    ]
    for fmt, total, render_only, size in results:
        target = f"≤ {TARGETS[fmt]:.0f} s" if fmt in TARGETS else "–"
        note = f" ({pages} pages)" if fmt == "pdf" and pages else ""
        lines.append(
            f"| {fmt} | {target} | {total:.2f} s | {render_only:.2f} s | {size / 1024:,.0f} KiB{note} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.write:
        Path(args.write).write_text(
            "# Performance: board papers\n\n"
            f"Command (from the repository root): `python bench/board_paper.py --repeat {args.repeat}` "
            f"(best of {args.repeat} timed run(s) after a warm-up; SQLite in a temporary directory, removed "
            "afterwards).\n\n" + text + "\n"
        )
    remove(data_dir)
    failed = [fmt for fmt, total, _, _ in results if fmt in TARGETS and total > TARGETS[fmt]]
    if failed:
        print(f"Over target: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
