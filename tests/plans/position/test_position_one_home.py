"""One home for the plan's position (ADR 0042): no module outside plans/position decides again which update
stands as at a date, when an update is awaited, or when an action is overdue or delivered."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import wellled

SRC = Path(wellled.__file__).parent
HOME = SRC / "plans" / "position"

# Each pattern is a way the rule was written out before it had one home.
DECIDING = {
    "an as-at cut-off on a position": re.compile(r"update_date\s*<=|update_date\s*==\s*as_at"),
    "an as-at cut-off on recording time": re.compile(r"created_at\s*<=\s*recorded_by"),
    "an update's awaited flag read to decide": re.compile(r"\b(u|update|latest|shown|last)\.awaited\b"),
    "an update matched to a cycle": re.compile(r"\.cycle_id\s*==|updates__cycle\b"),
    "overdue worked out from a timescale": re.compile(r"\.due_date\s*<(?!=)|due_date__lt\b"),
    "delivered worked out in a query": re.compile(r"status__is_complete"),
    "the previous cycle or a paper's cycle chosen": re.compile(r"position_as_at\s*<\s*as_at"),
}


def offences() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if HOME in path.parents or "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for what, pattern in DECIDING.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(SRC)}:{number}: {what}: {line.strip()}")
    return found


def test_no_module_outside_plans_position_decides_the_position_again():
    assert offences() == [], "Read plans.position instead of deciding it again:\n" + "\n".join(offences())


def test_the_guard_catches_a_rule_written_out_again(tmp_path, monkeypatch):
    copy = tmp_path / "wellled"
    (copy / "plans" / "position").mkdir(parents=True)
    (copy / "reports").mkdir()
    (copy / "reports" / "paper.py").write_text(
        "shown = [u for u in updates if u.update_date <= as_at]\nlate = row.due_date < as_at\nfine = 1\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "SRC", copy)
    monkeypatch.setattr(sys.modules[__name__], "HOME", copy / "plans" / "position")
    assert len(offences()) == 2
