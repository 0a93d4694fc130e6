"""The organisation switcher's choices, drawn in Python: a region's director has 220 of them on every page, and a
template loop over them cost more than the page's own content (issue 24)."""

from __future__ import annotations

from markupsafe import Markup, escape

from .selectors import Workplaces

LENT_GROUP = "Trusts you oversee (read-only)"


def _option(organisation_id: int, name: str, ods_code: str, chosen: int | None) -> str:
    selected = " selected" if organisation_id == chosen else ""
    return f'<option value="{organisation_id}"{selected}>{escape(name)} ({escape(ods_code)})</option>'


def organisation_options(workplaces: Workplaces, chosen: int | None) -> Markup:
    """The switcher's <option>s: the person's own organisations, then the trusts lent to them in a group of their
    own; `chosen` (the organisation worked in) is selected."""
    lines = [
        _option(m.organisation_id, m.organisation.name, m.organisation.ods_code, chosen)
        for m in workplaces.own
    ]
    if workplaces.lent:
        lines.append(f'<optgroup label="{LENT_GROUP}">')
        lines += [_option(p.organisation_id, p.name, p.ods_code, chosen) for p in workplaces.lent]
        lines.append("</optgroup>")
    return Markup("\n        ".join(lines))  # noqa: S704 (names and codes escaped above)
