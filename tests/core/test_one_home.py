"""Each cross-cutting rule has one home; these guards fail when someone writes the rule again somewhere else.

Dates and figures are written by core.formatting, workbooks are read and written through core.workbook, whether a
person is a current member (in a role) is asked of core.access, and demo content lives under wellled/demo/.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import wellled

SRC = Path(wellled.__file__).resolve().parent
ENGINE = (
    SRC / "spc"
)  # the SPC engine uses nothing of Wellled (contract "engines"): its own labels and readers

# A date directive of strftime/strptime ('%d', '%B', '%Y' ...) in a string or an f-string's format.
DATE_DIRECTIVE = re.compile(r"%[aAbBdHIjmMpSyYZ]")
OPENPYXL_IMPORT = re.compile(r"^\s*(?:import openpyxl|from openpyxl[\s.])", re.MULTILINE)
# Reading memberships: who belongs, in which role, whether still (a membership is written by core.services).
MEMBERSHIP_READ = re.compile(r"Membership\.objects\.filter\(|memberships__|\.memberships\.filter\(")
DEMO_NAME = re.compile(r"(?:^|/)(?:demo[^/]*\.(?:py|ya?ml)|demo)$")


def _sources(under: Path = SRC) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "migrations" not in p.parts)


def _name(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def _strings(path: Path) -> list[tuple[int, str]]:
    """Each string literal (f-strings whole, with their formats) and the line it starts on."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(t.start[0], t.string) for t in tokens if t.type == tokenize.STRING]


def test_dates_are_written_only_by_the_formatting_module():
    home = SRC / "core" / "formatting.py"
    written = [
        f"{_name(path)}:{line}: {text[:70]}"
        for path in _sources()
        if path != home and not path.is_relative_to(ENGINE)
        for line, text in _strings(path)
        if DATE_DIRECTIVE.search(text)
    ]
    called = [
        f"{_name(path)}: strftime/strptime"
        for path in _sources()
        if path != home and not path.is_relative_to(ENGINE)
        if re.search(r"\.str[fp]time\(", path.read_text(encoding="utf-8"))
    ]
    assert not written + called, (
        "Write dates with wellled.core.formatting (day_text, month_year, iso_day ...)"
    )


def test_the_guard_sees_a_date_written_by_hand(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('def label(day):\n    return f"{day:%d %B %Y}"\n', encoding="utf-8")
    assert [text for _, text in _strings(sample) if DATE_DIRECTIVE.search(text)]


def test_openpyxl_is_imported_only_by_the_workbook_kit():
    home = SRC / "core" / "workbook.py"
    importers = [
        _name(path)
        for path in _sources()
        if path != home
        and OPENPYXL_IMPORT.search(path.read_text(encoding="utf-8"))
        # The engine reads its own workbooks: it may not import wellled.core.
        and path != ENGINE / "readers.py"
    ]
    assert not importers, "Read and write workbooks through wellled.core.workbook"
    assert OPENPYXL_IMPORT.search(home.read_text(encoding="utf-8"))


def test_whether_a_membership_is_current_is_asked_only_of_the_access_module():
    home = SRC / "core" / "access.py"
    askers = [
        f"{_name(path)}:{number}"
        for path in _sources()
        if path != home
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if MEMBERSHIP_READ.search(line)
    ]
    assert not askers, "Ask wellled.core.access whether a person is a current member (in a role)"
    assert "active=True" in home.read_text(encoding="utf-8")


def test_demo_content_lives_under_demo():
    demo = SRC / "demo"
    elsewhere = [
        _name(path)
        for path in SRC.rglob("*")
        if not path.is_relative_to(demo) and DEMO_NAME.search(_name(path))
    ]
    assert not elsewhere, "Demo modules and data files belong under wellled/demo/"
    assert (demo / "steps.py").exists()
