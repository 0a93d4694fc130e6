"""Pages fit a 390-pixel phone (issue 27): every table in a template scrolls in its own region or reflows.

The browser crawl (tests/browser/test_every_page.py) measures the pages the demo reaches; this guard reads every
template, so a table on a page the demo does not show cannot widen a phone's page either.
"""

from __future__ import annotations

import re
from pathlib import Path

import wellled

TEMPLATES = Path(wellled.__file__).parent / "templates"
TOKEN = re.compile(r"\{%-?\s*call\s+scroll_region\(|\{%-?\s*endcall\s*-?%\}|<table\b[^>]*>")
# Not pages of the site: the board paper is a printable document of its own (A4 landscape, its own styles) that a
# page shows inside a scroll region of its own.
DOCUMENTS = {"reports/_board_paper_body.jinja"}


def _unwrapped_tables(text: str) -> list[str]:
    """The <table> tags that are neither inside a scroll_region call nor reflowing (nhsuk-table-responsive)."""
    depth, found = 0, []
    for token in TOKEN.finditer(text):
        tag = token.group(0)
        if "scroll_region" in tag:
            depth += 1
        elif "endcall" in tag:
            depth = max(depth - 1, 0)
        elif depth == 0 and "nhsuk-table-responsive" not in tag:
            found.append(tag)
    return found


def test_every_table_scrolls_inside_its_own_region_or_reflows():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.jinja")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in DOCUMENTS or name == "macros/layout.jinja":
            continue
        offenders += [f"{name}: {tag}" for tag in _unwrapped_tables(path.read_text(encoding="utf-8"))]
    assert not offenders, (
        "Put each table in {% call scroll_region(label) %} (macros/layout.jinja), or make it reflow "
        "(nhsuk-table-responsive):\n" + "\n".join(offenders)
    )


def test_the_guard_sees_a_bare_table():
    assert _unwrapped_tables('<table class="nhsuk-table"></table>')
    assert not _unwrapped_tables(
        '{% call scroll_region("Risks") %}<table class="nhsuk-table"></table>{% endcall %}'
    )
    assert not _unwrapped_tables('<table class="nhsuk-table-responsive"></table>')
