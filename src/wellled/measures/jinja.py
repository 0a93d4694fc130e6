"""Template helpers for measures, registered in wellled.jinja2 with `env.globals.update(measure_globals())`.

They only format what a view gives them: an action's linked success measure comes in its row
(plans.rows.ActionRow.success_measure_summary), read by the selectors, never fetched by a template.
"""

from __future__ import annotations

from markupsafe import Markup

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


def measure_globals() -> dict:
    return {
        "measure_period": measure_period,
        "variation_icon": variation_icon,
        "assurance_icon": assurance_icon,
        "measure_number": measure_number,
    }
