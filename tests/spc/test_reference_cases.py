"""Every shared NHSRplotthedots 0.2.2 reference case, reproduced with default options."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import pytest

from wellled.spc import spc
from wellled.spc.reference import reference_view

# The shared NHSRplotthedots 0.2.2 cases (generated from the R package; numbers, not prose), kept in the repository so
# that a clone anywhere runs them.
CASES_PATH = Path(__file__).parent / "data" / "spc_reference_cases.json"
CASES = json.loads(CASES_PATH.read_text())["cases"]
REL = 1e-9


def _close(a: Any, b: Any, where: str) -> None:
    if isinstance(b, float) or isinstance(a, float):
        assert a is not None and b is not None, f"{where}: {a!r} != {b!r}"
        assert math.isclose(a, b, rel_tol=REL, abs_tol=1e-12), f"{where}: {a!r} != {b!r}"
    elif isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b), f"{where}: length {a!r} != {b!r}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{where}[{i}]")
    elif isinstance(b, dict):
        assert set(a) >= set(b), f"{where}: missing keys {set(b) - set(a)}"
        for k in b:
            _close(a[k], b[k], f"{where}.{k}")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """Run one reference case through the engine with the case's options."""
    o = case["options"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = spc(
            case["input"]["values"],
            case["input"]["dates"],
            improvement_direction=o["improvement_direction"],
            screen_outliers=o["screen_outliers"],
            fix_after_n_points=o["fix_after_n_points"],
            rebase=o["rebase_dates"],
            target=o["target"],
        )
    return reference_view(result)


def test_all_cases_present() -> None:
    assert len(CASES) >= 33


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reference_case(case: dict[str, Any]) -> None:
    got = run_case(case)
    exp = case["expected"]
    # Integer-valued floats in JSON come back as ints; compare numbers numerically.
    _close(got, _floatify(exp), case["id"])


def _floatify(x: Any) -> Any:
    if isinstance(x, dict):
        return {
            k: (v if k in {"rebase_group", "n", "relative_to_mean"} else _floatify(v)) for k, v in x.items()
        }
    if isinstance(x, list):
        return [_floatify(v) for v in x]
    if isinstance(x, int) and not isinstance(x, bool):
        return float(x)
    return x
