"""Template helpers for measures, registered in wellled.jinja2 with `env.globals.update(measure_globals())`.

They only format what a view gives them: an action's linked success measure comes in its row
(plans.rows.ActionRow.success_measure_summary), read by the selectors, never fetched by a template.
"""

from __future__ import annotations

import math

from django.conf import settings
from markupsafe import Markup, escape

from wellled.core import formatting
from wellled.spc.icons import assurance_icon_svg, variation_icon_svg

from .choices import Frequency
from .periods import period_label


def variation_icon(variation, size: int = 32) -> Markup:
    return Markup(variation_icon_svg(variation, size=size))  # noqa: S704 (built by wellled.spc, escaped there)


def assurance_icon(assurance, size: int = 32) -> Markup:
    return Markup(assurance_icon_svg(assurance, size=size))  # noqa: S704 (built by wellled.spc, escaped there)


def measure_number(value, measure=None) -> str:
    """A figure as the measure's unit writes it: '36.2%', '268', '4.1 per 1,000'."""
    return formatting.measure_number(value, measure.unit_label if measure is not None else "")


def measure_period(day, measure=None) -> str:
    """A period as people write it: 'Oct 2025' for months and quarters, '3 Oct 2025' for days and weeks."""
    if day is None:
        return ""
    if measure is not None and measure.frequency in (Frequency.SIX_MONTHLY, Frequency.ANNUAL):
        return period_label(day, measure.period_kind).split(" (")[0]
    if measure is None or measure.frequency in ("monthly", "quarterly"):
        return formatting.short_month(day)
    return formatting.short_date(day)


# The survey chart's layout, in pixels: a row an element, the labels to the left of the scale.
SURVEY_ROW = 26
SURVEY_LABEL = 250
SURVEY_SCALE = 330
SURVEY_TOP = 28
SURVEY_TRUST_COLOUR = "#005eb8"  # NHS blue: the trust's own score
SURVEY_GROUP_COLOUR = "#768692"  # NHS mid grey: the benchmark group's range


def survey_chart(rows, title: str) -> Markup:
    """A staff survey year against the benchmark group: each element's group range (worst to best) as a grey bar,
    the group median as a tick and the trust's score as a blue dot. `rows`: (element, score, worst, median, best).
    The table beside it says the same in words, so colour is never the only signal."""
    rows = list(rows)
    if not rows:
        return Markup("")
    low = max(0.0, min(min(r[1], r[2]) for r in rows) - 0.5)
    high = min(10.0, max(max(r[4], r[1]) for r in rows) + 0.5)
    span = max(high - low, 0.5)

    def x(v: float) -> float:
        return SURVEY_LABEL + (v - low) / span * SURVEY_SCALE

    width = SURVEY_LABEL + SURVEY_SCALE + 20
    height = SURVEY_TOP + SURVEY_ROW * len(rows) + 34
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" role="img" aria-label="{escape(title)}" font-family="Arial, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    step = 0.5 if span <= 4 else 1.0
    tick = math.ceil(low / step) * step
    while tick <= high + 1e-9:
        out.append(
            f'<line x1="{x(tick):.1f}" y1="{SURVEY_TOP - 6}" x2="{x(tick):.1f}" '
            f'y2="{SURVEY_TOP + SURVEY_ROW * len(rows)}" stroke="#d8dde0"/>'
            f'<text x="{x(tick):.1f}" y="{SURVEY_TOP - 10}" font-size="11" text-anchor="middle" fill="#4c6272">'
            f"{tick:g}</text>"
        )
        tick += step
    for i, (element, score, worst, median, best) in enumerate(rows):
        y = SURVEY_TOP + SURVEY_ROW * i + SURVEY_ROW / 2
        out.append(
            f'<text x="{SURVEY_LABEL - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="#212b32">'
            f"{escape(element)}</text>"
            f'<line x1="{x(worst):.1f}" y1="{y:.1f}" x2="{x(best):.1f}" y2="{y:.1f}" stroke="{SURVEY_GROUP_COLOUR}" '
            f'stroke-width="8" stroke-opacity="0.45"/>'
            f'<line x1="{x(median):.1f}" y1="{y - 8:.1f}" x2="{x(median):.1f}" y2="{y + 8:.1f}" stroke="#212b32" '
            f'stroke-width="2"/>'
            f'<circle cx="{x(score):.1f}" cy="{y:.1f}" r="6" fill="{SURVEY_TRUST_COLOUR}" stroke="#ffffff"/>'
        )
    key_y = height - 12
    out.append(
        f'<circle cx="{SURVEY_LABEL + 6}" cy="{key_y - 4}" r="6" fill="{SURVEY_TRUST_COLOUR}"/>'
        f'<text x="{SURVEY_LABEL + 16}" y="{key_y}" font-size="11" fill="#212b32">Trust</text>'
        f'<line x1="{SURVEY_LABEL + 60}" y1="{key_y - 4}" x2="{SURVEY_LABEL + 90}" y2="{key_y - 4}" '
        f'stroke="{SURVEY_GROUP_COLOUR}" stroke-width="8" stroke-opacity="0.45"/>'
        f'<text x="{SURVEY_LABEL + 96}" y="{key_y}" font-size="11" fill="#212b32">Group worst to best</text>'
        f'<line x1="{SURVEY_LABEL + 222}" y1="{key_y - 12}" x2="{SURVEY_LABEL + 222}" y2="{key_y + 4}" '
        f'stroke="#212b32" stroke-width="2"/>'
        f'<text x="{SURVEY_LABEL + 230}" y="{key_y}" font-size="11" fill="#212b32">Group median</text>'
    )
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 (every text escaped above)


# Blank form fields as drawn once, by macro, form class, prefix, id pattern and field (blank_field).
_BLANK_FIELDS: dict[tuple, Markup] = {}


def blank_field(field_macro, bound_field) -> Markup:
    """A field of a form not yet filled in, drawn by `field_macro` (macros/forms.jinja `field`) once and then kept:
    the measure page offers its rebase and note forms on every view, always the same (issue 24). A submitted
    form, a form or field with initial values, a field with choices, and local settings (templates reloaded as
    edited) draw it anew."""
    form = bound_field.form
    # A field with choices may be given them per person or organisation (in the form's __init__): never kept.
    varies = hasattr(bound_field.field, "choices")
    if varies or form.is_bound or form.initial or bound_field.field.initial is not None or settings.DEBUG:
        return field_macro(bound_field)
    key = (field_macro, type(form), form.prefix, form.auto_id, bound_field.name)
    if key not in _BLANK_FIELDS:
        _BLANK_FIELDS[key] = field_macro(bound_field)
    return _BLANK_FIELDS[key]


def measure_globals() -> dict:
    return {
        "blank_field": blank_field,
        "survey_chart": survey_chart,
        "measure_period": measure_period,
        "variation_icon": variation_icon,
        "assurance_icon": assurance_icon,
        "measure_number": measure_number,
    }
