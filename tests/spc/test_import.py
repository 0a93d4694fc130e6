"""`import wellled.spc` must stay light: numpy only, never Django or the renderers' libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[2] / "src"


def test_import_pulls_in_no_django_or_heavy_libraries() -> None:
    code = (
        "import wellled.spc, wellled.spc.cli, wellled.spc.render, wellled.spc.readers, sys; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'django','cairosvg','openpyxl','matplotlib'}); "
        "assert not bad, bad"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_exact_import_check_from_the_brief() -> None:
    code = (
        "import wellled.spc, sys; "
        "assert not any(m.split('.')[0] in {'django','cairosvg','openpyxl'} for m in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
