"""The national speak-up figures of a financial year, read from a data file (`ftsu/data/national-<year>.yaml`), so a
year's published figures are loaded without a release; the board report sets the trust's figures beside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

NATIONAL_FILES = Path(__file__).parent / "data"
UNITS = frozenset({"cases", "percent"})


class NationalFileError(ValueError):
    """The file is not one the loader can read: the message names the figure."""


def national_file(year: str) -> Path:
    """The shipped file of a financial year ("2024/25" -> national-2024-25.yaml)."""
    return NATIONAL_FILES / f"national-{year.replace('/', '-')}.yaml"


def national_read(path: Path | str) -> dict[str, Any]:
    """Read and check a national figures file; NationalFileError names what is wrong."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise NationalFileError(f"The national figures {path} cannot be read: {exc}") from exc
    return national_check(data, str(path))


def national_check(data: Any, path: str) -> dict[str, Any]:
    """The figures checked and in their one shape; NationalFileError names what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("figures"), list):
        raise NationalFileError(f"The national figures {path} have no list of figures.")
    year = str(data.get("year", ""))
    if len(year) != 7 or year[4] != "/":
        raise NationalFileError(f"The national figures {path} name no financial year like 2024/25.")
    for number, figure in enumerate(data["figures"], start=1):
        for key in ("code", "label", "value", "unit"):
            if key not in figure:
                raise NationalFileError(f"Figure {number} of {path} has no {key}.")
        if figure["unit"] not in UNITS or not isinstance(figure["value"], int | float):
            raise NationalFileError(f"Figure {figure['code']} of {path} needs a number in cases or percent.")
    return {
        "year": year,
        "title": str(data.get("title", f"National figures {year}")),
        "source": str(data.get("source", "")),
        "illustrative": bool(data.get("illustrative", True)),
        "figures": [
            {"code": str(f["code"]), "label": str(f["label"]), "value": f["value"], "unit": f["unit"]}
            for f in data["figures"]
        ],
    }
