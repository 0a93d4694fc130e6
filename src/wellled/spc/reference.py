"""A view of results in NHSRplotthedots 0.2.2's own vocabulary, to compare with R output."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .results import SPCResult
from .types import Assurance, Variation

_POINT_TYPES = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
_ASSURANCE = {
    Assurance.PASS: "consistent_pass",
    Assurance.FAIL: "consistent_fail",
    Assurance.HIT_OR_MISS: "inconsistent",
}


def special_cause_labels(result: SPCResult) -> list[str]:
    """The reference's special_cause_type text of each point (e.g. "7 Point Trend (Increasing)")."""
    trend_n = result.options.effective_trend_length
    shift_n = result.options.effective_shift_length
    out = []
    for rule, side in zip(result.rule_code.tolist(), result.side.tolist(), strict=True):
        above = "Above" if side > 0 else "Below"
        out.append(
            {
                0: "Common Cause",
                1: "Above UCL" if side > 0 else "Below LCL",
                2: f"{trend_n} Point Trend ({'In' if side > 0 else 'De'}creasing)",
                3: f"2 in 3 {above} CL",
                4: f"{shift_n} Points {above} CL",
            }[rule]
        )
    return out


def point_type_labels(result: SPCResult) -> list[str]:
    """The reference's point_type text of each point."""
    return [_POINT_TYPES[c] for c in result.point_type_code.tolist()]


def variation_icon_name(variation: Variation) -> str:
    """The reference's icon file for a variation."""
    return f"{variation.value}.svg"


def assurance_label(assurance: Assurance | None) -> str | None:
    """The reference's assurance_type text."""
    return None if assurance is None else _ASSURANCE[assurance]


def _opt(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def reference_view(result: SPCResult) -> dict[str, Any]:
    """The result laid out like the expected output of the shared reference cases."""
    missing = np.isnan(result.values)
    no_limits = np.isnan(result.upper_limit) | missing
    points = {
        "rebase_group": result.group.tolist(),
        "mean": [_opt(v) for v in result.mean.tolist()],
        "lpl": [_opt(v) for v in result.lower_limit.tolist()],
        "upl": [_opt(v) for v in result.upper_limit.tolist()],
        "outside_limits": [
            None if m else bool(v) for m, v in zip(no_limits, result.outside_limits, strict=True)
        ],
        "close_to_limits": [
            None if m else bool(v) for m, v in zip(no_limits, result.close_to_limits, strict=True)
        ],
        "relative_to_mean": [
            None if m else int(v) for m, v in zip(missing, result.relative_to_mean, strict=True)
        ],
        "special_cause_type": special_cause_labels(result),
        "point_type": point_type_labels(result),
    }
    return {
        "groups": [
            {
                "rebase_group": g.group,
                "n": g.n,
                "mean": _opt(g.mean),
                "lpl": _opt(g.lower_limit),
                "upl": _opt(g.upper_limit),
            }
            for g in result.groups
        ],
        "points": points,
        "special_cause_indices_0based": result.special_cause_indices,
        "variation_type_last_point": points["point_type"][-1],
        "variation_icon": variation_icon_name(result.variation),
        "assurance_type": assurance_label(result.assurance),
    }
