"""Server memory while every page of a plan whose texts are all at their limits is rendered:
`python bench/memory_at_limits.py` prints the process's peak resident memory (VmHWM) after each round.

The case (issue 13): a plan of 60 actions in 3 sections whose every text is at its limit (docs/limits.md):
description, section titles, findings, planned actions, success measures, assurance evidence, progress updates
(with one correction each), timescale reasons. Each round fetches, through Django's test client as a governance
editor (middleware, scoped reads, templates), every page of the plan and each of its objects, and downloads the
board paper in every format and the plan's export. Flat memory means the peak stops growing after the first round:
nothing a page does holds on to the texts. SQLite file database in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import platform
import sys
import time

from _django import remove, throwaway_django

ACTIONS = 60
SECTIONS = 3


def text_of(length: int, label: str) -> str:
    """Words to exactly `length` characters, ending in a label."""
    body = "The ward teams report to the quality committee each month and the audit follows. " * (
        length // 80 + 2
    )
    return (body[: length - len(label) - 1].rstrip() + " " + label).ljust(length, ".")[:length]


def build_plan():
    from django.utils import timezone

    from wellled.core import limits
    from wellled.core.choices import Role
    from wellled.core.models import DeliveryStatus
    from wellled.core.service_kit import AS_IT_STANDS
    from wellled.core.services import organisation_create, person_create
    from wellled.plans import services
    from wellled.plans.choices import PlanKind, PlanOrganisedBy

    org = organisation_create(name="Limits Benchmark NHS Trust", ods_code="ZLB01", by=None)
    editor = person_create(
        username="editor",
        by=None,
        organisation=org,
        role=Role.GOVERNANCE_EDITOR,
        first_name="Gill",
        last_name="Ed",
    )
    plan = services.plan_create(
        organisation=org,
        by=editor,
        name="Plan at its limits",
        kind=PlanKind.SELF_REVIEW,
        organised_by=PlanOrganisedBy.WORKSTREAM,
        description=text_of(limits.PLAN_DESCRIPTION_CHARS, "end"),
    )
    statuses = list(DeliveryStatus.objects.filter(organisation=org, active=True))
    today = timezone.localdate()
    sections = [
        services.section_create(plan=plan, by=editor, code=f"WS{i}", title=text_of(300, f"S{i}"))
        for i in range(SECTIONS)
    ]
    findings = [
        services.finding_create(plan=plan, by=editor, text=text_of(limits.FINDING_TEXT_CHARS, f"F{i}"))
        for i in range(SECTIONS)
    ]
    for index in range(ACTIONS):
        action = services.action_create(
            plan=plan,
            by=editor,
            reference=f"L{index}",
            title=text_of(limits.ACTION_TITLE_CHARS, f"T{index}"),
            success_measure=text_of(limits.SUCCESS_MEASURE_CHARS, f"M{index}"),
            section=sections[index % SECTIONS],
            lead=editor,
            lead_note="",
            due_date=today + datetime.timedelta(days=90),
            findings=[findings[index % SECTIONS]],
        )
        services.action_timescale_revise(
            action=action,
            by=editor,
            expected_version=AS_IT_STANDS,
            due_date=today + datetime.timedelta(days=200),
            reason=text_of(500, "R"),
        )
        first = services.progress_update_record(
            action=action,
            by=editor,
            narrative=text_of(limits.PROGRESS_NARRATIVE_CHARS, f"U{index}"),
            status=statuses[index % len(statuses)],
            expected_version=None,
            update_date=today - datetime.timedelta(days=3),
        )
        services.progress_update_record(
            action=action,
            by=editor,
            narrative=text_of(limits.PROGRESS_NARRATIVE_CHARS, f"C{index}"),
            status=statuses[(index + 1) % len(statuses)],
            expected_version=None,
            update_date=today - datetime.timedelta(days=2),
            supersedes=first,
        )
    return org, editor, plan


def pages(plan) -> list[str]:
    from django.urls import reverse

    urls = [
        "/",
        "/my-actions/",
        reverse("plan-list"),
        reverse("plan-detail", args=[plan.pk]),
        reverse("plan-detail", args=[plan.pk]) + "?q=ward",
        reverse("plan-history", args=[plan.pk]),
        reverse("board-paper", args=[plan.pk]),
        reverse("audit-log"),
        *(
            reverse("board-paper-download", args=[plan.pk, fmt])
            for fmt in ("pdf", "docx", "xlsx", "csv", "html")
        ),
        *(reverse("plan-export", args=[plan.pk, fmt]) for fmt in ("xlsx", "csv")),
    ]
    for action in plan.actions.all():
        urls += [reverse("action-detail", args=[action.pk]), reverse("action-history", args=[action.pk])]
    for finding in plan.findings.all():
        urls.append(reverse("finding-detail", args=[finding.pk]))
    for section in plan.sections.all():
        urls.append(reverse("section-history", args=[section.pk]))
    return urls


def memory_kib() -> tuple[int, int]:
    """(peak resident memory, current resident memory) of this process, in KiB, from /proc/self/status."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmHWM:", "VmRSS:")):
                key, figure = line.split(":")
                values[key] = int(figure.split()[0])
    return values["VmHWM"], values["VmRSS"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="times every page is fetched")
    args = parser.parse_args()
    data_dir = throwaway_django()
    try:
        from django.test import Client

        started = time.perf_counter()
        org, editor, plan = build_plan()
        built = time.perf_counter() - started
        client = Client()
        client.force_login(editor)
        urls = pages(plan)
        gc.collect()
        peak, rss = memory_kib()
        print(f"Python {platform.python_version()} on {platform.machine()}; plan built in {built:.1f} s")
        print(f"{ACTIONS} actions, every text at its limit; {len(urls)} pages and downloads per round")
        print(f"{'after':<22}{'peak RSS (MiB)':>16}{'RSS (MiB)':>12}{'seconds':>10}{'bytes served':>16}")
        print(f"{'setting up':<22}{peak / 1024:>16.1f}{rss / 1024:>12.1f}{'':>10}{'':>16}")
        for round_number in range(1, args.rounds + 1):
            started, served = time.perf_counter(), 0
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    print(f"{url}: {response.status_code}", file=sys.stderr)
                    return 1
                served += len(
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
            gc.collect()
            peak, rss = memory_kib()
            took = time.perf_counter() - started
            print(
                f"{f'round {round_number}':<22}{peak / 1024:>16.1f}{rss / 1024:>12.1f}{took:>10.1f}{served:>16,}"
            )
        return 0
    finally:
        remove(data_dir)


if __name__ == "__main__":
    sys.exit(main())
